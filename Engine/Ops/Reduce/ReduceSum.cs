namespace GraphDL;

/// <summary>y = Σ x over the chosen axes.</summary>
public sealed class ReduceSum : ReductionOp
{
    /// <inheritdoc/>
    protected override ReduceFn Fn => ReduceFn.Sum;

    /// <summary>Every summed element gets dout: broadcast it back over the reduced axes.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) =>
        [g.BroadcastTo(WithReducedAxesKept(g, dout), g.Input(0))];
}

public abstract partial class GraphBuilder
{
    /// <summary>The sum over <paramref name="axes"/>, all of them when null (tf.reduce_sum); <paramref name="keepDims"/> keeps them as size 1.</summary>
    public Output ReduceSum(Output x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        AddOp(new ReduceSum { Axes = axes, KeepDims = keepDims }, [x], name);

    /// <summary>The sum along one axis (tf.reduce_sum with axis=<paramref name="axis"/>): <c>g.ReduceSum(x, -1, keepDims: true)</c> sums each row.</summary>
    public Output ReduceSum(Output x, int axis, bool keepDims = false, string? name = null) =>
        ReduceSum(x, [axis], keepDims, name);
}
