namespace GraphDL;

/// <summary>y = ⌊x⌋. Piecewise constant: zero gradient, as in TF.</summary>
public sealed class Floor : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Floor;

    /// <summary>Zeros: the function is flat between integers.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ZerosLike(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    /// <summary>⌊x⌋ elementwise (tf.floor); its gradient is zero, as in TF.</summary>
    public Output Floor(Output x, string? name = null) => AddOp(new Floor(), [x], name);
}
