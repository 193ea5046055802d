using System.Globalization;

namespace GraphDL.Keras;

// Keras's keras.optimizers.schedules as objects an optimizer takes for its learning rate:
//   new GradientDescentOptimizer(new ExponentialDecay(0.1, decaySteps: 100, decayRate: 0.96))
// The step is the optimizer's step counter: the global step given to ApplyGradients, or else the "iterations"
// variable it makes (a compiled model's Optimizer.Iterations). Each builds the matching graph function.

/// <summary>
/// Keras's <c>keras.optimizers.schedules.ExponentialDecay</c>: initialLearningRate · decayRate^(step / decaySteps),
/// the exponent floored when <paramref name="staircase"/>. See <see cref="Graph.ExponentialDecay(double, Output, double, double, bool, string?)"/>.
/// </summary>
/// <param name="initialLearningRate">The rate at step 0.</param>
/// <param name="decaySteps">How many steps one factor of <paramref name="decayRate"/> takes; positive.</param>
/// <param name="decayRate">The factor per <paramref name="decaySteps"/> steps.</param>
/// <param name="staircase">Whether the rate drops only every <paramref name="decaySteps"/> steps.</param>
public sealed class ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate, bool staircase = false) : LearningRateSchedule
{
    /// <summary>The rate at step 0 (Keras's initial_learning_rate).</summary>
    public double InitialLearningRate { get; } = initialLearningRate;

    /// <summary>How many steps one factor of <see cref="DecayRate"/> takes.</summary>
    public double DecaySteps { get; } = decaySteps;

    /// <summary>The factor per <see cref="DecaySteps"/> steps.</summary>
    public double DecayRate { get; } = decayRate;

    /// <summary>Whether the rate drops only every <see cref="DecaySteps"/> steps.</summary>
    public bool Staircase { get; } = staircase;

    /// <inheritdoc/>
    public override Output Rate(Output step) =>
        step.Graph.ExponentialDecay(InitialLearningRate, step, DecaySteps, DecayRate, Staircase);

    /// <summary>The schedule and its arguments.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ExponentialDecay({InitialLearningRate}, decaySteps: {DecaySteps}, decayRate: {DecayRate}, staircase: {Staircase})");
}

/// <summary>
/// Keras's <c>keras.optimizers.schedules.PiecewiseConstantDecay</c>: values[0] while step ≤ boundaries[0],
/// values[i] while boundaries[i-1] &lt; step ≤ boundaries[i], the last value after the last boundary.
/// See <see cref="Graph.PiecewiseConstant"/>.
/// </summary>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    private readonly double[] _boundaries, _values;

    /// <param name="boundaries">Strictly increasing steps; one fewer than <paramref name="values"/>.</param>
    /// <param name="values">The rate on each interval.</param>
    public PiecewiseConstantDecay(IReadOnlyList<double> boundaries, IReadOnlyList<double> values)
    {
        // Checked here, where the mistake is made, rather than at the first Fit.
        if (values.Count != boundaries.Count + 1)
            throw new ArgumentException($"PiecewiseConstantDecay needs one more value than boundaries, got {values.Count} values and {boundaries.Count} boundaries.");
        for (int i = 1; i < boundaries.Count; i++)
            if (!(boundaries[i] > boundaries[i - 1]))
                throw new ArgumentException($"PiecewiseConstantDecay's boundaries must increase, but {boundaries[i]} follows {boundaries[i - 1]}.");
        (_boundaries, _values) = ([.. boundaries], [.. values]);
    }

    /// <summary>The steps where the rate changes.</summary>
    public IReadOnlyList<double> Boundaries => _boundaries;

    /// <summary>The rate on each interval.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <inheritdoc/>
    public override Output Rate(Output step) => step.Graph.PiecewiseConstant(step, _boundaries, _values);

    /// <summary>The schedule and its arguments.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"PiecewiseConstantDecay([{string.Join(", ", _boundaries)}], [{string.Join(", ", _values)}])");
}

/// <summary>
/// Keras's <c>keras.optimizers.schedules.PolynomialDecay</c>: (initial - end) · (1 - step / decaySteps)^power + end,
/// the step held at decaySteps, or with <paramref name="cycle"/> the period stretched to the next multiple of it.
/// See <see cref="Graph.PolynomialDecay(double, Output, double, double, double, bool, string?)"/>.
/// </summary>
/// <param name="initialLearningRate">The rate at step 0.</param>
/// <param name="decaySteps">The steps to reach <paramref name="endLearningRate"/>; positive.</param>
/// <param name="endLearningRate">The rate at the end of the decay.</param>
/// <param name="power">The polynomial's power: 1 decays linearly.</param>
/// <param name="cycle">Whether the decay restarts after each period.</param>
public sealed class PolynomialDecay(double initialLearningRate, double decaySteps, double endLearningRate = 0.0001,
    double power = 1.0, bool cycle = false) : LearningRateSchedule
{
    /// <summary>The rate at step 0 (Keras's initial_learning_rate).</summary>
    public double InitialLearningRate { get; } = initialLearningRate;

    /// <summary>The steps to reach <see cref="EndLearningRate"/>.</summary>
    public double DecaySteps { get; } = decaySteps;

    /// <summary>The rate at the end of the decay.</summary>
    public double EndLearningRate { get; } = endLearningRate;

    /// <summary>The polynomial's power.</summary>
    public double Power { get; } = power;

    /// <summary>Whether the decay restarts after each period.</summary>
    public bool Cycle { get; } = cycle;

    /// <inheritdoc/>
    public override Output Rate(Output step) =>
        step.Graph.PolynomialDecay(InitialLearningRate, step, DecaySteps, EndLearningRate, Power, Cycle);

    /// <summary>The schedule and its arguments.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"PolynomialDecay({InitialLearningRate}, decaySteps: {DecaySteps}, endLearningRate: {EndLearningRate}, power: {Power}, cycle: {Cycle})");
}

/// <summary>
/// Keras's <c>keras.optimizers.schedules.InverseTimeDecay</c>: initialLearningRate / (1 + decayRate · step / decaySteps),
/// the quotient floored when <paramref name="staircase"/>. See <see cref="Graph.InverseTimeDecay(double, Output, double, double, bool, string?)"/>.
/// </summary>
/// <param name="initialLearningRate">The rate at step 0.</param>
/// <param name="decaySteps">The steps that add one <paramref name="decayRate"/> to the divisor; positive.</param>
/// <param name="decayRate">How much the divisor grows per <paramref name="decaySteps"/> steps.</param>
/// <param name="staircase">Whether the divisor grows only every <paramref name="decaySteps"/> steps.</param>
public sealed class InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate, bool staircase = false) : LearningRateSchedule
{
    /// <summary>The rate at step 0 (Keras's initial_learning_rate).</summary>
    public double InitialLearningRate { get; } = initialLearningRate;

    /// <summary>The steps that add one <see cref="DecayRate"/> to the divisor.</summary>
    public double DecaySteps { get; } = decaySteps;

    /// <summary>How much the divisor grows per <see cref="DecaySteps"/> steps.</summary>
    public double DecayRate { get; } = decayRate;

    /// <summary>Whether the divisor grows only every <see cref="DecaySteps"/> steps.</summary>
    public bool Staircase { get; } = staircase;

    /// <inheritdoc/>
    public override Output Rate(Output step) =>
        step.Graph.InverseTimeDecay(InitialLearningRate, step, DecaySteps, DecayRate, Staircase);

    /// <summary>The schedule and its arguments.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"InverseTimeDecay({InitialLearningRate}, decaySteps: {DecaySteps}, decayRate: {DecayRate}, staircase: {Staircase})");
}

/// <summary>
/// Keras's <c>keras.optimizers.schedules.CosineDecay</c> (without warm-up): with s = min(step, decaySteps),
/// initialLearningRate · ((1 - alpha) · ½(1 + cos(π s / decaySteps)) + alpha).
/// See <see cref="Graph.CosineDecay(double, Output, double, double, string?)"/>.
/// </summary>
/// <param name="initialLearningRate">The rate at step 0.</param>
/// <param name="decaySteps">The steps the half cosine takes; positive.</param>
/// <param name="alpha">The floor, as a fraction of <paramref name="initialLearningRate"/>.</param>
public sealed class CosineDecay(double initialLearningRate, double decaySteps, double alpha = 0.0) : LearningRateSchedule
{
    /// <summary>The rate at step 0 (Keras's initial_learning_rate).</summary>
    public double InitialLearningRate { get; } = initialLearningRate;

    /// <summary>The steps the half cosine takes.</summary>
    public double DecaySteps { get; } = decaySteps;

    /// <summary>The floor, as a fraction of <see cref="InitialLearningRate"/>.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc/>
    public override Output Rate(Output step) => step.Graph.CosineDecay(InitialLearningRate, step, DecaySteps, Alpha);

    /// <summary>The schedule and its arguments.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"CosineDecay({InitialLearningRate}, decaySteps: {DecaySteps}, alpha: {Alpha})");
}
