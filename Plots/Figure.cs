namespace GraphDL.Plots;

/// <summary>Something that renders to a PNG: a <see cref="Plot"/>, an <see cref="ImageGrid"/> or a <see cref="Multiplot"/>.</summary>
public abstract class Figure
{
    private double _scale = 1;

    /// <summary>
    /// Device pixels per logical pixel. SavePng(path, 800, 600) with ScaleFactor 2 writes a 1600x1200 image
    /// with the same layout, thicker lines and larger text: for high-DPI screens and print.
    /// </summary>
    public double ScaleFactor
    {
        get => _scale;
        set
        {
            if (!(value > 0) || value > 16)
                throw new ArgumentOutOfRangeException(nameof(ScaleFactor), value, "ScaleFactor must be in (0, 16].");
            _scale = value;
        }
    }

    public Color FigureBackground { get; set; } = Colors.White;

    /// <summary>Renders at width x height logical pixels (times <see cref="ScaleFactor"/>).</summary>
    public Canvas Render(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        int w = (int)Math.Round(width * ScaleFactor), h = (int)Math.Round(height * ScaleFactor);
        if (w > 16384 || h > 16384)
            throw new ArgumentOutOfRangeException(nameof(width), $"The image would be {w}x{h} pixels; the limit is 16384 on a side.");
        var canvas = new Canvas(Math.Max(1, w), Math.Max(1, h), FigureBackground, ScaleFactor);
        RenderTo(canvas, new PixelRect(0, 0, canvas.Width, canvas.Height));
        return canvas;
    }

    /// <summary>The PNG file's bytes.</summary>
    public byte[] GetImageBytes(int width, int height) => Render(width, height).ToPng();

    /// <summary>Writes a PNG, creating the folder if needed.</summary>
    public void SavePng(string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = GetImageBytes(width, height);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Draws into <paramref name="area"/> of <paramref name="canvas"/>; Multiplot calls this per panel.</summary>
    public abstract void RenderTo(Canvas canvas, PixelRect area);
}
