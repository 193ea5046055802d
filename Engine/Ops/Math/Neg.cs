namespace GraphDL;

/// <summary>y = -x.</summary>
public sealed class Neg : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Neg;

    /// <inheritdoc/>
    protected override bool AcceptsInt32 => true;

    /// <summary>dx = -dout.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [-dout];
}

public abstract partial class GraphBuilder
{
    /// <summary>-x elementwise (tf.negative); <c>-x</c> on an output builds the same node.</summary>
    public Output Neg(Output x, string? name = null) => AddOp(new Neg(), [x], name);
}
