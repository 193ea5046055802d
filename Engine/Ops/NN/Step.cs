namespace GraphDL;

/// <summary>The binary step: y = 1 for x ≥ 0, else 0. Piecewise constant, so its gradient is zero.</summary>
public sealed class Step : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Step;

    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        return [g.ZerosLike(x)];
    }
}

public abstract partial class GraphBuilder
{
    public Output Step(Output x, string? name = null) => AddOp(new Step(), [x], name);
}
