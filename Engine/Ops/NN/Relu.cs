namespace GraphDL;

/// <summary>y = max(x, 0).</summary>
public sealed class Relu : UnaryOp
{
    protected override UnaryFn Fn => UnaryFn.Relu;

    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        return [g.Where(g.Greater(x, g.ScalarLike(0, x)), dout, g.ScalarLike(0, dout))];
    }
}

public abstract partial class GraphBuilder
{
    public Output Relu(Output x, string? name = null) => AddOp(new Relu(), [x], name);
}
