namespace GraphDL;

/// <summary>y = x².</summary>
public sealed class Square : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Square;

    /// <inheritdoc/>
    protected override bool AcceptsInt32 => true;

    /// <summary>dx = 2x · dout.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * 2.0 * g.Input(0)];
}

public abstract partial class GraphBuilder
{
    /// <summary>x² elementwise (tf.square); works on Int32 too.</summary>
    public Output Square(Output x, string? name = null) => AddOp(new Square(), [x], name);
}
