namespace GraphDL;

/// <summary>y = the minimum of x over the chosen axes.</summary>
public sealed class ReduceMin : ReductionOp
{
    /// <inheritdoc/>
    protected override ReduceFn Fn => ReduceFn.Min;

    /// <summary>The gradient goes to the elements equal to the minimum, split evenly between ties (as in TF).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => GradientToPickedElements(g, dout);
}

public abstract partial class GraphBuilder
{
    /// <summary>The minimum over <paramref name="axes"/>, all of them when null (tf.reduce_min); <paramref name="keepDims"/> keeps them as size 1.</summary>
    public Output ReduceMin(Output x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        AddOp(new ReduceMin { Axes = axes, KeepDims = keepDims }, [x], name);

    /// <summary>The minimum along one axis (tf.reduce_min with axis=<paramref name="axis"/>).</summary>
    public Output ReduceMin(Output x, int axis, bool keepDims = false, string? name = null) =>
        ReduceMin(x, [axis], keepDims, name);
}
