namespace GraphDL;

/// <summary>y = ln x.</summary>
public sealed class Log : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Log;

    /// <summary>dx = dout / x.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout / g.Input(0)];
}

public abstract partial class GraphBuilder
{
    /// <summary>The natural logarithm elementwise (tf.log); log 0 is -∞, so prefer the fused cross entropies to log(softmax).</summary>
    public Output Log(Output x, string? name = null) => AddOp(new Log(), [x], name);
}
