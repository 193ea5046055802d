namespace GraphDL;

/// <summary>y = |x|; its gradient at 0 is taken as 0, like sign(0).</summary>
public sealed class Abs : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Abs;

    /// <inheritdoc/>
    protected override bool AcceptsInt32 => true;

    /// <summary>dx = dout · sign(x), so 0 at x = 0.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * g.Sign(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    /// <summary>|x| elementwise (tf.abs); works on Int32 too.</summary>
    public Output Abs(Output x, string? name = null) => AddOp(new Abs(), [x], name);
}
