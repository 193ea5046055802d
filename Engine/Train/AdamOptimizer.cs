namespace GraphDL;

/// <summary>
/// Adam, TF1's rule: with t the step number, lrₜ = η √(1 - β₂ᵗ) / (1 - β₁ᵗ); m ← β₁ m + (1 - β₁) g;
/// v ← β₂ v + (1 - β₂) g²; W ← W - lrₜ m / (√v + ε). β₁ᵗ and β₂ᵗ are variables advanced after each step,
/// and the update computes lrₜ from them where it runs. η is 0.001 unless given.
/// </summary>
public sealed class AdamOptimizer(Hyperparameter? learningRate = null, double beta1 = 0.9, double beta2 = 0.999, Hyperparameter? epsilon = null)
    : Optimizer("Adam", learningRate ?? 0.001)
{
    /// <summary>A number, not a tensor: the β₁ᵗ variable starts at it and is multiplied by it every step.</summary>
    public double Beta1 { get; } = beta1;

    /// <summary>A number, not a tensor, for the same reason as <see cref="Beta1"/>.</summary>
    public double Beta2 { get; } = beta2;

    /// <summary>ε, 1e-8 unless given.</summary>
    public Hyperparameter Epsilon { get; } = epsilon ?? 1e-8;

    private Output _beta1Power, _beta2Power;

    /// <inheritdoc/>
    protected override void Prepare(Graph g, DType dtype)
    {
        _beta1Power = g.Variable(GraphBuilder.ScalarOf(Beta1, dtype), "beta1_power", trainable: false);
        _beta2Power = g.Variable(GraphBuilder.ScalarOf(Beta2, dtype), "beta2_power", trainable: false);
    }

    /// <inheritdoc/>
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
    /// <inheritdoc/>
    protected override int[] ScalarInputs => [3, 4, 5, 6, 7, 8];

    /// <inheritdoc/>
    protected override void Apply(IBackend be, Tensor[] x) => be.ApplyAdam(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9]);
}
