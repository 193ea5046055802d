namespace GraphDL;

/// <summary>y = Σ x over the chosen axes.</summary>
public sealed class ReduceSum : ReductionOp
{
    protected override ReduceFn Fn => ReduceFn.Sum;

    /// <summary>Every summed element gets dout: broadcast it back over the reduced axes.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) =>
        [g.BroadcastTo(WithReducedAxesKept(g, dout), g.Input(0))];
}

public abstract partial class GraphBuilder
{
    public Output ReduceSum(Output x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        AddOp(new ReduceSum { Axes = axes, KeepDims = keepDims }, [x], name);

    public Output ReduceSum(Output x, int axis, bool keepDims = false, string? name = null) =>
        ReduceSum(x, [axis], keepDims, name);
}
