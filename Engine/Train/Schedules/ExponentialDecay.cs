namespace GraphDL;

public sealed partial class Graph
{
    /// <summary>
    /// TF1's <c>tf.train.exponential_decay</c>: learningRate · decayRate^(globalStep / decaySteps), the exponent
    /// floored when <paramref name="staircase"/> so the rate drops in steps every <paramref name="decaySteps"/>.
    /// A Float32 scalar of the graph, to pass as an optimizer's learning rate; it is recomputed from the global
    /// step at every run, so the optimizer's own increment of the step moves it along.
    /// </summary>
    /// <param name="learningRate">The rate at step 0: a number, or a float scalar tensor.</param>
    /// <param name="globalStep">A scalar Int32 or float tensor, usually the variable given to Minimize as its global step.</param>
    /// <param name="decaySteps">How many steps one factor of <paramref name="decayRate"/> takes; positive.</param>
    /// <param name="decayRate">The factor per <paramref name="decaySteps"/> steps.</param>
    /// <param name="staircase">Whether the exponent is an integer (the rate changes only every <paramref name="decaySteps"/> steps).</param>
    /// <param name="name">The name scope of the nodes; "ExponentialDecay" when null.</param>
    public Output ExponentialDecay(double learningRate, Output globalStep, double decaySteps, double decayRate,
        bool staircase = false, string? name = null) =>
        AllOrNothing(() => ExponentialDecay(LearningRateConstant(learningRate), globalStep, decaySteps, decayRate, staircase, name));

    /// <summary>
    /// <see cref="ExponentialDecay(double, Output, double, double, bool, string?)"/> from a rate that is itself a tensor: a placeholder, a variable, or another
    /// schedule (a warm-up times a decay, say). The result has the rate's dtype.
    /// </summary>
    /// <inheritdoc cref="ExponentialDecay(double, Output, double, double, bool, string?)" path="/param"/>
    public Output ExponentialDecay(Output learningRate, Output globalStep, double decaySteps, double decayRate,
        bool staircase = false, string? name = null)
    {
        var step = ScheduleStep(learningRate, globalStep, decaySteps, nameof(ExponentialDecay));
        using (NameScope(name ?? nameof(ExponentialDecay)))
        {
            var exponent = step / decaySteps;
            if (staircase) exponent = Floor(exponent);
            return learningRate * Pow(ScalarLike(decayRate, exponent), exponent);
        }
    }
}
