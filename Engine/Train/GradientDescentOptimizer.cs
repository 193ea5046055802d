namespace GraphDL;

/// <summary>Plain gradient descent: W ← W - η ∂L/∂W.</summary>
public sealed class GradientDescentOptimizer(double learningRate) : Optimizer("GradientDescent")
{
    public double LearningRate { get; } = learningRate;

    protected override Output ApplyDense(Graph g, Output grad, Output variable) =>
        g.AddOp(new ApplyGradientDescent(), [variable, Hyper(g, LearningRate, variable, "learning_rate"), grad]);
}

/// <summary>Inputs: var, lr, grad.</summary>
public sealed class ApplyGradientDescent : ApplyOp
{
    protected override void Apply(IBackend be, Tensor[] x) => be.ApplyGradientDescent(x[0], x[1].GetDouble(0), x[2]);
}
