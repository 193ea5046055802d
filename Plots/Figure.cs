using System.Text;
using ScottPlot;
using SkiaSharp;

namespace GraphDL.Plots;

/// <summary>
/// Something that renders to a picture: a <see cref="Plot"/>, an <see cref="ImageGrid"/> or a <see cref="Multiplot"/>.
/// Each render builds ScottPlot objects afresh and lets ScottPlot draw them, onto a bitmap for PNG or onto
/// SkiaSharp's SVG canvas for SVG, so the two files always show the same figure.
/// </summary>
public abstract class Figure
{
    /// <summary>The largest side, in device pixels, a render may have.</summary>
    public const int MaxSide = 16384;

    /// <summary>
    /// Device pixels per logical pixel. SavePng(path, 800, 600) with ScaleFactor 2 writes a 1600x1200 image
    /// with the same layout, thicker lines and larger text: for high-DPI screens and print.
    /// </summary>
    public double ScaleFactor
    {
        get;
        set
        {
            if (!(value > 0) || value > 16)
                throw new ArgumentOutOfRangeException(nameof(ScaleFactor), value, "ScaleFactor must be in (0, 16].");
            field = value;
        }
    } = 1;

    /// <summary>The PNG file's bytes for a figure of width x height logical pixels (times <see cref="ScaleFactor"/>).</summary>
    public byte[] GetImageBytes(int width, int height)
    {
        var (w, h) = DevicePixels(width, height);
        using var surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not make a {w}x{h} surface.");
        surface.Canvas.Clear(SKColors.White);
        Draw(surface.Canvas, new PixelRect(0, w, 0, h));
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>The figure as an SVG document (text stays text, lines stay paths; heatmaps are embedded bitmaps).</summary>
    public string GetSvgXml(int width, int height)
    {
        var (w, h) = DevicePixels(width, height);
        using var stream = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(SKRect.Create(w, h), stream))
        {
            canvas.Clear(SKColors.White);
            Draw(canvas, new PixelRect(0, w, 0, h));
        }
        return XmlSafe(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>Writes a PNG, creating the folder if needed.</summary>
    public void SavePng(string path, int width, int height) => Write(path, GetImageBytes(width, height));

    /// <summary>Writes an SVG, creating the folder if needed.</summary>
    public void SaveSvg(string path, int width, int height) => Write(path, Encoding.UTF8.GetBytes(GetSvgXml(width, height)));

    /// <summary>
    /// Writes the figure twice, as <c>name.png</c> and <c>name.svg</c> side by side: the PNG for a quick look,
    /// the SVG to zoom into or edit. <paramref name="path"/> may end in .png, .svg or nothing.
    /// </summary>
    public void Save(string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        SavePng(Path.ChangeExtension(path, ".png"), width, height);
        SaveSvg(Path.ChangeExtension(path, ".svg"), width, height);
    }

    /// <summary>Draws the figure into <paramref name="rect"/> of <paramref name="canvas"/> (device pixels).</summary>
    private protected abstract void Draw(SKCanvas canvas, PixelRect rect);

    /// <summary>
    /// SkiaSharp's SVG canvas writes each glyph of a text back as the first character the font maps to it. Some
    /// fonts (NanumGothic) map U+0001 to the space glyph, so spaces come out as U+0001, which XML forbids: put
    /// every C0 control character other than tab, newline and return back as the space it stood for.
    /// </summary>
    private static string XmlSafe(string svg) =>
        svg.Any(c => c < ' ' && c is not ('\t' or '\n' or '\r'))
            ? string.Concat(svg.Select(c => c < ' ' && c is not ('\t' or '\n' or '\r') ? ' ' : c))
            : svg;

    private (int Width, int Height) DevicePixels(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        int w = Math.Max(1, (int)Math.Round(width * ScaleFactor)), h = Math.Max(1, (int)Math.Round(height * ScaleFactor));
        if (w > MaxSide || h > MaxSide)
            throw new ArgumentOutOfRangeException(nameof(width), $"The image would be {w}x{h} pixels; the limit is {MaxSide} on a side.");
        return (w, h);
    }

    private static void Write(string path, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, bytes);
    }
}
