using ScottPlot;

namespace GraphDL.Plots;

/// <summary>One small image in an <see cref="ImageGrid"/>.</summary>
/// <param name="Pixels">Row-major values, Width * Height of them.</param>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Caption">Text under the image (a predicted label).</param>
/// <param name="Highlight">Frames the image and its caption in the highlight colour (a mistake).</param>
public sealed record ImageTile(double[] Pixels, int Width, int Height, Caption Caption, bool Highlight);

/// <summary>
/// Many small grayscale images in a grid with captions: MNIST digits with their predicted labels (wrong
/// ones framed), convolution filters, feature maps. Drawn as one ScottPlot plot without axes: each image is a
/// heatmap over its cell, each caption a text, each mistake a rectangle; square units keep pixels square.
/// </summary>
public sealed class ImageGrid : PanelFigure
{
    private const double Gap = 0.12;          // between images, as a share of a cell's width
    private const double CaptionBand = 0.3;   // room under each image for its caption, likewise

    private readonly List<ImageTile> _tiles = [];

    /// <summary>An empty grid filled row by row, <paramref name="columns"/> images per row.</summary>
    public ImageGrid(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Columns = columns;
    }

    /// <summary>Images per row.</summary>
    public int Columns { get; }

    /// <summary>The images added so far.</summary>
    public IReadOnlyList<ImageTile> Tiles => _tiles;

    /// <summary>The title above the grid.</summary>
    public Caption Title { get; set; }

    /// <summary>Maps pixel values to colours; black to white unless set.</summary>
    public IColormap Colormap { get; set; } = new ScottPlot.Colormaps.Grayscale();

    /// <summary>Dark ink on white paper instead of white on black.</summary>
    public bool Invert { get; set; }

    /// <summary>Value shown as the colormap's low end; null scales each image to its own minimum (filters, feature maps).</summary>
    public double? Min { get; set; }

    /// <summary>Value shown as the colormap's high end; null scales each image to its own maximum.</summary>
    public double? Max { get; set; }

    /// <summary>Colour of the frame and caption of a highlighted image.</summary>
    public Color HighlightColor { get; set; } = Palette.Get(3);

    /// <summary>Caption font size in logical pixels.</summary>
    public double CaptionFontSize { get; set; } = 12;

    /// <summary>Adds an image given row-major pixels (length width * height).</summary>
    public ImageTile Add(IReadOnlyList<double> pixels, int width, int height, Caption caption = default, bool highlight = false)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Count != width * height)
            throw new ArgumentException($"'pixels' has {pixels.Count} values but a {width}x{height} image needs {width * height}.", nameof(pixels));
        var tile = new ImageTile([.. pixels], width, height, caption, highlight);
        _tiles.Add(tile);
        return tile;
    }

    /// <summary>Adds an image given row-major single-precision pixels (what the engine's tensors hold).</summary>
    public ImageTile Add(IReadOnlyList<float> pixels, int width, int height, Caption caption = default, bool highlight = false)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        return Add([.. pixels.Select(p => (double)p)], width, height, caption, highlight);
    }

    internal override ScottPlot.Plot Build(double scaleFactor)
    {
        var plot = new ScottPlot.Plot { ScaleFactor = scaleFactor };
        var context = new BuildContext(plot, new AxesManager(), PlotFonts.Catalog);
        foreach (var axis in plot.Axes.GetAxes()) axis.IsVisible = false;
        plot.HideGrid();
        if (!Title.IsEmpty)
        {
            plot.Title(Title.Text);
            context.Apply(plot.Axes.Title.Label, Title);
        }
        if (_tiles.Count == 0) return plot;

        // A cell is one unit wide; the tallest image sets its height, so every row lines up.
        double aspect = _tiles.Max(t => (double)t.Height / t.Width);
        bool captions = _tiles.Any(t => !t.Caption.IsEmpty);
        double cellHeight = aspect * (1 - Gap) + Gap + (captions ? CaptionBand : 0);
        int rows = (_tiles.Count + Columns - 1) / Columns;
        var colormap = Invert ? new ScottPlot.Colormaps.Reversed(Colormap) : Colormap;
        for (int i = 0; i < _tiles.Count; i++)
        {
            var t = _tiles[i];
            double scale = (1 - Gap) / Math.Max(t.Width, t.Height / aspect); // data units per image pixel
            double w = t.Width * scale, h = t.Height * scale;
            double cx = i % Columns + 0.5, top = -(i / Columns) * cellHeight - Gap / 2 - (aspect * (1 - Gap) - h) / 2;
            var image = new CoordinateRect(cx - w / 2, cx + w / 2, top - h, top);
            AddImage(plot, t, image, colormap);
            if (t.Highlight)
            {
                var frame = plot.Add.Rectangle(image.Left - Gap / 8, image.Right + Gap / 8, image.Bottom - Gap / 8, image.Top + Gap / 8);
                frame.FillColor = Colors.Transparent;
                frame.LineColor = HighlightColor;
                frame.LineWidth = 2.5f;
            }
            if (!t.Caption.IsEmpty)
            {
                double below = -(i / Columns) * cellHeight - Gap / 2 - aspect * (1 - Gap) - Gap / 4;
                var text = plot.Add.Text("", cx, below);
                context.Apply(text.LabelStyle, t.Caption);
                text.Alignment = Alignment.UpperCenter;
                text.LabelFontSize = (float)CaptionFontSize;
                text.LabelFontColor = t.Highlight ? HighlightColor : Colors.Black;
                text.LabelBold = t.Highlight;
            }
        }
        plot.Axes.SetLimits(-Gap / 2, Columns + Gap / 2, -rows * cellHeight, 0);
        plot.Axes.SquareUnits();
        return plot;
    }

    private void AddImage(ScottPlot.Plot plot, ImageTile t, CoordinateRect extent, IColormap colormap)
    {
        if (!t.Pixels.Any(double.IsFinite)) return; // an all-NaN tile is a deliberate gap in the grid
        var cells = new double[t.Height, t.Width];
        for (int y = 0; y < t.Height; y++)
            for (int x = 0; x < t.Width; x++) cells[y, x] = t.Pixels[y * t.Width + x];
        double lo = Min ?? t.Pixels.Where(double.IsFinite).DefaultIfEmpty(0).Min();
        double hi = Max ?? t.Pixels.Where(double.IsFinite).DefaultIfEmpty(1).Max();
        var map = HeatmapPlacement.Add(plot, cells, extent);
        map.Colormap = colormap;
        map.ManualRange = hi > lo ? new ScottPlot.Range(lo, hi) : new ScottPlot.Range(lo - 0.5, lo + 0.5);
    }
}
