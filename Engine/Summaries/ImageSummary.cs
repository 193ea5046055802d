namespace GraphDL.Summaries;

/// <summary>
/// Logs the first <see cref="MaxOutputs"/> images of an NHWC batch of 1 (grey), 3 (RGB) or 4 (RGBA) channels
/// (TF1's tf.summary.image). Integer values are pixel levels, clamped to 0..255. Floating values are scaled per image
/// as TF1 does: with no negative value, so that the largest becomes 255 (an image in [0, 1] spans the full range);
/// otherwise so that 0 sits at 128 and the value farthest from 0 reaches 0 or 255. NaN and infinities are drawn red.
/// </summary>
public sealed class ImageSummary : SummaryOp
{
    /// <param name="tag">The name the images are logged under.</param>
    /// <param name="maxOutputs">How many images of the batch are logged, from the first.</param>
    public ImageSummary(string tag, int maxOutputs = 3) : base(tag)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutputs, 1);
        MaxOutputs = maxOutputs;
    }

    /// <summary>How many images of the batch are logged, from the first.</summary>
    public int MaxOutputs { get; }

    /// <inheritdoc/>
    public override string Attributes => $"tag={Tag}, maxOutputs={MaxOutputs}";

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var shape = x[0];
        if (shape.Rank != 4 || shape[3] is not (1 or 3 or 4 or Shape.Unknown))
            throw new ShapeException($"An image summary '{Tag}' needs a batch of images (batch, height, width, channels) with 1, 3 or 4 channels, got shape {shape}.");
        return [shape];
    }

    /// <inheritdoc/>
    public override SummaryValue Summarize(Tensor value)
    {
        InferShapes([value.Shape]);
        int count = Math.Min(MaxOutputs, value.Shape[0]);
        int height = value.Shape[1], width = value.Shape[2], channels = value.Shape[3];
        int pixelsPerImage = height * width * channels;
        var all = value.ToDoubles();
        var images = new SummaryImage[count];
        for (int i = 0; i < count; i++)
        {
            var levels = value.DType.IsFloating()
                ? ScaledLevels(all.AsSpan(i * pixelsPerImage, pixelsPerImage), channels)
                : ClampedLevels(all.AsSpan(i * pixelsPerImage, pixelsPerImage));
            images[i] = new SummaryImage(width, height, channels, levels);
        }
        return new ImageValue(Tag, images);
    }

    private static byte[] ClampedLevels(ReadOnlySpan<double> values)
    {
        var levels = new byte[values.Length];
        for (int k = 0; k < values.Length; k++) levels[k] = (byte)Math.Clamp(values[k], 0, 255);
        return levels;
    }

    private static byte[] ScaledLevels(ReadOnlySpan<double> values, int channels)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
            if (double.IsFinite(v)) { min = Math.Min(min, v); max = Math.Max(max, v); }
        const double zero = 1e-6;   // TF1's threshold below which an image counts as all zero
        double scale, offset;
        if (min < 0)
        {
            double farthest = Math.Max(-min, max);
            (scale, offset) = (farthest < zero ? 0 : 127 / farthest, 128);
        }
        else (scale, offset) = (max < zero ? 0 : 255 / max, 0);

        var levels = new byte[values.Length];
        for (int k = 0; k < values.Length; k++)
        {
            double v = values[k];
            levels[k] = double.IsFinite(v) ? (byte)Math.Clamp(Math.Round(v * scale + offset), 0, 255)
                : BadPixel(k % channels, channels);
        }
        return levels;
    }

    /// <summary>Red, opaque: a non-finite value's channel level (grey images show it white).</summary>
    private static byte BadPixel(int channel, int channels) => channels == 1 ? (byte)255 : channel is 0 or 3 ? (byte)255 : (byte)0;
}
