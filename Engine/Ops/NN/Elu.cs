namespace GraphDL;

/// <summary>y = x for x &gt; 0, α(eˣ - 1) otherwise.</summary>
public sealed class Elu : UnaryOp
{
    /// <summary>α: for very negative x, ELU tends to -α (TF's alpha, 1 by default).</summary>
    public double Scale { get; init; } = 1.0;

    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Elu;

    /// <inheritdoc/>
    protected override double Alpha => Scale;

    /// <inheritdoc/>
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
    /// <summary>The exponential linear unit (tf.nn.elu): x for x &gt; 0, α(eˣ - 1) otherwise.</summary>
    public Output Elu(Output x, double alpha = 1.0, string? name = null) => AddOp(new Elu { Scale = alpha }, [x], name);
}
