using NUnit.Framework;
using ScottPlot;
using SkiaSharp;

namespace GraphDL.Tests.Plots;

/// <summary>A PNG decoded by SkiaSharp into straight 8-bit RGBA, as a viewer would show it.</summary>
public sealed class DecodedImage
{
    private readonly SKColor[] _pixels;

    private DecodedImage(int width, int height, SKColor[] pixels) => (Width, Height, _pixels) = (width, height, pixels);

    /// <summary>Decodes PNG bytes; fails the test when they are not a PNG.</summary>
    public static DecodedImage FromPng(byte[] png)
    {
        Assert.That(png.AsSpan(0, 8).SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "PNG signature");
        using var codec = SKCodec.Create(new MemoryStream(png));
        Assert.That(codec, Is.Not.Null, "SkiaSharp reads the file");
        Assert.That(codec!.EncodedFormat, Is.EqualTo(SKEncodedImageFormat.Png));
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        Assert.That(codec.GetPixels(info, bitmap.GetPixels()), Is.EqualTo(SKCodecResult.Success), "every row decodes");
        return new DecodedImage(info.Width, info.Height, bitmap.Pixels);
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>The colour at (x, y), x to the right and y down from the top-left corner.</summary>
    public Color this[int x, int y] => Color.FromSKColor(_pixels[y * Width + x]);

    /// <summary>The pixels of the rectangle [x0, x1) x [y0, y1), clipped to the image.</summary>
    public IEnumerable<(int X, int Y, Color C)> Pixels(int x0, int y0, int x1, int y1)
    {
        for (int y = Math.Max(0, y0); y < Math.Min(Height, y1); y++)
            for (int x = Math.Max(0, x0); x < Math.Min(Width, x1); x++)
                yield return (x, y, this[x, y]);
    }

    /// <summary>How many pixels of the rectangle are dark enough to be ink (text, frame lines), not paper.</summary>
    public int Ink(int x0, int y0, int x1, int y1) => Pixels(x0, y0, x1, y1).Count(p => p.C.Luminance < 0.5);

    /// <summary>The largest per-channel difference between two colours.</summary>
    public static int Distance(Color a, Color b) => Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B)));
}
