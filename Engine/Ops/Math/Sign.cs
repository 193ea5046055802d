namespace GraphDL;

/// <summary>y = -1, 0 or 1. Piecewise constant: its gradient is zero wherever it exists, as in TF.</summary>
public sealed class Sign : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Sign;

    protected override bool AcceptsInt32 => true;

    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ZerosLike(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    public Output Sign(Output x, string? name = null) => AddOp(new Sign(), [x], name);
}
