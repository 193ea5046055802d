namespace GraphDL;

/// <summary>y = ln(1 + eˣ), computed without overflow; its derivative is σ(x).</summary>
public sealed class Softplus : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Softplus;

    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        return [dout * g.Sigmoid(x)];
    }
}

public abstract partial class GraphBuilder
{
    public Output Softplus(Output x, string? name = null) => AddOp(new Softplus(), [x], name);
}
