using ScottPlot;

namespace GraphDL.Plots;

/// <summary>
/// The classes a classifier assigns over a rectangle of the input plane, as filled regions in light
/// versions of the series colours so that data points drawn on top stay visible. Drawn as a ScottPlot
/// heatmap of class numbers whose colormap gives each class its colour.
/// </summary>
/// <remarks>
/// <c>Classes[row, col]</c> is the class of grid cell (row, col); row 0 is the bottom (yMin) row,
/// column 0 the left (xMin) column. A negative class leaves the cell empty.
/// </remarks>
public sealed class DecisionRegions : IPlottable
{
    private readonly int[,] _classes;

    /// <summary>Regions from a class grid spanning [xMin, xMax] x [yMin, yMax].</summary>
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

    /// <summary>Left edge of the grid, in data units.</summary>
    public double XMin { get; }

    /// <summary>Right edge of the grid.</summary>
    public double XMax { get; }

    /// <summary>Bottom edge of the grid.</summary>
    public double YMin { get; }

    /// <summary>Top edge of the grid.</summary>
    public double YMax { get; }

    /// <summary>A copy of the class grid.</summary>
    public int[,] Classes => (int[,])_classes.Clone();

    /// <inheritdoc/>
    public bool IsVisible { get; set; } = true;

    /// <summary>Region colour per class; by default the palette's colour for that class, lightened.</summary>
    public Func<int, Color> ClassColor { get; set; } = k => Palette.Get(k).Lighten(0.6);

    /// <summary>Legend names per class; leave null when the data points carry the legend.</summary>
    public IReadOnlyList<Caption>? ClassNames { get; set; }

    /// <inheritdoc/>
    public bool TightLimits => true;

    /// <inheritdoc/>
    public IEnumerable<Caption> LegendTexts => ClassNames ?? [];

    /// <inheritdoc/>
    public void AddTo(BuildContext context)
    {
        int rows = _classes.GetLength(0), cols = _classes.GetLength(1), top = 0;
        // ScottPlot puts a heatmap's row 0 at the top; the grid's row 0 is the bottom.
        var cells = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                int k = _classes[rows - 1 - r, c];
                cells[r, c] = k < 0 ? double.NaN : k;
                top = Math.Max(top, k);
            }
        if (cells.Cast<double>().All(double.IsNaN)) return; // every cell is left empty
        var colors = Enumerable.Range(0, top + 1).Select(ClassColor).ToArray();
        var map = HeatmapPlacement.Add(context.Plot, cells, new CoordinateRect(context.X(XMin), context.X(XMax), context.Y(YMin), context.Y(YMax)));
        map.Colormap = new ClassColormap(colors);
        map.ManualRange = new ScottPlot.Range(0, Math.Max(1, top));
        if (ClassNames is { } names)
            for (int k = 0; k < names.Count; k++) context.AddLegendBox(names[k], ClassColor(k));
    }

    /// <summary>Class k's colour at the position k takes in the heatmap's range [0, max(1, last class)].</summary>
    private sealed class ClassColormap(Color[] colors) : IColormap
    {
        public string Name => "classes";

        public Color GetColor(double position)
        {
            int last = Math.Max(1, colors.Length - 1);
            return double.IsNaN(position) ? Colors.Transparent : colors[Math.Clamp((int)Math.Round(position * last), 0, colors.Length - 1)];
        }
    }
}
