namespace GraphDL;

/// <summary>y = tanh x.</summary>
public sealed class Tanh : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Tanh;

    /// <summary>dx = dout · (1 - y²).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        var y = g.Y;
        return [dout * (1.0 - y * y)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>tanh x elementwise (tf.tanh).</summary>
    public Output Tanh(Output x, string? name = null) => AddOp(new Tanh(), [x], name);
}
