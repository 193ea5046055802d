namespace GraphDL;

/// <summary>y = the product of x over the chosen axes (1 over no elements).</summary>
public sealed class ReduceProd : ReductionOp
{
    /// <inheritdoc/>
    protected override ReduceFn Fn => ReduceFn.Prod;

    /// <summary>
    /// dx = dout · the product of the other elements. The short form dout · y / x is 0 / 0 at a zero, where the
    /// product of the others is not 0 when that zero is the only one. TF1 multiplies exclusive cumulative products
    /// from both ends; without a cumulative product op, this splits the product of the others into a part over the
    /// non-zero elements and a part over the zeros:
    /// <list type="bullet">
    /// <item><c>nonZeros</c> is x with its zeros replaced by 1; the other non-zero elements multiply to
    /// prod(nonZeros) / nonZeros, a division by no zero.</item>
    /// <item><c>zeros</c> is 1 with x's zeros kept; at a non-zero element the zeros multiply to prod(zeros), 0 when
    /// there is one; at a zero, the other zeros multiply to 1 when it is the only one and to 0 otherwise.</item>
    /// </list>
    /// Both products are ReduceProds of x through Where, so this gradient is differentiable in turn, and its own
    /// gradient is exact where a reduction has at most one zero (prod(zeros) carries the dependence on that zero).
    /// With two zeros or more, the second derivative between two zeros comes out 0 rather than the product of the rest.
    /// </summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        Output zero = g.ScalarLike(0, x), one = g.ScalarLike(1, x);
        var isZero = g.Equal(x, zero);
        var nonZeros = g.Where(isZero, one, x);
        var zeros = g.Where(isZero, x, one);
        var othersNonZero = g.BroadcastTo(g.ReduceProd(nonZeros, Axes, keepDims: true), x) / nonZeros;
        var zeroCount = g.ReduceSum(g.Cast(isZero, x.DType), Axes, keepDims: true);
        var isOnlyZero = g.Cast(g.Equal(zeroCount, one), x.DType);
        var othersZeros = g.Where(isZero, isOnlyZero, g.ReduceProd(zeros, Axes, keepDims: true));
        return [g.BroadcastTo(WithReducedAxesKept(g, dout), x) * othersNonZero * othersZeros];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>The product over <paramref name="axes"/>, all of them when null (tf.reduce_prod); <paramref name="keepDims"/> keeps them as size 1.</summary>
    public Output ReduceProd(Output x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        AddOp(new ReduceProd { Axes = axes, KeepDims = keepDims }, [x], name);

    /// <summary>The product along one axis (tf.reduce_prod with axis=<paramref name="axis"/>).</summary>
    public Output ReduceProd(Output x, int axis, bool keepDims = false, string? name = null) =>
        ReduceProd(x, [axis], keepDims, name);
}
