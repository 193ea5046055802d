namespace GraphDL;

/// <summary>y = sin x.</summary>
public sealed class Sin : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Sin;

    /// <summary>dx = dout · cos x.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * g.Cos(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    /// <summary>sin x elementwise, x in radians (tf.sin).</summary>
    public Output Sin(Output x, string? name = null) => AddOp(new Sin(), [x], name);
}
