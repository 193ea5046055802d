using GraphDL.Tests.Plots;

namespace GraphDL.Tests.Browser;

/// <summary>
/// What a screenshot holds, measured from its pixels: how many colours and how much drawn on the background. A page
/// that failed to render (a blank tab, a script that died before drawing) is one colour, or a few stray pixels.
/// </summary>
public sealed record ScreenshotContent(int Width, int Height, int DistinctColours, int BackgroundPixels)
{
    /// <summary>
    /// The least share of the pixels that must differ from the background for the page to count as drawn on: a
    /// thousandth, about 1,000 pixels at 1200x800, less than one word of 30-pixel text.
    /// </summary>
    public const double MinimumDrawnShare = 0.001;

    /// <summary>Pixels of another colour than the background's.</summary>
    public int DrawnPixels => Width * Height - BackgroundPixels;

    /// <summary>Whether nothing is to be seen: one colour only, or less drawn than <see cref="MinimumDrawnShare"/>.</summary>
    public bool IsBlank => DistinctColours < 2 || DrawnPixels < MinimumDrawnShare * Width * Height;

    /// <summary>Measures a PNG. The background is the commonest colour.</summary>
    public static ScreenshotContent Of(byte[] png)
    {
        var image = DecodedImage.FromPng(png);
        var counts = image.Pixels(0, 0, image.Width, image.Height)
            .GroupBy(p => p.C.ARGB)
            .Select(colour => colour.Count())
            .ToList();
        return new ScreenshotContent(image.Width, image.Height, counts.Count, counts.Max());
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Width}x{Height}, {DistinctColours} colours, {DrawnPixels} pixels off the background ({(double)DrawnPixels / (Width * Height):P2})";
}
