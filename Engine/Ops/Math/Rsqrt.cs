namespace GraphDL;

/// <summary>y = 1/√x.</summary>
public sealed class Rsqrt : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Rsqrt;

    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * -0.5 * g.Y * g.Y * g.Y];
}

public abstract partial class GraphBuilder
{
    public Output Rsqrt(Output x, string? name = null) => AddOp(new Rsqrt(), [x], name);
}
