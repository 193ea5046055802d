namespace GraphDL;

/// <summary>y = σ(x) = 1 / (1 + e⁻ˣ).</summary>
public sealed class Sigmoid : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Sigmoid;

    /// <summary>dx = dout · y (1 - y), the slides' sigmoid node.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        var y = g.Y;
        return [dout * y * (1.0 - y)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>σ(x) = 1 / (1 + e⁻ˣ) elementwise (tf.sigmoid).</summary>
    public Output Sigmoid(Output x, string? name = null) => AddOp(new Sigmoid(), [x], name);
}
