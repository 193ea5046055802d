namespace GraphDL;

/// <summary>
/// RMSProp, TF1's rule: ms ← ρ ms + (1 - ρ) g² (ms starts at 1); mom ← μ mom + η g / √(ms + ε); W ← W - mom.
/// Centered: also mg ← ρ mg + (1 - ρ) g, and the variance estimate ms - mg² replaces ms.
/// </summary>
public sealed class RmsPropOptimizer(double learningRate, double decay = 0.9, double momentum = 0.0, double epsilon = 1e-10, bool centered = false)
    : Optimizer("RMSProp")
{
    public double LearningRate { get; } = learningRate;

    public double Decay { get; } = decay;

    public double Momentum { get; } = momentum;

    public double Epsilon { get; } = epsilon;

    public bool Centered { get; } = centered;

    protected override Output ApplyDense(Graph g, Output grad, Output variable)
    {
        var ms = Slot(g, variable, "rms", 1);
        var mom = Slot(g, variable, "momentum", 0);
        List<Output> inputs = [variable, ms, mom];
        if (Centered) inputs.Add(Slot(g, variable, "mg", 0));
        inputs.AddRange([
            Hyper(g, LearningRate, variable, "learning_rate"), Hyper(g, Decay, variable, "decay"),
            Hyper(g, Momentum, variable, "momentum"), Hyper(g, Epsilon, variable, "epsilon"), grad]);
        return g.AddOp(new ApplyRmsProp { Centered = Centered }, inputs);
    }
}

/// <summary>Inputs: var, ms, mom, [mg when centered], lr, rho, momentum, epsilon, grad.</summary>
public sealed class ApplyRmsProp : ApplyOp
{
    public bool Centered { get; init; }

    public override string TypeName => Centered ? "ApplyCenteredRMSProp" : "ApplyRMSProp";

    protected override void Apply(IBackend be, Tensor[] x)
    {
        int k = Centered ? 4 : 3;
        be.ApplyRmsProp(x[0], x[1], x[2], Centered ? x[3] : null,
            x[k].GetDouble(0), x[k + 1].GetDouble(0), x[k + 2].GetDouble(0), x[k + 3].GetDouble(0), x[k + 4]);
    }
}
