using ScottPlot;

namespace GraphDL.Plots;

/// <summary>
/// A series of (x, y) points joined by a line and/or drawn as markers, drawn by ScottPlot's scatter plot.
/// NaN and infinite points (and non-positive ones on a log axis) are skipped: the line breaks there instead
/// of diving off the chart.
/// </summary>
public sealed class Scatter : IPlottable
{
    private readonly double[] _xs, _ys;

    /// <summary>A series of the given points; at least one must be finite.</summary>
    public Scatter(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        if (xs.Count == 0) throw new ArgumentException("Series 'xs' is empty; a scatter series needs at least one point.", nameof(xs));
        if (xs.Count != ys.Count)
            throw new ArgumentException($"Series 'xs' and 'ys' must have the same length (xs: {xs.Count}, ys: {ys.Count}).", nameof(ys));
        _xs = [.. xs];
        _ys = [.. ys];
        bool any = false;
        for (int i = 0; i < _xs.Length && !any; i++) any = double.IsFinite(_xs[i]) && double.IsFinite(_ys[i]);
        if (!any) throw new ArgumentException("Series 'ys' has no finite (x, y) point: every point is NaN or infinite.", nameof(ys));
    }

    /// <summary>The x values, as given.</summary>
    public IReadOnlyList<double> Xs => _xs;

    /// <summary>The y values, as given.</summary>
    public IReadOnlyList<double> Ys => _ys;

    /// <inheritdoc/>
    public bool IsVisible { get; set; } = true;

    /// <summary>The series' legend entry; empty leaves it out of the legend.</summary>
    public Caption LegendText { get; set; }

    /// <summary>Line and marker colour.</summary>
    public Color Color { get; set; } = Palette.Get(0);

    /// <summary>Line width in logical pixels; 0 draws markers only.</summary>
    public double LineWidth { get; set; } = 2;

    /// <summary>Solid, dashed or dotted (ScottPlot's <see cref="ScottPlot.LinePattern"/>).</summary>
    public LinePattern LinePattern { get; set; } = LinePattern.Solid;

    /// <summary>The marker drawn at each point.</summary>
    public MarkerShape MarkerShape { get; set; } = MarkerShape.FilledCircle;

    /// <summary>Marker diameter in logical pixels; 0 hides markers.</summary>
    public double MarkerSize { get; set; } = 6;

    /// <summary>A ring around each marker; white or dark rings keep points visible over filled regions.</summary>
    public Color? MarkerOutline { get; set; }

    /// <inheritdoc/>
    public IEnumerable<Caption> LegendTexts => [LegendText];

    /// <inheritdoc/>
    public IEnumerable<(double X, double Y)> Footprint(BuildContext context)
    {
        (double X, double Y)? previous = null;
        for (int i = 0; i < _xs.Length; i++)
        {
            double x = context.X(_xs[i]), y = context.Y(_ys[i]);
            if (double.IsNaN(x) || double.IsNaN(y)) { previous = null; continue; }
            if (LineWidth > 0 && previous is { } p)
                for (int k = 1; k < 16; k++) yield return (p.X + (x - p.X) * k / 16, p.Y + (y - p.Y) * k / 16);
            yield return (x, y);
            previous = (x, y);
        }
    }

    /// <inheritdoc/>
    public void AddTo(BuildContext context)
    {
        double[] xs = new double[_xs.Length], ys = new double[_ys.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            (xs[i], ys[i]) = (context.X(_xs[i]), context.Y(_ys[i]));
            if (double.IsNaN(xs[i]) || double.IsNaN(ys[i])) (xs[i], ys[i]) = (double.NaN, double.NaN);
        }
        if (xs.All(double.IsNaN)) return; // nothing this axis can show (all points non-positive on a log axis)
        var scatter = context.Plot.Add.Scatter(xs, ys, Color);
        scatter.LineWidth = (float)LineWidth;
        scatter.MarkerStyle = Marker() ?? MarkerStyle.None;
        var legend = new LegendItem { LineWidth = (float)LineWidth, LineColor = Color, MarkerStyle = Marker() ?? MarkerStyle.None };
        if (LinePattern.Intervals is { Length: >= 2 } intervals && LineWidth > 0)
        {
            // Dashes cut into the path itself, so the SVG is dashed too (see DashedPath).
            var dashes = new DashedPath(intervals);
            scatter.PathStrategy = dashes;
            legend.LineWidth = 0;
            legend.MarkerStyle = new MarkerStyle(MarkerShape.FilledCircle, 1)
            {
                CustomRenderer = new DashedSwatch(dashes, new LineStyle((float)LineWidth, Color), Legend.SymbolWidth, Marker()),
            };
        }
        context.AddLegendItem(LegendText, legend);
    }

    /// <summary>The markers ScottPlot draws at the points, or null when they are hidden.</summary>
    private MarkerStyle? Marker()
    {
        if (MarkerSize <= 0 || MarkerShape == MarkerShape.None) return null;
        var marker = new MarkerStyle(MarkerShape, (float)MarkerSize, Color);
        if (MarkerOutline is { } outline)
        {
            marker.OutlineColor = outline;
            marker.OutlineWidth = 1.5f;
        }
        return marker;
    }
}
