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
    /// <inheritdoc/>
    public override Output Rate(Output step) =>
        step.Graph.ExponentialDecay(initialLearningRate, step, decaySteps, decayRate, staircase);

    /// <summary>The schedule and its arguments.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ExponentialDecay({initialLearningRate}, decaySteps: {decaySteps}, decayRate: {decayRate}, staircase: {staircase})");
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
    /// <inheritdoc/>
    public override Output Rate(Output step) =>
        step.Graph.PolynomialDecay(initialLearningRate, step, decaySteps, endLearningRate, power, cycle);

    /// <summary>The schedule and its arguments.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"PolynomialDecay({initialLearningRate}, decaySteps: {decaySteps}, endLearningRate: {endLearningRate}, power: {power}, cycle: {cycle})");
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
    /// <inheritdoc/>
    public override Output Rate(Output step) =>
        step.Graph.InverseTimeDecay(initialLearningRate, step, decaySteps, decayRate, staircase);

    /// <summary>The schedule and its arguments.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"InverseTimeDecay({initialLearningRate}, decaySteps: {decaySteps}, decayRate: {decayRate}, staircase: {staircase})");
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
    /// <inheritdoc/>
    public override Output Rate(Output step) => step.Graph.CosineDecay(initialLearningRate, step, decaySteps, alpha);

    /// <summary>The schedule and its arguments.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"CosineDecay({initialLearningRate}, decaySteps: {decaySteps}, alpha: {alpha})");
}
