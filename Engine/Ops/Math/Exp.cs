namespace GraphDL;

/// <summary>y = eˣ.</summary>
public sealed class Exp : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Exp;

    /// <summary>dx = dout · y: eˣ is its own derivative.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * g.Y];
}

public abstract partial class GraphBuilder
{
    /// <summary>eˣ elementwise (tf.exp).</summary>
    public Output Exp(Output x, string? name = null) => AddOp(new Exp(), [x], name);
}
