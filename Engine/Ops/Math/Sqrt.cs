namespace GraphDL;

/// <summary>y = √x.</summary>
public sealed class Sqrt : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Sqrt;

    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * 0.5 / g.Y];
}

public abstract partial class GraphBuilder
{
    public Output Sqrt(Output x, string? name = null) => AddOp(new Sqrt(), [x], name);
}
