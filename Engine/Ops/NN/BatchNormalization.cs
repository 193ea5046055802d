namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.nn.batch_normalization</c>: (x - mean) · rsqrt(variance + ε) · scale + offset, every
    /// statistic broadcast against x (per-feature vectors for (batch, features), per-channel ones for NHWC).
    /// Computed as TF1 does, x · inv + (offset - mean · inv) with inv = rsqrt(variance + ε) · scale, so the
    /// per-feature factors are formed once and x is touched by one multiply and one add. Gradients reach every
    /// input, the statistics included; <see cref="Moments"/> gives the batch's mean and variance.
    /// </summary>
    /// <param name="x">A Float32 or Float64 tensor.</param>
    /// <param name="mean">The mean to subtract, broadcastable against x.</param>
    /// <param name="variance">The variance to divide by (its square root), broadcastable against x.</param>
    /// <param name="offset">β, added after scaling; none when null.</param>
    /// <param name="scale">γ, multiplied after normalizing; 1 when null.</param>
    /// <param name="varianceEpsilon">Added to the variance so that a constant feature does not divide by zero; non-negative.</param>
    /// <param name="name">The name of the result; "batchnorm" when null.</param>
    public Output BatchNormalization(Output x, Output mean, Output variance, Output? offset, Output? scale,
        double varianceEpsilon, string? name = null)
    {
        if (!x.DType.IsFloating())
            throw new ArgumentException($"BatchNormalization needs a Float32 or Float64 tensor, got {x}.", nameof(x));
        if (!(varianceEpsilon >= 0))
            throw new ArgumentOutOfRangeException(nameof(varianceEpsilon), varianceEpsilon, $"BatchNormalization of {x} needs a non-negative variance epsilon.");
        Output[] operands = [x, mean, variance, .. offset is { } o ? [o] : Array.Empty<Output>(), .. scale is { } s ? [s] : Array.Empty<Output>()];
        return Composite(nameof(BatchNormalization), name, operands, () =>
        {
            var inv = Rsqrt(variance + varianceEpsilon);
            if (scale is { } gamma) inv *= gamma;
            var shift = offset is { } beta ? beta - mean * inv : -(mean * inv);
            return Add(x * inv, shift, name ?? "batchnorm");
        });
    }
}
