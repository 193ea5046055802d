namespace GraphDL;

/// <summary>y = arctan x.</summary>
public sealed class Atan : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Atan;

    /// <summary>dx = dout / (1 + x²).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        return [dout / (1.0 + x * x)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>arctan x elementwise, in radians within (-π/2, π/2) (tf.atan).</summary>
    public Output Atan(Output x, string? name = null) => AddOp(new Atan(), [x], name);
}
