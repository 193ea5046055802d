namespace GraphDL.Plots;

/// <summary>
/// The classes a classifier assigns over a rectangle of the input plane, as filled regions in light
/// versions of the series colours so that data points drawn on top stay visible.
/// </summary>
/// <remarks>
/// <c>Classes[row, col]</c> is the class of grid cell (row, col); row 0 is the bottom (yMin) row,
/// column 0 the left (xMin) column. A negative class leaves the cell empty.
/// </remarks>
public sealed class DecisionRegions : IPlottable
{
    private readonly int[,] _classes;

    public DecisionRegions(int[,] classes, double xMin, double xMax, double yMin, double yMax)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Length == 0) throw new ArgumentException("Decision grid 'classes' is empty.", nameof(classes));
        if (!double.IsFinite(xMin) || !double.IsFinite(xMax) || !(xMax > xMin))
            throw new ArgumentException($"Need finite xMin < xMax (got {xMin}, {xMax}).", nameof(xMax));
        if (!double.IsFinite(yMin) || !double.IsFinite(yMax) || !(yMax > yMin))
            throw new ArgumentException($"Need finite yMin < yMax (got {yMin}, {yMax}).", nameof(yMax));
        _classes = (int[,])classes.Clone();
        (XMin, XMax, YMin, YMax) = (xMin, xMax, yMin, yMax);
    }

    /// <summary>Samples <paramref name="classify"/> at the centres of a resolution x resolution grid.</summary>
    public static DecisionRegions FromFunction(Func<double, double, int> classify, double xMin, double xMax, double yMin, double yMax, int resolution = 200)
    {
        ArgumentNullException.ThrowIfNull(classify);
        ArgumentOutOfRangeException.ThrowIfLessThan(resolution, 2);
        var grid = new int[resolution, resolution];
        for (int r = 0; r < resolution; r++)
            for (int c = 0; c < resolution; c++)
                grid[r, c] = classify(xMin + (c + 0.5) * (xMax - xMin) / resolution, yMin + (r + 0.5) * (yMax - yMin) / resolution);
        return new DecisionRegions(grid, xMin, xMax, yMin, yMax);
    }

    public double XMin { get; }
    public double XMax { get; }
    public double YMin { get; }
    public double YMax { get; }
    public int[,] Classes => (int[,])_classes.Clone();

    public bool IsVisible { get; set; } = true;

    /// <summary>Region colour per class; by default the palette's colour for that class, lightened.</summary>
    public Func<int, Color> ClassColor { get; set; } = k => Palette.Get(k).Lighten(0.6);

    /// <summary>Legend names per class; leave null when the data points carry the legend.</summary>
    public IReadOnlyList<string>? ClassNames { get; set; }

    public bool TightLimits => true;

    public AxisLimits GetLimits(Axis xAxis, Axis yAxis) => new(XMin, XMax, YMin, YMax);

    public IEnumerable<LegendItem> LegendItems =>
        ClassNames is null ? [] : ClassNames.Select((n, k) => new LegendItem(n, ClassColor(k), IsFilledBox: true));

    public void Render(RenderContext rc)
    {
        int rows = _classes.GetLength(0), cols = _classes.GetLength(1);
        var area = new PixelRect(rc.XToPixel(XMin), rc.YToPixel(YMax), rc.XToPixel(XMax), rc.YToPixel(YMin));
        var cache = new Dictionary<int, Color>();
        rc.Canvas.FillSampled(area, (px, py) =>
        {
            double fx = (rc.PixelToX(px) - XMin) / (XMax - XMin), fy = (rc.PixelToY(py) - YMin) / (YMax - YMin);
            int c = Math.Clamp((int)(fx * cols), 0, cols - 1), r = Math.Clamp((int)(fy * rows), 0, rows - 1);
            int k = _classes[r, c];
            if (k < 0) return null;
            if (!cache.TryGetValue(k, out var color)) cache[k] = color = ClassColor(k);
            return color;
        });
    }
}
