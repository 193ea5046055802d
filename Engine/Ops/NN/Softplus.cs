namespace GraphDL;

/// <summary>y = ln(1 + eˣ), computed without overflow; its derivative is σ(x).</summary>
public sealed class Softplus : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Softplus;

    /// <summary>dx = dout · σ(x).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        return [dout * g.Sigmoid(x)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>ln(1 + eˣ) elementwise (tf.nn.softplus), a smooth ReLU.</summary>
    public Output Softplus(Output x, string? name = null) => AddOp(new Softplus(), [x], name);
}
