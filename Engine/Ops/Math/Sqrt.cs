namespace GraphDL;

/// <summary>y = √x.</summary>
public sealed class Sqrt : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Sqrt;

    /// <summary>dx = dout / (2y).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * 0.5 / g.Y];
}

public abstract partial class GraphBuilder
{
    /// <summary>√x elementwise (tf.sqrt).</summary>
    public Output Sqrt(Output x, string? name = null) => AddOp(new Sqrt(), [x], name);
}
