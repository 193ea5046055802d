namespace GraphDL;

/// <summary>y = tan x.</summary>
public sealed class Tan : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Tan;

    /// <summary>dx = dout · (1 + y²), which is dout / cos²x without a second trigonometric node.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout * (1.0 + g.Y * g.Y)];
}

public abstract partial class GraphBuilder
{
    /// <summary>tan x elementwise, x in radians (tf.tan).</summary>
    public Output Tan(Output x, string? name = null) => AddOp(new Tan(), [x], name);
}
