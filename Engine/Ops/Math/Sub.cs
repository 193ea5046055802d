namespace GraphDL;

/// <summary>y = a - b, broadcasting.</summary>
public sealed class Sub : BinaryOp
{
    protected override BinaryFn Fn => BinaryFn.Sub;

    protected override bool AcceptsInt32 => true;

    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        return [g.SumToShape(dout, a), g.SumToShape(-dout, b)];
    }
}

public abstract partial class GraphBuilder
{
    public Output Sub(Output a, Output b, string? name = null) => AddOp(new Sub(), [a, b], name);
}
