using System.Globalization;
using ScottPlot;

namespace GraphDL.Plots;

/// <summary>Vertical bars from zero (or, on a log axis, from the decade below the smallest value) to each value, drawn by ScottPlot's bar plot.</summary>
public sealed class BarSeries : IPlottable
{
    private readonly double[] _positions, _values;

    /// <summary>Bars centred on <paramref name="positions"/>; at least one bar must be finite.</summary>
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

    /// <summary>The bars' centres along x.</summary>
    public IReadOnlyList<double> Positions => _positions;

    /// <summary>The bars' heights.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <inheritdoc/>
    public bool IsVisible { get; set; } = true;

    /// <summary>The series' legend entry; empty leaves it out of the legend.</summary>
    public Caption LegendText { get; set; }

    /// <summary>Fill colour of every bar.</summary>
    public Color Color { get; set; } = Palette.Get(0);

    /// <summary>Bar width in data units along x.</summary>
    public double BarWidth { get; set; } = 0.8;

    /// <summary>Writes each value above its bar.</summary>
    public bool ShowValues { get; set; }

    /// <summary>How <see cref="ShowValues"/> formats a value (a .NET numeric format).</summary>
    public string ValueFormat { get; set; } = "G4";

    /// <summary>Category names under the bars; set by Add.Bars(labels, values).</summary>
    public IReadOnlyList<Caption>? Labels { get; set; }

    /// <inheritdoc/>
    public IEnumerable<Caption> LegendTexts => [LegendText];

    /// <inheritdoc/>
    public IEnumerable<(double X, double Y)> Footprint(BuildContext context)
    {
        double floor = Floor(context);
        for (int i = 0; i < _values.Length; i++)
        {
            double x = context.X(_positions[i]), top = context.Y(_values[i]);
            if (double.IsNaN(x) || double.IsNaN(top)) continue;
            for (int k = 0; k <= 8; k++) yield return (x, floor + (top - floor) * k / 8);
        }
    }

    /// <inheritdoc/>
    public void AddTo(BuildContext context)
    {
        double floor = Floor(context);
        var bars = new List<Bar>();
        for (int i = 0; i < _values.Length; i++)
        {
            double x = context.X(_positions[i]), top = context.Y(_values[i]);
            if (double.IsNaN(x) || double.IsNaN(top)) continue;
            bars.Add(new Bar
            {
                Position = x, Value = top, ValueBase = floor, Size = BarWidth, FillColor = Color, LineWidth = 0,
                Label = ShowValues ? _values[i].ToString(ValueFormat, CultureInfo.InvariantCulture) : "",
            });
        }
        if (bars.Count == 0) return;
        context.Plot.Add.Bars(bars);
        context.AddLegendBox(LegendText, Color);
        if (Labels is { } labels)
            context.SetTicks(context.Plot.Axes.Bottom, [.. _positions.Take(labels.Count).Select(context.X)], [.. labels.Take(_positions.Length)]);
    }

    /// <summary>Where bars start: zero, or on a log axis (which has no zero) the decade below the smallest value.</summary>
    private double Floor(BuildContext context)
    {
        if (!context.Axes.Left.IsLog) return 0;
        var positive = _values.Where(v => v > 0 && double.IsFinite(v)).ToList();
        return positive.Count == 0 ? 0 : Math.Floor(Math.Log10(positive.Min()));
    }
}
