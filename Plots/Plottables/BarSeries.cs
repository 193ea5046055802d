using System.Globalization;

namespace GraphDL.Plots;

/// <summary>Vertical bars from zero to each value, centred on their positions.</summary>
public sealed class BarSeries : IPlottable
{
    private readonly double[] _positions, _values;

    public BarSeries(IReadOnlyList<double> positions, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("Series 'values' is empty; a bar chart needs at least one bar.", nameof(values));
        if (positions.Count != values.Count)
            throw new ArgumentException($"'positions' and 'values' must have the same length (positions: {positions.Count}, values: {values.Count}).", nameof(values));
        _positions = [.. positions];
        _values = [.. values];
        if (!_values.Where((v, i) => double.IsFinite(v) && double.IsFinite(_positions[i])).Any())
            throw new ArgumentException("Series 'values' has no finite value.", nameof(values));
    }

    public IReadOnlyList<double> Positions => _positions;
    public IReadOnlyList<double> Values => _values;

    public bool IsVisible { get; set; } = true;
    public string LegendText { get; set; } = "";
    public Color Color { get; set; } = Palette.Get(0);

    /// <summary>Bar width in data units along x.</summary>
    public double BarWidth { get; set; } = 0.8;

    /// <summary>Writes each value above (or below, for negative values) its bar.</summary>
    public bool ShowValues { get; set; }

    public string ValueFormat { get; set; } = "G4";

    /// <summary>Category names under the bars; set by Add.Bars(labels, values).</summary>
    public IReadOnlyList<string>? Labels { get; set; }

    public IReadOnlyList<Tick>? XTicks => Labels is null ? null : [.. _positions.Select((p, i) => new Tick(p, i < Labels.Count ? Labels[i] : ""))];

    public AxisLimits GetLimits(Axis xAxis, Axis yAxis)
    {
        var l = AxisLimits.Empty;
        for (int i = 0; i < _values.Length; i++)
        {
            if (!double.IsFinite(_values[i]) || !double.IsFinite(_positions[i])) continue;
            l = l.Include(_positions[i] - BarWidth / 2, _values[i]).Include(_positions[i] + BarWidth / 2, _values[i]);
            if (!yAxis.IsLog) l = l.Include(_positions[i], 0);
        }
        return l;
    }

    public IEnumerable<LegendItem> LegendItems => [new LegendItem(LegendText, Color, IsFilledBox: true)];

    public IEnumerable<PointD> Footprint(RenderContext rc)
    {
        for (int i = 0; i < _values.Length; i++)
        {
            if (!double.IsFinite(_values[i])) continue;
            double x = rc.XToPixel(_positions[i]), y0 = rc.YToPixel(rc.YAxis.IsLog ? rc.Limits.YMin : 0), y1 = rc.YToPixel(_values[i]);
            for (double y = Math.Min(y0, y1); y <= Math.Max(y0, y1); y += 6 * rc.Scale) yield return new PointD(x, y);
        }
    }

    public void Render(RenderContext rc)
    {
        var c = rc.Canvas;
        double s = rc.Scale;
        for (int i = 0; i < _values.Length; i++)
        {
            double v = _values[i], p = _positions[i];
            if (!double.IsFinite(v) || !double.IsFinite(p) || (rc.YAxis.IsLog && !(v > 0))) continue;
            double baseY = rc.YToPixel(rc.YAxis.IsLog ? rc.Limits.YMin : 0), topY = rc.YToPixel(v);
            double left = rc.XToPixel(p - BarWidth / 2), right = rc.XToPixel(p + BarWidth / 2);
            c.FillRect(new PixelRect(left, Math.Min(baseY, topY), right, Math.Max(baseY, topY)), Color);
            if (!ShowValues) continue;
            string text = v.ToString(ValueFormat, CultureInfo.InvariantCulture);
            double size = 11 * s;
            bool up = v >= 0;
            // Values that would leave the data area go inside the bar instead.
            double y = up ? topY - 4 * s : topY + 4 * s;
            bool inside = up ? y - StrokeFont.CapHeight(size) < rc.DataRect.Top : y + StrokeFont.CapHeight(size) > rc.DataRect.Bottom;
            if (inside) y = up ? topY + 4 * s : topY - 4 * s;
            var color = inside ? (Color.Luminance > 0.5 ? Colors.Black : Colors.White) : Colors.Black;
            StrokeFont.Draw(c, text, (left + right) / 2, y, size, color, TextAlign.Center,
                up != inside ? TextAnchorY.Baseline : TextAnchorY.Top);
        }
    }
}
