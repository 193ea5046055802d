using System.Globalization;

namespace GraphDL;

/// <summary>
/// A hyperparameter of an optimizer (a learning rate, a momentum): a number, or a scalar tensor of the graph that
/// the update reads on every step, as TF1's optimizers take either. A tensor lets the value change while training:
/// a variable changed with <c>Assign</c>, a placeholder fed per step, or a schedule computed from the global step.
/// The third form, a <see cref="LearningRateSchedule"/> object, is a schedule not yet tied to any graph: the optimizer
/// builds it over its step counter, so one schedule serves several graphs (Keras's <c>learning_rate=ExponentialDecay(...)</c>).
/// All three convert implicitly: <c>new GradientDescentOptimizer(0.1)</c>, <c>new GradientDescentOptimizer(lr)</c>,
/// <c>new GradientDescentOptimizer(new ExponentialDecay(0.1, 100, 0.96))</c>.
/// </summary>
public readonly struct Hyperparameter
{
    private Hyperparameter(double? value, Output? tensor, LearningRateSchedule? schedule = null)
    {
        Value = value;
        Tensor = tensor;
        Schedule = schedule;
    }

    /// <summary>The number, when the hyperparameter was given as one.</summary>
    public double? Value { get; }

    /// <summary>The graph tensor, when the hyperparameter was given as one.</summary>
    public Output? Tensor { get; }

    /// <summary>A fixed number: <c>new GradientDescentOptimizer(0.1)</c>; it becomes one constant shared by every update.</summary>
    public static implicit operator Hyperparameter(double value) => new(value, null);

    /// <summary>A scalar tensor read at every step: a variable changed with Assign, a fed placeholder, a schedule of the global step.</summary>
    public static implicit operator Hyperparameter(Output tensor) => new(null, tensor);

    /// <summary>The schedule, when the hyperparameter was given as one.</summary>
    public LearningRateSchedule? Schedule { get; }

    /// <summary>A schedule the optimizer builds over its step counter: <c>new GradientDescentOptimizer(new ExponentialDecay(0.1, 100, 0.96))</c>.</summary>
    public static implicit operator Hyperparameter(LearningRateSchedule schedule) =>
        new(null, null, schedule ?? throw new ArgumentNullException(nameof(schedule)));

    /// <summary>The number, the tensor's name in quotes, or the schedule.</summary>
    public override string ToString() =>
        Schedule is { } s ? s.ToString() ?? "" : Tensor is { } t ? $"'{t.Name}'" : (Value ?? 0).ToString(CultureInfo.InvariantCulture);
}
