namespace GraphDL;

/// <summary>AdaGrad, TF1's rule: accum ← accum + g²; W ← W - η g / √accum, with accum starting at 0.1.</summary>
public sealed class AdagradOptimizer(Hyperparameter learningRate, double initialAccumulatorValue = 0.1) : Optimizer("Adagrad", learningRate)
{
    /// <summary>A number, not a tensor: it is the accumulator slots' initial value.</summary>
    public double InitialAccumulatorValue { get; } = initialAccumulatorValue > 0
        ? initialAccumulatorValue
        : throw new ArgumentOutOfRangeException(nameof(initialAccumulatorValue), "The initial accumulator value must be positive, or the first step divides by zero.");

    /// <inheritdoc/>
    protected override Output ApplyDense(Graph g, Output grad, Output variable)
    {
        var accum = Slot(g, variable, "accumulator", InitialAccumulatorValue);
        return g.AddOp(new ApplyAdagrad(), [variable, accum, Hyper(g, LearningRate, variable, "learning_rate"), grad]);
    }
}

/// <summary>Inputs: var, accum, lr, grad.</summary>
public sealed class ApplyAdagrad : ApplyOp
{
    /// <inheritdoc/>
    protected override int[] ScalarInputs => [2];

    /// <inheritdoc/>
    protected override void Apply(IBackend be, Tensor[] x) => be.ApplyAdagrad(x[0], x[1], x[2], x[3]);
}
