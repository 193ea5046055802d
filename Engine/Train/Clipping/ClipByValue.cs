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
        return AllOrNothing(() => ClipByValue(t, ScalarLike(clipValueMin, t), ScalarLike(clipValueMax, t), name));
    }

    /// <summary>
    /// <c>tf.clip_by_value</c> with limits that are tensors: a placeholder fed at each run, a schedule, or one limit
    /// per element. Each limit must broadcast to <paramref name="t"/>'s shape without changing it. min ≤ max is the
    /// caller's to keep; where it fails, max wins, as in TF1.
    /// </summary>
    /// <param name="t">A floating-point tensor.</param>
    /// <param name="clipValueMin">The smallest values kept, of t's dtype.</param>
    /// <param name="clipValueMax">The largest values kept, of t's dtype.</param>
    /// <param name="name">The name of the result; "ClipByValue" when null.</param>
    public Output ClipByValue(Output t, Output clipValueMin, Output clipValueMax, string? name = null)
    {
        foreach (var (limit, role) in new[] { (clipValueMin, "min"), (clipValueMax, "max") })
        {
            if (limit.DType != t.DType)
                throw new ArgumentException($"ClipByValue's {role} '{limit.Name}' is {limit.DType}, but '{t.Name}' is {t.DType}.");
            if (!BroadcastsInto(limit.Shape, t.Shape))
                throw new ShapeException($"ClipByValue's {role} '{limit.Name}' of shape {limit.Shape} does not broadcast to the shape {t.Shape} of '{t.Name}'.");
        }
        return Maximum(Minimum(t, clipValueMax), clipValueMin, name ?? nameof(ClipByValue));
    }

    /// <summary>The Keras backend's <c>K.clip(x, min_value, max_value)</c>: <see cref="ClipByValue(Output, double, double, string?)"/>.</summary>
    /// <param name="x">A floating-point tensor.</param>
    /// <param name="minValue">The smallest value kept.</param>
    /// <param name="maxValue">The largest value kept.</param>
    /// <param name="name">The name of the result; "Clip" when null.</param>
    public Output Clip(Output x, double minValue, double maxValue, string? name = null) =>
        ClipByValue(x, minValue, maxValue, name ?? nameof(Clip));
}
