namespace GraphDL;

/// <summary>y = a b elementwise, broadcasting.</summary>
public sealed class Mul : BinaryOp
{
    protected override BinaryFn Fn => BinaryFn.Mul;

    protected override bool AcceptsInt32 => true;

    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        return [g.SumToShape(dout * b, a), g.SumToShape(dout * a, b)];
    }
}

public abstract partial class GraphBuilder
{
    public Output Mul(Output a, Output b, string? name = null) => AddOp(new Mul(), [a, b], name);
}
