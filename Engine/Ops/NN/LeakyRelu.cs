namespace GraphDL;

/// <summary>y = x for x &gt; 0, αx otherwise.</summary>
public sealed class LeakyRelu : UnaryOp
{
    /// <summary>α, the slope for negative x (TF's alpha, 0.2 by default).</summary>
    public double Slope { get; init; } = 0.2;

    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.LeakyRelu;

    /// <inheritdoc/>
    protected override double Alpha => Slope;

    /// <inheritdoc/>
    public override string Attributes => $"alpha={Slope}";

    /// <summary>dx = dout where x &gt; 0, α · dout elsewhere.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        return [g.Where(g.Greater(x, g.ScalarLike(0, x)), dout, dout * Slope)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>The leaky ReLU (tf.nn.leaky_relu): x for x &gt; 0, αx otherwise, so negative inputs still pass a gradient.</summary>
    /// <param name="x">The pre-activation.</param>
    /// <param name="alpha">The slope for negative x (TF's default 0.2).</param>
    /// <param name="name">The node's name; "LeakyRelu" when null.</param>
    public Output LeakyRelu(Output x, double alpha = 0.2, string? name = null) => AddOp(new LeakyRelu { Slope = alpha }, [x], name);
}
