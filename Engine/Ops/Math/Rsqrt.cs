namespace GraphDL;

/// <summary>y = 1/√x.</summary>
public sealed class Rsqrt : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Rsqrt;

    /// <summary>dx = -½ dout · y³.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * -0.5 * g.Y * g.Y * g.Y];
}

public abstract partial class GraphBuilder
{
    /// <summary>1/√x elementwise (tf.rsqrt), as RMSprop and Adam divide by it.</summary>
    public Output Rsqrt(Output x, string? name = null) => AddOp(new Rsqrt(), [x], name);
}
