namespace GraphDL;

/// <summary>y = whether any element of the Bool x is true over the chosen axes (false over no elements).</summary>
public sealed class ReduceAny : LogicalReductionOp
{
    /// <inheritdoc/>
    protected override ReduceFn Fn => ReduceFn.Any;
}

public abstract partial class GraphBuilder
{
    /// <summary>The logical or over <paramref name="axes"/> of a Bool tensor, all of them when null (tf.reduce_any); <paramref name="keepDims"/> keeps them as size 1. Not differentiable.</summary>
    public Output ReduceAny(Output x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        AddOp(new ReduceAny { Axes = axes, KeepDims = keepDims }, [x], name);

    /// <summary>The logical or along one axis (tf.reduce_any with axis=<paramref name="axis"/>).</summary>
    public Output ReduceAny(Output x, int axis, bool keepDims = false, string? name = null) =>
        ReduceAny(x, [axis], keepDims, name);
}
