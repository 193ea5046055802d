namespace GraphDL;

/// <summary>y = a + b, broadcasting.</summary>
public sealed class Add : BinaryOp
{
    /// <inheritdoc/>
    protected override BinaryFn Fn => BinaryFn.Add;

    /// <inheritdoc/>
    protected override bool AcceptsInt32 => true;

    /// <summary>da = db = dout, each summed back to its operand's shape over the axes it was broadcast along.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        return [g.SumToShape(dout, a), g.SumToShape(dout, b)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>a + b elementwise with NumPy broadcasting (tf.add); <c>a + b</c> on outputs builds the same node.</summary>
    public Output Add(Output a, Output b, string? name = null) => AddOp(new Add(), [a, b], name);
}
