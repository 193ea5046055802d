namespace GraphDL;

public sealed partial class Graph
{
    /// <summary>
    /// TF1's <c>tf.train.polynomial_decay</c>: (learningRate - endLearningRate) · (1 - s / d)^power + endLearningRate.
    /// Without <paramref name="cycle"/>, s = min(globalStep, decaySteps) and d = decaySteps: the rate reaches
    /// <paramref name="endLearningRate"/> and stays. With it, s = globalStep and d is the first multiple of
    /// decaySteps not below the step (decaySteps itself at step 0), so the rate jumps back up after each period.
    /// A Float32 scalar recomputed from the global step at every run, to pass as an optimizer's learning rate.
    /// </summary>
    /// <param name="learningRate">The rate at step 0: a number, or a float scalar tensor.</param>
    /// <param name="globalStep">A scalar Int32 or float tensor, usually the variable given to Minimize as its global step.</param>
    /// <param name="decaySteps">The steps from <paramref name="learningRate"/> to <paramref name="endLearningRate"/>; positive.</param>
    /// <param name="endLearningRate">The rate at the end of the decay.</param>
    /// <param name="power">The polynomial's power: 1 decays linearly, 0.5 as a square root.</param>
    /// <param name="cycle">Whether the decay restarts every <paramref name="decaySteps"/> steps, each period longer than the last.</param>
    /// <param name="name">The name scope of the nodes; "PolynomialDecay" when null.</param>
    public Output PolynomialDecay(double learningRate, Output globalStep, double decaySteps, double endLearningRate = 0.0001,
        double power = 1.0, bool cycle = false, string? name = null) =>
        AllOrNothing(() => PolynomialDecay(LearningRateConstant(learningRate), globalStep, decaySteps, endLearningRate, power, cycle, name));

    /// <summary>
    /// <see cref="PolynomialDecay(double, Output, double, double, double, bool, string?)"/> from a rate that is itself a tensor: a placeholder, a variable, or another
    /// schedule (a warm-up times a decay, say). The result has the rate's dtype.
    /// </summary>
    /// <inheritdoc cref="PolynomialDecay(double, Output, double, double, double, bool, string?)" path="/param"/>
    public Output PolynomialDecay(Output learningRate, Output globalStep, double decaySteps, double endLearningRate = 0.0001,
        double power = 1.0, bool cycle = false, string? name = null)
    {
        var step = ScheduleStep(learningRate, globalStep, decaySteps, nameof(PolynomialDecay));
        using (NameScope(name ?? nameof(PolynomialDecay)))
        {
            Output period;
            if (cycle)
            {
                // ceil(s / d) periods, by ⌈x⌉ = -⌊-x⌋; at step 0 that is 0 and would divide by zero, so TF1 uses 1 there.
                var periods = -Floor(-(step / decaySteps));
                var atStart = Equal(step, ScalarLike(0, step));
                period = decaySteps * Where(atStart, ScalarLike(1, step), periods);
            }
            else
            {
                period = ScalarLike(decaySteps, step);
                step = Minimum(step, period);
            }
            return (learningRate - endLearningRate) * Pow(1 - step / period, ScalarLike(power, step)) + endLearningRate;
        }
    }
}
