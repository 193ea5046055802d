namespace GraphDL;

/// <summary>y = min(a, b), broadcasting. Where a = b, the gradient goes to a.</summary>
public sealed class Minimum : BinaryOp
{
    protected override BinaryFn Fn => BinaryFn.Minimum;

    protected override bool AcceptsInt32 => true;

    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        var zeros = g.ZerosLike(dout);
        var aWins = g.LessEqual(a, b);
        return [g.SumToShape(g.Where(aWins, dout, zeros), a), g.SumToShape(g.Where(aWins, zeros, dout), b)];
    }
}

public abstract partial class GraphBuilder
{
    public Output Minimum(Output a, Output b, string? name = null) => AddOp(new Minimum(), [a, b], name);
}
