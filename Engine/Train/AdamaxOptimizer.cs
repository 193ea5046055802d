namespace GraphDL;

/// <summary>
/// Adamax, Adam with the infinity norm (keras.optimizers.Adamax; TF's ApplyAdaMax kernel): with t the step number,
/// m ← β₁ m + (1 - β₁) g; u ← max(β₂ u, |g|); W ← W - η / (1 - β₁ᵗ) · m / (u + ε). Only the first moment needs a
/// bias correction: u is a maximum, not an average that starts at 0. β₁ᵗ is a variable advanced after each step,
/// as Adam's.
/// η is 0.001 unless given.
/// </summary>
public sealed class AdamaxOptimizer(Hyperparameter? learningRate = null, double beta1 = 0.9, Hyperparameter? beta2 = null, Hyperparameter? epsilon = null)
    : Optimizer("Adamax", learningRate ?? 0.001)
{
    /// <summary>A number, not a tensor: the β₁ᵗ variable starts at it and is multiplied by it every step.</summary>
    public double Beta1 { get; } = beta1;

    /// <summary>β₂, the decay of the infinity norm u, 0.999 unless given.</summary>
    public Hyperparameter Beta2 { get; } = beta2 ?? 0.999;

    /// <summary>ε, 1e-7 unless given (Keras's default).</summary>
    public Hyperparameter Epsilon { get; } = epsilon ?? 1e-7;

    private Output _beta1Power;

    /// <inheritdoc/>
    protected override void Prepare(Graph g, DType dtype) =>
        _beta1Power = g.Variable(GraphBuilder.ScalarOf(Beta1, dtype), "beta1_power", trainable: false);

    /// <inheritdoc/>
    protected override Output ApplyDense(Graph g, Output grad, Output variable)
    {
        var m = Slot(g, variable, "m", 0);
        var u = Slot(g, variable, "v", 0);
        return g.AddOp(new ApplyAdaMax(), [
            variable, m, u, _beta1Power, Hyper(g, LearningRate, variable, "learning_rate"),
            Hyper(g, Beta1, variable, "beta1"), Hyper(g, Beta2, variable, "beta2"), Hyper(g, Epsilon, variable, "epsilon"), grad]);
    }

    /// <summary>t advances once per step, after every variable has been updated with the current power.</summary>
    protected override Node[] Finish(Graph g, Node[] updates)
    {
        using (g.ControlDependencies(updates))
            return [g.Assign(_beta1Power, _beta1Power * Beta1, "update_beta1_power").Node];
    }
}

/// <summary>Inputs: var, m, u, β₁ᵗ, lr, β₁, β₂, ε, grad (TF's ApplyAdaMax).</summary>
public sealed class ApplyAdaMax : ApplyOp
{
    /// <inheritdoc/>
    protected override int[] ScalarInputs => [3, 4, 5, 6, 7];

    /// <inheritdoc/>
    protected override void Apply(IBackend be, Tensor[] x) => be.ApplyAdaMax(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8]);
}
