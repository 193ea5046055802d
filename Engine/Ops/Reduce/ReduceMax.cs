namespace GraphDL;

/// <summary>y = the maximum of x over the chosen axes.</summary>
public sealed class ReduceMax : ReductionOp
{
    /// <inheritdoc/>
    protected override ReduceFn Fn => ReduceFn.Max;

    /// <summary>The gradient goes to the elements equal to the maximum, split evenly between ties (as in TF).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => GradientToPickedElements(g, dout);
}

public abstract partial class GraphBuilder
{
    /// <summary>The maximum over <paramref name="axes"/>, all of them when null (tf.reduce_max); <paramref name="keepDims"/> keeps them as size 1.</summary>
    public Output ReduceMax(Output x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        AddOp(new ReduceMax { Axes = axes, KeepDims = keepDims }, [x], name);

    /// <summary>The maximum along one axis (tf.reduce_max with axis=<paramref name="axis"/>).</summary>
    public Output ReduceMax(Output x, int axis, bool keepDims = false, string? name = null) =>
        ReduceMax(x, [axis], keepDims, name);
}
