namespace GraphDL;

/// <summary>y = x rounded to the nearest integer, halves to the even one. Piecewise constant: zero gradient, as in TF.</summary>
public sealed class Round : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Round;

    /// <summary>Zeros: the function is flat between the half-integers where it jumps.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ZerosLike(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// x rounded to the nearest integer elementwise (tf.round): banker's rounding, so 0.5 gives 0, 1.5 and 2.5
    /// give 2, and -0.5 gives -0. Its gradient is zero, as Floor's.
    /// </summary>
    public Output Round(Output x, string? name = null) => AddOp(new Round(), [x], name);
}
