namespace GraphDL;

/// <summary>
/// Adam, TF1's rule: with t the step number, lrₜ = η √(1 - β₂ᵗ) / (1 - β₁ᵗ); m ← β₁ m + (1 - β₁) g;
/// v ← β₂ v + (1 - β₂) g²; W ← W - lrₜ m / (√v + ε). β₁ᵗ and β₂ᵗ are variables advanced after each step.
/// </summary>
public sealed class AdamOptimizer(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    : Optimizer("Adam")
{
    public double LearningRate { get; } = learningRate;

    public double Beta1 { get; } = beta1;

    public double Beta2 { get; } = beta2;

    public double Epsilon { get; } = epsilon;

    private Output _beta1Power, _beta2Power;

    protected override void Prepare(Graph g, DType dtype)
    {
        _beta1Power = g.Variable(GraphBuilder.ScalarOf(Beta1, dtype), "beta1_power", trainable: false);
        _beta2Power = g.Variable(GraphBuilder.ScalarOf(Beta2, dtype), "beta2_power", trainable: false);
    }

    protected override Output ApplyDense(Graph g, Output grad, Output variable)
    {
        var m = Slot(g, variable, "m", 0);
        var v = Slot(g, variable, "v", 0);
        return g.AddOp(new ApplyAdam(), [
            variable, m, v, _beta1Power, _beta2Power, Hyper(g, LearningRate, variable, "learning_rate"),
            Hyper(g, Beta1, variable, "beta1"), Hyper(g, Beta2, variable, "beta2"), Hyper(g, Epsilon, variable, "epsilon"), grad]);
    }

    /// <summary>t advances once per step, after every variable has been updated with the current powers.</summary>
    protected override Node[] Finish(Graph g, Node[] updates)
    {
        using (g.ControlDependencies(updates))
            return [
                g.Assign(_beta1Power, _beta1Power * Beta1, "update_beta1_power").Node,
                g.Assign(_beta2Power, _beta2Power * Beta2, "update_beta2_power").Node];
    }
}

/// <summary>Inputs: var, m, v, β₁ᵗ, β₂ᵗ, lr, β₁, β₂, ε, grad.</summary>
public sealed class ApplyAdam : ApplyOp
{
    public override DType[] InferDTypes(DType[] x) => RequireFloating([x[0], x[1], x[2], x[^1]]);

    protected override void Apply(IBackend be, Tensor[] x)
    {
        double beta1Power = x[3].GetDouble(0), beta2Power = x[4].GetDouble(0);
        double lrT = x[5].GetDouble(0) * Math.Sqrt(1 - beta2Power) / (1 - beta1Power);
        be.ApplyAdam(x[0], x[1], x[2], lrT, x[6].GetDouble(0), x[7].GetDouble(0), x[8].GetDouble(0), x[9]);
    }
}
