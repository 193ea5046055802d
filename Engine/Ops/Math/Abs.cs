namespace GraphDL;

/// <summary>y = |x|; its gradient at 0 is taken as 0, like sign(0).</summary>
public sealed class Abs : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Abs;

    protected override bool AcceptsInt32 => true;

    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * g.Sign(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    public Output Abs(Output x, string? name = null) => AddOp(new Abs(), [x], name);
}
