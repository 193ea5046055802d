namespace GraphDL;

/// <summary>y = x for x &gt; 0, α(eˣ - 1) otherwise.</summary>
public sealed class Elu : UnaryOp
{
    public double Scale { get; init; } = 1.0;

    protected override UnaryFn Fn => UnaryFn.Elu;

    protected override double Alpha => Scale;

    public override string Attributes => $"alpha={Scale}";

    /// <summary>For x ≤ 0, dy/dx = αeˣ = y + α.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        return [g.Where(g.Greater(x, g.ScalarLike(0, x)), dout, dout * (g.Y + Scale))];
    }
}

public abstract partial class GraphBuilder
{
    public Output Elu(Output x, double alpha = 1.0, string? name = null) => AddOp(new Elu { Scale = alpha }, [x], name);
}
