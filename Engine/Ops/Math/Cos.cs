namespace GraphDL;

/// <summary>y = cos x.</summary>
public sealed class Cos : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Cos;

    public override Output?[] Gradient(GradientContext g, Output dout) => [-dout * g.Sin(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    public Output Cos(Output x, string? name = null) => AddOp(new Cos(), [x], name);
}
