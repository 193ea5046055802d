namespace GraphDL;

/// <summary>y = eˣ.</summary>
public sealed class Exp : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Exp;

    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * g.Y];
}

public abstract partial class GraphBuilder
{
    public Output Exp(Output x, string? name = null) => AddOp(new Exp(), [x], name);
}
