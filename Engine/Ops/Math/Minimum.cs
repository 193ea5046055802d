namespace GraphDL;

/// <summary>y = min(a, b), broadcasting. Where a = b, the gradient goes to a.</summary>
public sealed class Minimum : BinaryOp
{
    protected override BinaryFn Fn => BinaryFn.Minimum;

    protected override bool AcceptsInt32 => true;

    public override Output?[] Gradient(GradientContext g, Output dout) =>
        GradientToWinner(g, dout, aWins: g.LessEqual(g.Input(0), g.Input(1)));
}

public abstract partial class GraphBuilder
{
    public Output Minimum(Output a, Output b, string? name = null) => AddOp(new Minimum(), [a, b], name);
}
