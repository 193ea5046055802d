namespace GraphDL.Plots;

/// <summary>
/// A series of (x, y) points joined by a line and/or drawn as markers. NaN and infinite points (and
/// non-positive ones on a log axis) are skipped: the line breaks there instead of diving off the chart.
/// </summary>
public sealed class Scatter : IPlottable
{
    private readonly double[] _xs, _ys;

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

    public IReadOnlyList<double> Xs => _xs;
    public IReadOnlyList<double> Ys => _ys;

    public bool IsVisible { get; set; } = true;
    public string LegendText { get; set; } = "";
    public Color Color { get; set; } = Palette.Get(0);
    public double LineWidth { get; set; } = 2;
    public LinePattern LinePattern { get; set; } = LinePattern.Solid;
    public MarkerShape MarkerShape { get; set; } = MarkerShape.FilledCircle;

    /// <summary>Marker diameter in logical pixels; 0 hides markers.</summary>
    public double MarkerSize { get; set; } = 6;

    /// <summary>A ring around each marker; white or dark rings keep points visible over filled regions.</summary>
    public Color? MarkerOutline { get; set; }

    private bool Valid(int i, Axis x, Axis y) => x.Accepts(_xs[i]) && y.Accepts(_ys[i]);

    public AxisLimits GetLimits(Axis xAxis, Axis yAxis)
    {
        var l = AxisLimits.Empty;
        for (int i = 0; i < _xs.Length; i++)
            if (Valid(i, xAxis, yAxis)) l = l.Include(_xs[i], _ys[i]);
        return l;
    }

    public IEnumerable<LegendItem> LegendItems =>
    [
        new LegendItem(LegendText, Color, LineWidth, MarkerSize > 0 ? MarkerShape : MarkerShape.None, MarkerSize, LinePattern: LinePattern),
    ];

    public IEnumerable<PointD> Footprint(RenderContext rc)
    {
        PointD? prev = null;
        for (int i = 0; i < _xs.Length; i++)
        {
            if (!Valid(i, rc.XAxis, rc.YAxis)) { prev = null; continue; }
            var p = rc.ToPixel(_xs[i], _ys[i]);
            if (LineWidth > 0 && prev is { } q)
            {
                double len = Math.Sqrt((p.X - q.X) * (p.X - q.X) + (p.Y - q.Y) * (p.Y - q.Y));
                int steps = Math.Min(200, (int)(len / (8 * rc.Scale)));
                for (int k = 1; k < steps; k++)
                    yield return new PointD(q.X + (p.X - q.X) * k / steps, q.Y + (p.Y - q.Y) * k / steps);
            }
            yield return p;
            prev = p;
        }
    }

    public void Render(RenderContext rc)
    {
        var c = rc.Canvas;
        double s = rc.Scale;
        if (LineWidth > 0)
        {
            var run = new List<PointD>(_xs.Length);
            var dashes = Markers.Dashes(LinePattern, LineWidth * s);
            for (int i = 0; i <= _xs.Length; i++)
            {
                if (i < _xs.Length && Valid(i, rc.XAxis, rc.YAxis)) { run.Add(rc.ToPixel(_xs[i], _ys[i])); continue; }
                // A lone point between gaps has no segment; its marker (if any) shows it.
                if (run.Count > 1) c.MaskPolyline(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(run), LineWidth * s, dashes);
                run.Clear();
            }
            c.FlushMask(Color);
        }
        if (MarkerSize > 0 && MarkerShape != MarkerShape.None)
            for (int i = 0; i < _xs.Length; i++)
                if (Valid(i, rc.XAxis, rc.YAxis))
                    Markers.Draw(c, rc.ToPixel(_xs[i], _ys[i]), MarkerShape, MarkerSize * s, Color, MarkerOutline);
    }
}
