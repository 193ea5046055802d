namespace GraphDL;

/// <summary>The binary step: y = 1 for x ≥ 0, else 0. Piecewise constant, so its gradient is zero.</summary>
public sealed class Step : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Step;

    /// <summary>Zeros: the step is flat wherever it has a derivative, which is why a perceptron is not trained by backpropagation.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        return [g.ZerosLike(x)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>The binary step, 1 for x ≥ 0 and 0 otherwise: the perceptron's activation.</summary>
    public Output Step(Output x, string? name = null) => AddOp(new Step(), [x], name);
}
