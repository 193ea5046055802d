namespace GraphDL;

/// <summary>
/// RMSProp, TF1's rule: ms ← ρ ms + (1 - ρ) g² (ms starts at 1); mom ← μ mom + η g / √(ms + ε); W ← W - mom.
/// Centered: also mg ← ρ mg + (1 - ρ) g, and the variance estimate ms - mg² replaces ms.
/// </summary>
public sealed class RmsPropOptimizer(Hyperparameter learningRate, Hyperparameter? decay = null, Hyperparameter? momentum = null,
                                     Hyperparameter? epsilon = null, bool centered = false)
    : Optimizer("RMSProp", learningRate)
{
    /// <summary>ρ, 0.9 unless given.</summary>
    public Hyperparameter Decay { get; } = decay ?? 0.9;

    /// <summary>μ, 0 unless given.</summary>
    public Hyperparameter Momentum { get; } = momentum ?? 0.0;

    /// <summary>ε, 1e-10 unless given.</summary>
    public Hyperparameter Epsilon { get; } = epsilon ?? 1e-10;

    /// <summary>Whether to divide by the variance estimate ms - mg² instead of ms (TF1's centered RMSProp).</summary>
    public bool Centered { get; } = centered;

    /// <inheritdoc/>
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
    /// <summary>Whether the update keeps the mean gradient mg too and divides by ms - mg².</summary>
    public bool Centered { get; init; }

    /// <inheritdoc/>
    public override string TypeName => Centered ? "ApplyCenteredRMSProp" : "ApplyRMSProp";

    private int FirstScalar => Centered ? 4 : 3;

    /// <inheritdoc/>
    protected override int[] ScalarInputs => [FirstScalar, FirstScalar + 1, FirstScalar + 2, FirstScalar + 3];

    /// <inheritdoc/>
    protected override void Apply(IBackend be, Tensor[] x)
    {
        int k = FirstScalar;
        be.ApplyRmsProp(x[0], x[1], x[2], Centered ? x[3] : null, x[k], x[k + 1], x[k + 2], x[k + 3], x[k + 4]);
    }
}
