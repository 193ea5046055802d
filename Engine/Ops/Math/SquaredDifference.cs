namespace GraphDL;

/// <summary>y = (a - b)², broadcasting: the building block of the MSE loss.</summary>
public sealed class SquaredDifference : BinaryOp
{
    protected override BinaryFn Fn => BinaryFn.SquaredDifference;

    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        var twoDiff = 2.0 * dout * (a - b);
        return [g.SumToShape(twoDiff, a), g.SumToShape(-twoDiff, b)];
    }
}

public abstract partial class GraphBuilder
{
    public Output SquaredDifference(Output a, Output b, string? name = null) => AddOp(new SquaredDifference(), [a, b], name);
}
