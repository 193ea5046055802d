namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.clip_by_value</c>: every element of <paramref name="t"/> limited to [min, max]. Built as
    /// max(min(t, max), min), whose gradient passes where the element lies inside the range, bounds included,
    /// and is zero where it was clipped, as TF1's.
    /// </summary>
    /// <param name="t">A floating-point tensor, a gradient say.</param>
    /// <param name="clipValueMin">The smallest value kept.</param>
    /// <param name="clipValueMax">The largest value kept; not below <paramref name="clipValueMin"/>.</param>
    /// <param name="name">The name of the result; "ClipByValue" when null.</param>
    public Output ClipByValue(Output t, double clipValueMin, double clipValueMax, string? name = null)
    {
        if (!(clipValueMin <= clipValueMax))
            throw new ArgumentException($"ClipByValue needs min ≤ max, got min {clipValueMin} and max {clipValueMax}.");
        return Maximum(Minimum(t, ScalarLike(clipValueMax, t)), ScalarLike(clipValueMin, t), name ?? nameof(ClipByValue));
    }
}
