namespace GraphDL;

/// <summary>y = ln x.</summary>
public sealed class Log : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Log;

    public override Output?[] Gradient(GradientContext g, Output dout) => [dout / g.Input(0)];
}

public abstract partial class GraphBuilder
{
    public Output Log(Output x, string? name = null) => AddOp(new Log(), [x], name);
}
