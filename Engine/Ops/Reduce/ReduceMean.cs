namespace GraphDL;

/// <summary>y = the mean of x over the chosen axes.</summary>
public sealed class ReduceMean : ReductionOp
{
    /// <inheritdoc/>
    protected override ReduceFn Fn => ReduceFn.Mean;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <summary>Like ReduceSum's, divided by how many elements each mean averaged (known only at run time when dims are unknown).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        var count = g.Size(x, x.DType) / g.Size(g.Y, x.DType);
        return [g.BroadcastTo(WithReducedAxesKept(g, dout) / count, x)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>The mean over <paramref name="axes"/>, all of them when null (tf.reduce_mean): <c>g.ReduceMean(losses)</c> is the batch's loss; <paramref name="keepDims"/> keeps the axes as size 1.</summary>
    public Output ReduceMean(Output x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        AddOp(new ReduceMean { Axes = axes, KeepDims = keepDims }, [x], name);

    /// <summary>The mean along one axis (tf.reduce_mean with axis=<paramref name="axis"/>).</summary>
    public Output ReduceMean(Output x, int axis, bool keepDims = false, string? name = null) =>
        ReduceMean(x, [axis], keepDims, name);
}
