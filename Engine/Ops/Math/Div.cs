namespace GraphDL;

/// <summary>y = a / b, broadcasting.</summary>
public sealed class Div : BinaryOp
{
    /// <inheritdoc/>
    protected override BinaryFn Fn => BinaryFn.Div;

    /// <summary>da = dout / b and db = -dout · y / b, each summed back to its operand's shape.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        // d(a/b)/db = -a/b² = -y/b
        return [g.SumToShape(dout / b, a), g.SumToShape(-dout * g.Y / b, b)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>a / b elementwise with broadcasting (tf.divide, real division); <c>a / b</c> on outputs builds the same node.</summary>
    public Output Div(Output a, Output b, string? name = null) => AddOp(new Div(), [a, b], name);
}
