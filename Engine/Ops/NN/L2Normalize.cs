namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.nn.l2_normalize</c>: x / √max(Σ x², ε), the sums taken over <paramref name="axes"/>, so each
    /// slice along them gets unit L2 norm. ε keeps an all-zero slice at zero instead of 0/0, and TF1 puts it
    /// inside the maximum (not added to the sum), so a slice whose norm² is above ε is divided by exactly its norm.
    /// Computed as x · rsqrt(max(Σ x², ε)), as TF1 does.
    /// </summary>
    /// <param name="x">A Float32 or Float64 tensor.</param>
    /// <param name="axes">The axes the norm is taken over; all of them when null.</param>
    /// <param name="epsilon">The floor under the sum of squares; non-negative.</param>
    /// <param name="name">The name of the result; "l2_normalize" when null.</param>
    public Output L2Normalize(Output x, int[]? axes = null, double epsilon = 1e-12, string? name = null)
    {
        if (!x.DType.IsFloating())
            throw new ArgumentException($"L2Normalize needs a Float32 or Float64 tensor, got {x}.", nameof(x));
        if (!(epsilon >= 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"L2Normalize of {x} needs a non-negative epsilon.");
        return Composite("L2Normalize", name, [x], () =>
        {
            var sumOfSquares = ReduceSum(Square(x), axes, keepDims: true);
            var inverseNorm = Rsqrt(Maximum(sumOfSquares, ScalarLike(epsilon, sumOfSquares)));
            return Mul(x, inverseNorm, name ?? "l2_normalize");
        });
    }

    /// <summary>TF1's <c>tf.nn.l2_normalize</c> along one axis: <c>g.L2Normalize(embeddings, 1)</c> gives each row unit length.</summary>
    /// <param name="x">A Float32 or Float64 tensor.</param>
    /// <param name="axis">The axis the norm is taken over; negative counts from the end.</param>
    /// <param name="epsilon">The floor under the sum of squares; non-negative.</param>
    /// <param name="name">The name of the result; "l2_normalize" when null.</param>
    public Output L2Normalize(Output x, int axis, double epsilon = 1e-12, string? name = null) =>
        L2Normalize(x, [axis], epsilon, name);
}
