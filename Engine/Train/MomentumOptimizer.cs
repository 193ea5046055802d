namespace GraphDL;

/// <summary>
/// Gradient descent with momentum, TF1's rule: accum ← μ accum + g; W ← W - η accum. With Nesterov:
/// W ← W - η g - η μ accum (the step looks ahead along the new velocity).
/// </summary>
public sealed class MomentumOptimizer(Hyperparameter learningRate, Hyperparameter momentum, bool useNesterov = false) : Optimizer("Momentum", learningRate)
{
    /// <summary>μ, the fraction of the velocity kept from step to step (0.9 is usual).</summary>
    public Hyperparameter Momentum { get; } = momentum;

    /// <summary>Whether the step looks ahead along the new velocity (Nesterov's accelerated gradient).</summary>
    public bool UseNesterov { get; } = useNesterov;

    /// <inheritdoc/>
    protected override Output ApplyDense(Graph g, Output grad, Output variable)
    {
        var accum = Slot(g, variable, "momentum", 0);
        return g.AddOp(new ApplyMomentum { UseNesterov = UseNesterov },
            [variable, accum, Hyper(g, LearningRate, variable, "learning_rate"), grad, Hyper(g, Momentum, variable, "momentum")]);
    }
}

/// <summary>Inputs: var, accum, lr, grad, momentum (the gradient last but one, as in TF1's ApplyMomentum).</summary>
public sealed class ApplyMomentum : ApplyOp
{
    /// <summary>Whether the update looks ahead along the new velocity (Nesterov).</summary>
    public bool UseNesterov { get; init; }

    /// <inheritdoc/>
    protected override int[] ScalarInputs => [2, 4];

    /// <inheritdoc/>
    protected override int GradientInput(int inputCount) => 3;

    /// <inheritdoc/>
    protected override void Apply(IBackend be, Tensor[] x) => be.ApplyMomentum(x[0], x[1], x[2], x[3], x[4], UseNesterov);
}
