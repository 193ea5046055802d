namespace GraphDL;

/// <summary>y = sin x.</summary>
public sealed class Sin : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Sin;

    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * g.Cos(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    public Output Sin(Output x, string? name = null) => AddOp(new Sin(), [x], name);
}
