namespace GraphDL;

/// <summary>y = eˣ - 1, accurate where x is tiny.</summary>
public sealed class Expm1 : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Expm1;

    /// <summary>dx = dout · eˣ. Not y + 1: for x below about -37, y rounds to -1 and y + 1 to 0, where eˣ is still a number.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * g.Exp(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// eˣ - 1 elementwise (tf.math.expm1, tf.expm1 in TF1). Unlike Exp(x) - 1 it keeps x's digits near 0: for x = 1e-10 it gives
    /// 1e-10 to full precision, where eˣ - 1 cancels most of them.
    /// </summary>
    public Output Expm1(Output x, string? name = null) => AddOp(new Expm1(), [x], name);
}
