namespace GraphDL;

/// <summary>
/// Adadelta, TF1's rule (tf.train.AdadeltaOptimizer, whose ApplyAdadelta kernel Keras's Adadelta also runs):
/// accum ← ρ accum + (1 - ρ) g²; update = √(accum_update + ε) / √(accum + ε) · g;
/// accum_update ← ρ accum_update + (1 - ρ) update²; W ← W - η update. Both accumulators start at 0, so the
/// first steps are about √ε in size whatever the gradient: the rule measures its step in units of past steps.
/// η is 0.001 unless given (TF1's default; the original paper's rule is η = 1).
/// </summary>
public sealed class AdadeltaOptimizer(Hyperparameter? learningRate = null, Hyperparameter? rho = null, Hyperparameter? epsilon = null)
    : Optimizer("Adadelta", learningRate ?? 0.001)
{
    /// <summary>ρ, the decay of both running averages, 0.95 unless given.</summary>
    public Hyperparameter Rho { get; } = rho ?? 0.95;

    /// <summary>ε, 1e-8 unless given; it also sets the size of the first steps.</summary>
    public Hyperparameter Epsilon { get; } = epsilon ?? 1e-8;

    /// <inheritdoc/>
    protected override Output ApplyDense(Graph g, Output grad, Output variable)
    {
        var accum = Slot(g, variable, "accum", 0);
        var accumUpdate = Slot(g, variable, "accum_update", 0);
        return g.AddOp(new ApplyAdadelta(), [
            variable, accum, accumUpdate, Hyper(g, LearningRate, variable, "learning_rate"),
            Hyper(g, Rho, variable, "rho"), Hyper(g, Epsilon, variable, "epsilon"), grad]);
    }
}

/// <summary>Inputs: var, accum, accum_update, lr, ρ, ε, grad (TF1's ApplyAdadelta).</summary>
public sealed class ApplyAdadelta : ApplyOp
{
    /// <inheritdoc/>
    protected override int[] ScalarInputs => [3, 4, 5];

    /// <inheritdoc/>
    protected override void Apply(IBackend be, Tensor[] x) => be.ApplyAdadelta(x[0], x[1], x[2], x[3], x[4], x[5], x[6]);
}
