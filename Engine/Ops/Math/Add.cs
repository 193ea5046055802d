namespace GraphDL;

/// <summary>y = a + b, broadcasting.</summary>
public sealed class Add : BinaryOp
{
    protected override BinaryFn Fn => BinaryFn.Add;

    protected override bool AcceptsInt32 => true;

    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        return [g.SumToShape(dout, a), g.SumToShape(dout, b)];
    }
}

public abstract partial class GraphBuilder
{
    public Output Add(Output a, Output b, string? name = null) => AddOp(new Add(), [a, b], name);
}
