namespace GraphDL;

/// <summary>y = ln(1 + x), accurate where x is tiny.</summary>
public sealed class Log1p : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Log1p;

    /// <summary>dx = dout / (1 + x).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout / (1.0 + g.Input(0))];
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// ln(1 + x) elementwise (tf.log1p). Unlike Log(1 + x) it keeps x's digits near 0: for x = 1e-10 it gives
    /// 1e-10 to full precision, where 1 + x has already rounded most of x away.
    /// </summary>
    public Output Log1p(Output x, string? name = null) => AddOp(new Log1p(), [x], name);
}
