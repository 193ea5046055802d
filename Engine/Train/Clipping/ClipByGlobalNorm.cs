namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.clip_by_global_norm</c>: every tensor times clipNorm / max(globalNorm, clipNorm), one factor for
    /// all, so the list keeps its direction and its global norm is at most <paramref name="clipNorm"/>. Returns the
    /// clipped tensors (null where the input was null) and the global norm before clipping, to log. Use it between
    /// ComputeGradients and ApplyGradients, as in TF1:
    /// <code>
    /// var gv = optimizer.ComputeGradients(loss);
    /// var (clipped, norm) = g.ClipByGlobalNorm(gv.Select(p => p.Gradient).ToArray(), 5.0);
    /// var train = optimizer.ApplyGradients(gv.Select((p, i) => (clipped[i], p.Variable)).ToArray());
    /// </code>
    /// A global norm that is infinite or NaN makes every clipped tensor NaN, as in TF1, so the failure shows.
    /// </summary>
    /// <param name="tensors">Floating-point tensors of one dtype; nulls pass through.</param>
    /// <param name="clipNorm">The largest global norm kept; positive.</param>
    /// <param name="useNorm">A global norm computed already (TF1's use_norm); when null it is computed here.</param>
    public (Output?[] Clipped, Output GlobalNorm) ClipByGlobalNorm(IReadOnlyList<Output?> tensors, double clipNorm,
        Output? useNorm = null)
    {
        if (!(clipNorm > 0))
            throw new ArgumentOutOfRangeException(nameof(clipNorm), clipNorm, "ClipByGlobalNorm needs a positive clip norm.");
        return AllOrNothing(() =>
        {
            var norm = useNorm ?? GlobalNorm(tensors);
            return ClipByGlobalNorm(tensors, ScalarLike(clipNorm, norm), norm);
        });
    }

    /// <summary>
    /// <c>tf.clip_by_global_norm</c> with the limit a scalar tensor (a placeholder, a schedule): clip hard early in
    /// training and loosen it later, say. Keeping it positive is the caller's part, as in TF1.
    /// </summary>
    /// <param name="tensors">Floating-point tensors of one dtype; nulls pass through.</param>
    /// <param name="clipNorm">The largest global norm kept: a scalar of the tensors' dtype.</param>
    /// <param name="useNorm">A global norm computed already (TF1's use_norm); when null it is computed here.</param>
    public (Output?[] Clipped, Output GlobalNorm) ClipByGlobalNorm(IReadOnlyList<Output?> tensors, Output clipNorm,
        Output? useNorm = null)
    {
        var norm = useNorm ?? GlobalNorm(tensors);
        if (!norm.Shape.IsCompatibleWith(Shape.Scalar))
            throw new ShapeException($"ClipByGlobalNorm's norm must be a scalar; '{norm.Name}' has shape {norm.Shape}.");
        if (!clipNorm.Shape.IsCompatibleWith(Shape.Scalar) || clipNorm.DType != norm.DType)
            throw new ShapeException($"ClipByGlobalNorm's clip norm must be a scalar of {norm.DType}, the norm's dtype; '{clipNorm.Name}' is {clipNorm.DType} {clipNorm.Shape}.");
        // TF1's form of clipNorm / max(norm, clipNorm): at norm 0 the reciprocal is +∞ and the minimum picks
        // 1/clipNorm, so all-zero gradients keep the scale 1; no branch, no division by the norm itself.
        var scale = clipNorm * Minimum(Reciprocal(norm), Reciprocal(clipNorm));
        // norm - norm is 0 for a finite norm and NaN for ∞ or NaN, which then spreads to every clipped tensor.
        scale = scale + (norm - norm);
        var clipped = tensors.Select(t => t is { } x ? x * Cast(scale, x.DType) : (Output?)null).ToArray();
        return (clipped, norm);
    }
}
