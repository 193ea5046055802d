namespace GraphDL;

/// <summary>y = max(a, b), broadcasting. Where a = b, the gradient goes to a.</summary>
public sealed class Maximum : BinaryOp
{
    protected override BinaryFn Fn => BinaryFn.Maximum;

    protected override bool AcceptsInt32 => true;

    public override Output?[] Gradient(GradientContext g, Output dout) =>
        GradientToWinner(g, dout, aWins: g.GreaterEqual(g.Input(0), g.Input(1)));
}

public abstract partial class GraphBuilder
{
    public Output Maximum(Output a, Output b, string? name = null) => AddOp(new Maximum(), [a, b], name);
}
