namespace GraphDL;

/// <summary>y = cos x.</summary>
public sealed class Cos : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Cos;

    /// <summary>dx = -dout · sin x.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [-dout * g.Sin(g.Input(0))];
}

public abstract partial class GraphBuilder
{
    /// <summary>cos x elementwise, x in radians (tf.cos).</summary>
    public Output Cos(Output x, string? name = null) => AddOp(new Cos(), [x], name);
}
