namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.clip_by_norm</c>: t · clipNorm / max(‖t‖₂, clipNorm), so a tensor whose L2 norm exceeds
    /// <paramref name="clipNorm"/> is scaled down to that norm and a shorter one is left as it is. With
    /// <paramref name="axes"/> each slice along the other axes is clipped on its own (axes [1] clips each row).
    /// </summary>
    /// <param name="t">A floating-point tensor, a gradient say.</param>
    /// <param name="clipNorm">The largest norm kept; positive.</param>
    /// <param name="axes">The axes the norm is taken over; all of them when null.</param>
    /// <param name="name">The name of the result; "ClipByNorm" when null.</param>
    public Output ClipByNorm(Output t, double clipNorm, int[]? axes = null, string? name = null)
    {
        if (!(clipNorm > 0))
            throw new ArgumentOutOfRangeException(nameof(clipNorm), clipNorm, "ClipByNorm needs a positive clip norm.");
        return AllOrNothing(() => ClipByNorm(t, ScalarLike(clipNorm, t), axes, name));
    }

    /// <summary>
    /// <c>tf.clip_by_norm</c> with the limit a scalar tensor (a placeholder, a schedule); keeping it positive is the
    /// caller's part, as in TF1.
    /// </summary>
    /// <param name="t">A floating-point tensor.</param>
    /// <param name="clipNorm">The largest norm kept: a scalar of t's dtype.</param>
    /// <param name="axes">The axes the norm is taken over; all of them when null.</param>
    /// <param name="name">The name of the result; "ClipByNorm" when null.</param>
    public Output ClipByNorm(Output t, Output clipNorm, int[]? axes = null, string? name = null)
    {
        if (!clipNorm.Shape.IsCompatibleWith(Shape.Scalar) || clipNorm.DType != t.DType)
            throw new ShapeException($"ClipByNorm's clip norm must be a scalar of {t.DType}, the dtype of '{t.Name}'; '{clipNorm.Name}' is {clipNorm.DType} {clipNorm.Shape}.");
        var sumOfSquares = ReduceSum(t * t, axes, keepDims: true);
        // The square root's gradient is infinite at 0, and 0 · ∞ would make an all-zero slice's gradient NaN;
        // TF1 takes the root of 1 there instead and uses the sum (0) as the norm, so the gradient stays finite.
        var positive = Greater(sumOfSquares, ScalarLike(0, sumOfSquares));
        var safeSum = Where(positive, sumOfSquares, OnesLike(sumOfSquares));
        var norm = Where(positive, Sqrt(safeSum), sumOfSquares);
        return Div(t * clipNorm, Maximum(norm, clipNorm), name ?? nameof(ClipByNorm));
    }
}
