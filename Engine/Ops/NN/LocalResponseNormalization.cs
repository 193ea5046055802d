namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.nn.local_response_normalization</c> (alias <c>tf.nn.lrn</c>) on an NHWC tensor: each activation is
    /// divided by a power of the energy of its neighbours across channels at the same pixel,
    /// <code>
    /// sqr_sum[a, b, c, d] = Σ x[a, b, c, d - r .. d + r]²   (channels outside 0 .. C - 1 count as 0)
    /// y                   = x / (bias + alpha · sqr_sum)^beta
    /// </code>
    /// as in AlexNet (Krizhevsky et al.'s k, n, α, β are bias, 2r + 1, alpha, beta) and VGG's A-LRN configuration. Caffe's
    /// LRN divides its alpha by the window size: Caffe's alpha is this alpha × (2r + 1).
    /// </summary>
    /// <remarks>
    /// A composition, not a new primitive. The window sum over channels is a matrix product: the squares, as rows of
    /// C channels, times the C × C band matrix B with B[i, j] = 1 where |i − j| ≤ r, so column d of the product adds
    /// the squares of channels d − r .. d + r and the zero padding at the edges comes for free. One MatMul (BLAS on the
    /// CPU, the GEMM kernel on the GPU) replaces the 2r + 1 slices and adds of a padded sum, and its gradient
    /// (dout · Bᵀ, B being symmetric) and every later one come from MatMul, Square, Pow and Mul, so second order works
    /// with no LRNGrad op. It costs C multiply-adds per element instead of 2r + 1, in one pass over the squares rather
    /// than 2r + 1 sliced copies; C is 64 to 256 where AlexNet and VGG normalize, and a fused kernel is left for when a
    /// benchmark asks for one.
    /// </remarks>
    /// <param name="input">A Float32 or Float64 tensor of rank 4, (batch, height, width, channels), with a known channel count.</param>
    /// <param name="depthRadius">r, the half-width of the window over channels; non-negative (TF1's default 5).</param>
    /// <param name="bias">Added to the weighted sum of squares, usually positive to avoid dividing by zero (TF1's default 1).</param>
    /// <param name="alpha">The scale of the sum of squares (TF1's default 1).</param>
    /// <param name="beta">The exponent (TF1's default 0.5).</param>
    /// <param name="name">The name scope of the nodes; "LRN" when null.</param>
    /// <exception cref="ShapeException">The input is not rank 4 or its channel count is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative <paramref name="depthRadius"/>.</exception>
    public Output LocalResponseNormalization(Output input, int depthRadius = 5, double bias = 1, double alpha = 1, double beta = 0.5,
                                             string? name = null)
    {
        string what = $"LocalResponseNormalization '{name ?? "LRN"}' of {input}";
        if (!input.DType.IsFloating())
            throw new ArgumentException($"{what} needs a Float32 or Float64 tensor.", nameof(input));
        if (input.Shape.Rank != 4)
            throw new ShapeException($"{what} needs a rank-4 NHWC input (batch, height, width, channels), got rank {input.Shape.Rank}.");
        int channels = input.Shape[3];
        if (channels == Shape.Unknown)
            throw new ShapeException($"{what} needs the number of channels (axis 3) known: the window over them is built with the graph.");
        if (depthRadius < 0)
            throw new ArgumentOutOfRangeException(nameof(depthRadius), depthRadius, $"{what} needs a non-negative depthRadius.");

        return Composite(nameof(LocalResponseNormalization), name, [input], () =>
        {
            using (Target.NameScope(name ?? "LRN"))
            {
                var window = Constant(ChannelWindow(channels, depthRadius, input.DType), "window");
                var squaresPerPixel = Reshape(Square(input), [-1, channels]);
                var sqrSum = ReshapeLike(MatMul(squaresPerPixel, window), input, "sqr_sum");
                var denominator = Pow(sqrSum * alpha + bias, ScalarLike(beta, input));
                return Div(input, denominator, "output");
            }
        });
    }

    /// <summary>
    /// TF1's <c>tf.nn.lrn</c>, the short name of <see cref="LocalResponseNormalization"/>:
    /// <c>g.Lrn(conv, depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75)</c> is AlexNet's normalization (k = 2, n = 5, α = 1e-4, β = 0.75).
    /// </summary>
    /// <param name="input">A Float32 or Float64 tensor of rank 4, (batch, height, width, channels), with a known channel count.</param>
    /// <param name="depthRadius">r, the half-width of the window over channels; non-negative.</param>
    /// <param name="bias">Added to the weighted sum of squares.</param>
    /// <param name="alpha">The scale of the sum of squares.</param>
    /// <param name="beta">The exponent.</param>
    /// <param name="name">The name scope of the nodes; "LRN" when null.</param>
    public Output Lrn(Output input, int depthRadius = 5, double bias = 1, double alpha = 1, double beta = 0.5, string? name = null) =>
        LocalResponseNormalization(input, depthRadius, bias, alpha, beta, name);

    /// <summary>The C × C band matrix of ones where |i − j| ≤ r: multiplying a row of squares by it sums each channel's window.</summary>
    private static Tensor ChannelWindow(int channels, int radius, DType dtype)
    {
        Array band = dtype == DType.Float64 ? new double[channels, channels] : new float[channels, channels];
        object one = dtype == DType.Float64 ? (object)1.0 : 1f;
        for (int i = 0; i < channels; i++)
            for (int j = Math.Max(0, i - radius); j <= Math.Min(channels - 1, i + radius); j++)
                band.SetValue(one, i, j);
        return Tensor.FromArray(band);
    }
}
