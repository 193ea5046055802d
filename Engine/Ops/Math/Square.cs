namespace GraphDL;

/// <summary>y = x².</summary>
public sealed class Square : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Square;

    protected override bool AcceptsInt32 => true;

    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * 2.0 * g.Input(0)];
}

public abstract partial class GraphBuilder
{
    public Output Square(Output x, string? name = null) => AddOp(new Square(), [x], name);
}
