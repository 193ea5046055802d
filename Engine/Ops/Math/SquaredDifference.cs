namespace GraphDL;

/// <summary>y = (a - b)², broadcasting: the building block of the MSE loss.</summary>
public sealed class SquaredDifference : BinaryOp
{
    /// <inheritdoc/>
    protected override BinaryFn Fn => BinaryFn.SquaredDifference;

    /// <summary>da = 2 dout (a - b) and db = -2 dout (a - b), each summed back to its operand's shape.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        var twoDiff = 2.0 * dout * (a - b);
        return [g.SumToShape(twoDiff, a), g.SumToShape(-twoDiff, b)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>(a - b)² elementwise with broadcasting (tf.squared_difference); <c>g.ReduceMean(g.SquaredDifference(yHat, y))</c> is the MSE.</summary>
    public Output SquaredDifference(Output a, Output b, string? name = null) => AddOp(new SquaredDifference(), [a, b], name);
}
