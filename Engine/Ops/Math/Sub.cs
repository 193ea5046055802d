namespace GraphDL;

/// <summary>y = a - b, broadcasting.</summary>
public sealed class Sub : BinaryOp
{
    /// <inheritdoc/>
    protected override BinaryFn Fn => BinaryFn.Sub;

    /// <inheritdoc/>
    protected override bool AcceptsInt32 => true;

    /// <summary>da = dout and db = -dout, each summed back to its operand's shape.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        return [g.SumToShape(dout, a), g.SumToShape(-dout, b)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>a - b elementwise with broadcasting (tf.subtract); <c>a - b</c> on outputs builds the same node.</summary>
    public Output Sub(Output a, Output b, string? name = null) => AddOp(new Sub(), [a, b], name);
}
