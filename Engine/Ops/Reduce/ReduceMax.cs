namespace GraphDL;

/// <summary>y = the maximum of x over the chosen axes.</summary>
public sealed class ReduceMax : ReductionOp
{
    protected override ReduceFn Fn => ReduceFn.Max;

    /// <summary>The gradient goes to the elements equal to the maximum, split evenly between ties (as in TF).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        var isMax = g.Cast(g.Equal(x, g.BroadcastTo(WithReducedAxesKept(g, g.Y), x)), x.DType);
        var ties = g.ReduceSum(isMax, Axes, keepDims: true);
        return [isMax / ties * g.BroadcastTo(WithReducedAxesKept(g, dout), x)];
    }
}

public abstract partial class GraphBuilder
{
    public Output ReduceMax(Output x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        AddOp(new ReduceMax { Axes = axes, KeepDims = keepDims }, [x], name);

    public Output ReduceMax(Output x, int axis, bool keepDims = false, string? name = null) =>
        ReduceMax(x, [axis], keepDims, name);
}
