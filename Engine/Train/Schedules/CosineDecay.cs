namespace GraphDL;

public sealed partial class Graph
{
    /// <summary>
    /// TF1's <c>tf.train.cosine_decay</c> (SGDR without restarts): with s = min(globalStep, decaySteps),
    /// learningRate · ((1 - alpha) · ½(1 + cos(π s / decaySteps)) + alpha). The rate falls along half a cosine
    /// to alpha · learningRate at <paramref name="decaySteps"/> and stays there. A Float32 scalar recomputed
    /// from the global step at every run, to pass as an optimizer's learning rate.
    /// </summary>
    /// <param name="learningRate">The rate at step 0: a number, or a float scalar tensor.</param>
    /// <param name="globalStep">A scalar Int32 or float tensor, usually the variable given to Minimize as its global step.</param>
    /// <param name="decaySteps">The steps the half cosine takes; positive.</param>
    /// <param name="alpha">The floor, as a fraction of <paramref name="learningRate"/>.</param>
    /// <param name="name">The name scope of the nodes; "CosineDecay" when null.</param>
    public Output CosineDecay(double learningRate, Output globalStep, double decaySteps, double alpha = 0.0, string? name = null) =>
        AllOrNothing(() => CosineDecay(LearningRateConstant(learningRate), globalStep, decaySteps, alpha, name));

    /// <summary>
    /// <see cref="CosineDecay(double, Output, double, double, string?)"/> from a rate that is itself a tensor: a placeholder, a variable, or another
    /// schedule (a warm-up times a decay, say). The result has the rate's dtype.
    /// </summary>
    /// <inheritdoc cref="CosineDecay(double, Output, double, double, string?)" path="/param"/>
    public Output CosineDecay(Output learningRate, Output globalStep, double decaySteps, double alpha = 0.0, string? name = null)
    {
        var step = ScheduleStep(learningRate, globalStep, decaySteps, nameof(CosineDecay));
        using (NameScope(name ?? nameof(CosineDecay)))
        {
            // Past decaySteps the cosine would climb again; TF1 holds the step at the end instead.
            var clamped = Minimum(step, ScalarLike(decaySteps, step));
            var cosine = 0.5 * (1 + Cos(Math.PI * clamped / decaySteps));
            return learningRate * ((1 - alpha) * cosine + alpha);
        }
    }
}
