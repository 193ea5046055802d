namespace GraphDL;

public sealed partial class Graph
{
    /// <summary>
    /// TF1's <c>tf.train.inverse_time_decay</c>: learningRate / (1 + decayRate · globalStep / decaySteps), the
    /// quotient globalStep / decaySteps floored when <paramref name="staircase"/>. A Float32 scalar recomputed
    /// from the global step at every run, to pass as an optimizer's learning rate.
    /// </summary>
    /// <param name="learningRate">The rate at step 0: a number, or a float scalar tensor.</param>
    /// <param name="globalStep">A scalar Int32 or float tensor, usually the variable given to Minimize as its global step.</param>
    /// <param name="decaySteps">The steps that add one <paramref name="decayRate"/> to the divisor; positive.</param>
    /// <param name="decayRate">How much the divisor grows per <paramref name="decaySteps"/> steps.</param>
    /// <param name="staircase">Whether the divisor grows only every <paramref name="decaySteps"/> steps.</param>
    /// <param name="name">The name scope of the nodes; "InverseTimeDecay" when null.</param>
    public Output InverseTimeDecay(double learningRate, Output globalStep, double decaySteps, double decayRate,
        bool staircase = false, string? name = null) =>
        AllOrNothing(() => InverseTimeDecay(LearningRateConstant(learningRate), globalStep, decaySteps, decayRate, staircase, name));

    /// <summary>
    /// <see cref="InverseTimeDecay(double, Output, double, double, bool, string?)"/> from a rate that is itself a tensor: a placeholder, a variable, or another
    /// schedule (a warm-up times a decay, say). The result has the rate's dtype.
    /// </summary>
    /// <inheritdoc cref="InverseTimeDecay(double, Output, double, double, bool, string?)" path="/param"/>
    public Output InverseTimeDecay(Output learningRate, Output globalStep, double decaySteps, double decayRate,
        bool staircase = false, string? name = null)
    {
        var step = ScheduleStep(learningRate, globalStep, decaySteps, nameof(InverseTimeDecay));
        using (NameScope(name ?? nameof(InverseTimeDecay)))
        {
            var progress = step / decaySteps;
            if (staircase) progress = Floor(progress);
            return learningRate / (1 + decayRate * progress);
        }
    }
}
