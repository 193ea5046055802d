namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.nn.moments</c>: the mean of x over <paramref name="axes"/> and its population variance, the
    /// mean of (x - mean)² (divided by the count, not the count - 1), as batch normalization uses them. Over
    /// axes [0] of a (batch, features) tensor they are per-feature statistics of the batch; [0, 1, 2] of an
    /// NHWC tensor gives per-channel ones. Gradients flow into x through both results, the variance's also
    /// through the mean: TF1 stops the gradient there, which leaves the first derivative unchanged (the
    /// deviations sum to zero) but would drop a term from the second.
    /// </summary>
    /// <param name="x">A Float32 or Float64 tensor.</param>
    /// <param name="axes">The axes averaged over; all of them when null.</param>
    /// <param name="keepDims">Keep the averaged axes as size 1, so that the results broadcast against x.</param>
    /// <param name="name">The name scope of the nodes; "moments" when null.</param>
    public (Output Mean, Output Variance) Moments(Output x, int[]? axes = null, bool keepDims = false, string? name = null)
    {
        if (!x.DType.IsFloating())
            throw new ArgumentException($"Moments needs a Float32 or Float64 tensor, got {x}.", nameof(x));
        var reduced = x.Shape.NormalizeAxes(axes);
        using (Target.NameScope(name ?? "moments"))
        {
            // The kept-dims mean broadcasts against x for the deviations; squeezing it after is a view, not a second mean.
            var mean = ReduceMean(x, reduced, keepDims: true, keepDims ? "mean" : null);
            var variance = ReduceMean(SquaredDifference(x, mean), reduced, keepDims: true, keepDims ? "variance" : null);
            return keepDims ? (mean, variance) : (Squeeze(mean, reduced, "mean"), Squeeze(variance, reduced, "variance"));
        }
    }
}
