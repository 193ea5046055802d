namespace GraphDL.Plots;

/// <summary>One small image in an <see cref="ImageGrid"/>.</summary>
public sealed record ImageTile(double[] Pixels, int Width, int Height, string Caption, bool Highlight);

/// <summary>
/// Many small grayscale images in a grid with captions: MNIST digits with their predicted labels (wrong
/// ones highlighted), convolution filters, feature maps. Pixels are scaled up by nearest neighbour, so
/// each source pixel stays a visible square.
/// </summary>
public sealed class ImageGrid : Figure
{
    private readonly List<ImageTile> _tiles = [];

    public ImageGrid(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Columns = columns;
    }

    public int Columns { get; }
    public IReadOnlyList<ImageTile> Tiles => _tiles;
    public string Title { get; set; } = "";
    public Colormap Colormap { get; set; } = Colormap.Grayscale;

    /// <summary>Dark ink on white paper instead of white on black.</summary>
    public bool Invert { get; set; }

    /// <summary>Value shown as the colormap's low end; null scales each image to its own minimum (filters, feature maps).</summary>
    public double? Min { get; set; }

    /// <summary>Value shown as the colormap's high end; null scales each image to its own maximum.</summary>
    public double? Max { get; set; }

    public Color HighlightColor { get; set; } = Palette.Get(3);
    public double CaptionFontSize { get; set; } = 12;

    /// <summary>Adds an image given row-major pixels (length width * height).</summary>
    public ImageTile Add(IReadOnlyList<double> pixels, int width, int height, string caption = "", bool highlight = false)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Count != width * height)
            throw new ArgumentException($"'pixels' has {pixels.Count} values but a {width}x{height} image needs {width * height}.", nameof(pixels));
        var tile = new ImageTile([.. pixels], width, height, caption ?? "", highlight);
        _tiles.Add(tile);
        return tile;
    }

    public ImageTile Add(IReadOnlyList<float> pixels, int width, int height, string caption = "", bool highlight = false)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        return Add([.. pixels.Select(p => (double)p)], width, height, caption, highlight);
    }

    public override void RenderTo(Canvas canvas, PixelRect area)
    {
        var c = canvas;
        double s = c.Scale, pad = 8 * s, gap = 6 * s;
        c.FillRect(area, FigureBackground);
        double top = area.Top + pad;
        if (Title.Length > 0)
        {
            double ts = 16 * s;
            StrokeFont.Draw(c, Title, area.CenterX, top, ts, Colors.Black, TextAlign.Center, TextAnchorY.Top, weight: 1.3);
            top += StrokeFont.CapHeight(ts) + StrokeFont.Descent(ts) + 8 * s;
        }
        if (_tiles.Count == 0) return;
        int cols = Math.Min(Columns, _tiles.Count), rows = (_tiles.Count + Columns - 1) / Columns;
        double cellW = (area.Width - 2 * pad) / cols, cellH = (area.Bottom - pad - top) / rows;
        bool captions = _tiles.Any(t => t.Caption.Length > 0);
        double capSize = CaptionFontSize * s;
        double captionH = captions ? StrokeFont.CapHeight(capSize) + StrokeFont.Descent(capSize) + 4 * s : 0;
        // Cells no taller than the images need, and the block centred, so rows do not drift apart in a tall figure.
        double aspect = _tiles.Max(t => (double)t.Height / t.Width);
        double needH = (cellW - gap) * aspect + gap + captionH;
        if (cellH > needH)
        {
            top += (cellH - needH) * rows / 2;
            cellH = needH;
        }
        for (int i = 0; i < _tiles.Count; i++)
        {
            var t = _tiles[i];
            double cx = area.Left + pad + (i % Columns) * cellW, cy = top + (i / Columns) * cellH;
            double boxW = cellW - gap, boxH = cellH - gap - captionH;
            if (boxW < 1 || boxH < 1) continue;
            // Whole-pixel scale when that costs little, so every source pixel is the same size on screen.
            double k = Math.Min(boxW / t.Width, boxH / t.Height);
            if (k >= 1 && (k >= 4 || Math.Floor(k) / k >= 0.8)) k = Math.Floor(k);
            double w = t.Width * k, h = t.Height * k;
            double x0 = Math.Round(cx + (cellW - w) / 2), y0 = Math.Round(cy + gap / 2 + (boxH - h) / 2);
            var rect = new PixelRect(x0, y0, x0 + w, y0 + h);
            double lo = Min ?? t.Pixels.Where(double.IsFinite).DefaultIfEmpty(0).Min();
            double hi = Max ?? t.Pixels.Where(double.IsFinite).DefaultIfEmpty(1).Max();
            c.FillSampled(rect, (px, py) =>
            {
                int sx = Math.Clamp((int)((px - x0) / k), 0, t.Width - 1), sy = Math.Clamp((int)((py - y0) / k), 0, t.Height - 1);
                double v = t.Pixels[sy * t.Width + sx];
                if (double.IsNaN(v)) return null;
                double f = hi > lo ? (v - lo) / (hi - lo) : 0.5;
                return Colormap.At(Invert ? 1 - f : f);
            });
            if (t.Highlight)
            {
                double bw = Math.Max(2, Math.Round(2 * s));
                c.StrokeRect(rect.Inflate(bw / 2), bw, HighlightColor);
            }
            if (t.Caption.Length > 0)
            {
                double size = Math.Min(capSize, capSize * (cellW - 2 * s) / Math.Max(1, StrokeFont.MeasureWidth(t.Caption, capSize)));
                StrokeFont.Draw(c, t.Caption, rect.CenterX, rect.Bottom + 3 * s + (t.Highlight ? 2 * s : 0), size,
                    t.Highlight ? HighlightColor : Colors.Black, TextAlign.Center, TextAnchorY.Top, weight: t.Highlight ? 1.3 : 1);
            }
        }
    }
}
