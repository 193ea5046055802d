namespace GraphDL;

/// <summary>y = eˣ - 1, accurate where x is tiny.</summary>
public sealed class Expm1 : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Expm1;

    /// <summary>dx = dout · eˣ, written as y + 1 so that no second exponential node is needed.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * (g.Y + 1.0)];
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// eˣ - 1 elementwise (tf.math.expm1, tf.expm1 in TF1). Unlike Exp(x) - 1 it keeps x's digits near 0: for x = 1e-10 it gives
    /// 1e-10 to full precision, where eˣ - 1 cancels most of them.
    /// </summary>
    public Output Expm1(Output x, string? name = null) => AddOp(new Expm1(), [x], name);
}
