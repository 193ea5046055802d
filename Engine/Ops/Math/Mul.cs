namespace GraphDL;

/// <summary>y = a b elementwise, broadcasting.</summary>
public sealed class Mul : BinaryOp
{
    /// <inheritdoc/>
    protected override BinaryFn Fn => BinaryFn.Mul;

    /// <inheritdoc/>
    protected override bool AcceptsInt32 => true;

    /// <summary>da = dout · b and db = dout · a, each summed back to its operand's shape.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        return [g.SumToShape(dout * b, a), g.SumToShape(dout * a, b)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>a · b elementwise with broadcasting (tf.multiply); <c>a * b</c> on outputs builds the same node. For a matrix product use <see cref="MatMul"/>.</summary>
    public Output Mul(Output a, Output b, string? name = null) => AddOp(new Mul(), [a, b], name);
}
