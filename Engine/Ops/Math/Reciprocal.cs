namespace GraphDL;

/// <summary>y = 1/x.</summary>
public sealed class Reciprocal : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Reciprocal;

    /// <summary>dx = -dout · y².</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [-dout * g.Y * g.Y];
}

public abstract partial class GraphBuilder
{
    /// <summary>1/x elementwise (tf.reciprocal).</summary>
    public Output Reciprocal(Output x, string? name = null) => AddOp(new Reciprocal(), [x], name);
}
