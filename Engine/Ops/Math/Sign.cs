namespace GraphDL;

/// <summary>y = -1, 0 or 1. Piecewise constant: its gradient is zero wherever it exists, as in TF.</summary>
public sealed class Sign : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Sign;

    /// <inheritdoc/>
    protected override bool AcceptsInt32 => true;

    /// <summary>Zeros: the function is flat wherever it has a derivative.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ZerosLike(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    /// <summary>-1, 0 or 1 by the sign of each element (tf.sign); works on Int32 too.</summary>
    public Output Sign(Output x, string? name = null) => AddOp(new Sign(), [x], name);
}
