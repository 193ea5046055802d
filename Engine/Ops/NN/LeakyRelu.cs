namespace GraphDL;

/// <summary>y = x for x &gt; 0, αx otherwise.</summary>
public sealed class LeakyRelu : UnaryOp
{
    public double Slope { get; init; } = 0.2;

    protected override UnaryFn Fn => UnaryFn.LeakyRelu;

    protected override double Alpha => Slope;

    public override string Attributes => $"alpha={Slope}";

    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        return [g.Where(g.Greater(x, g.ScalarLike(0, x)), dout, dout * Slope)];
    }
}

public abstract partial class GraphBuilder
{
    /// <param name="alpha">The slope for negative x (TF's default 0.2).</param>
    public Output LeakyRelu(Output x, double alpha = 0.2, string? name = null) => AddOp(new LeakyRelu { Slope = alpha }, [x], name);
}
