namespace GraphDL;

/// <summary>y = 1/x.</summary>
public sealed class Reciprocal : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Reciprocal;

    public override Output?[] Gradient(GradientContext g, Output dout) => [-dout * g.Y * g.Y];
}

public abstract partial class GraphBuilder
{
    public Output Reciprocal(Output x, string? name = null) => AddOp(new Reciprocal(), [x], name);
}
