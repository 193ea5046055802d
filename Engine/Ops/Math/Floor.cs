namespace GraphDL;

/// <summary>y = ⌊x⌋. Piecewise constant: zero gradient, as in TF.</summary>
public sealed class Floor : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Floor;

    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ZerosLike(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    public Output Floor(Output x, string? name = null) => AddOp(new Floor(), [x], name);
}
