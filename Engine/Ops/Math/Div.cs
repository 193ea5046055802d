namespace GraphDL;

/// <summary>y = a / b, broadcasting.</summary>
public sealed class Div : BinaryOp
{
    protected override BinaryFn Fn => BinaryFn.Div;

    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        // d(a/b)/db = -a/b² = -y/b
        return [g.SumToShape(dout / b, a), g.SumToShape(-dout * g.Y / b, b)];
    }
}

public abstract partial class GraphBuilder
{
    public Output Div(Output a, Output b, string? name = null) => AddOp(new Div(), [a, b], name);
}
