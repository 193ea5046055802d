namespace GraphDL;

/// <summary>y = whether every element of the Bool x is true over the chosen axes (true over no elements).</summary>
public sealed class ReduceAll : LogicalReductionOp
{
    /// <inheritdoc/>
    protected override ReduceFn Fn => ReduceFn.All;
}

public abstract partial class GraphBuilder
{
    /// <summary>The logical and over <paramref name="axes"/> of a Bool tensor, all of them when null (tf.reduce_all); <paramref name="keepDims"/> keeps them as size 1. Not differentiable.</summary>
    public Output ReduceAll(Output x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        AddOp(new ReduceAll { Axes = axes, KeepDims = keepDims }, [x], name);

    /// <summary>The logical and along one axis (tf.reduce_all with axis=<paramref name="axis"/>).</summary>
    public Output ReduceAll(Output x, int axis, bool keepDims = false, string? name = null) =>
        ReduceAll(x, [axis], keepDims, name);
}
