using System.Globalization;

namespace GraphDL.Plots;

/// <summary>
/// A matrix drawn as coloured cells, row 0 at the top as in a printed matrix (a confusion matrix reads
/// true labels down, predictions across). Cell (r, c) is centred on x = c, y = rows - 1 - r, and the
/// ticks are labelled with row and column indices (or <see cref="RowLabels"/> / <see cref="ColumnLabels"/>).
/// NaN cells are left empty.
/// </summary>
public sealed class Heatmap : IPlottable
{
    private readonly double[,] _data;

    public Heatmap(double[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0) throw new ArgumentException("Heatmap 'data' is empty.", nameof(data));
        _data = (double[,])data.Clone();
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (double v in _data)
            if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        if (lo > hi) throw new ArgumentException("Heatmap 'data' has no finite value: every cell is NaN or infinite.", nameof(data));
        (DataMin, DataMax) = (lo, hi);
    }

    public int Rows => _data.GetLength(0);
    public int Columns => _data.GetLength(1);
    public double DataMin { get; }
    public double DataMax { get; }

    public bool IsVisible { get; set; } = true;
    public Colormap Colormap { get; set; } = Colormap.Viridis;

    /// <summary>Value mapped to the colormap's low end; null uses the data minimum.</summary>
    public double? Min { get; set; }

    /// <summary>Value mapped to the colormap's high end; null uses the data maximum.</summary>
    public double? Max { get; set; }

    /// <summary>Writes each cell's value in it, in black or white, whichever reads better on the cell colour.</summary>
    public bool ShowValues { get; set; }

    public string ValueFormat { get; set; } = "G3";
    public IReadOnlyList<string>? RowLabels { get; set; }
    public IReadOnlyList<string>? ColumnLabels { get; set; }

    public double RangeMin => Min ?? DataMin;
    public double RangeMax => Max ?? DataMax;

    public Color ColorOf(double v)
    {
        double lo = RangeMin, hi = RangeMax;
        return Colormap.At(hi > lo ? (v - lo) / (hi - lo) : 0.5);
    }

    public bool TightLimits => true;

    public AxisLimits GetLimits(Axis xAxis, Axis yAxis) => new(-0.5, Columns - 0.5, -0.5, Rows - 0.5);

    public IEnumerable<LegendItem> LegendItems => [];

    public IReadOnlyList<Tick>? XTicks => IndexTicks(Columns, ColumnLabels, c => c);

    public IReadOnlyList<Tick>? YTicks => IndexTicks(Rows, RowLabels, r => Rows - 1 - r);

    private static List<Tick> IndexTicks(int n, IReadOnlyList<string>? labels, Func<int, double> position)
    {
        int step = labels is not null || n <= 12 ? 1 : (int)TickGenerator.NiceStep(n / 8.0);
        var ticks = new List<Tick>();
        for (int i = 0; i < n; i += step)
            ticks.Add(new Tick(position(i), labels is not null && i < labels.Count ? labels[i] : i.ToString(CultureInfo.InvariantCulture)));
        return ticks;
    }

    public void Render(RenderContext rc)
    {
        int rows = Rows, cols = Columns;
        var area = new PixelRect(rc.XToPixel(-0.5), rc.YToPixel(rows - 0.5), rc.XToPixel(cols - 0.5), rc.YToPixel(-0.5));
        double cellW = area.Width / cols, cellH = area.Height / rows;
        rc.Canvas.FillSampled(area, (px, py) =>
        {
            int c = Math.Clamp((int)((px - area.Left) / cellW), 0, cols - 1);
            int r = Math.Clamp((int)((py - area.Top) / cellH), 0, rows - 1);
            double v = _data[r, c];
            return double.IsNaN(v) ? null : ColorOf(v);
        });
        if (!ShowValues) return;
        double longest = 1;
        foreach (double v in _data) longest = Math.Max(longest, Format(v).Length);
        double size = Math.Min(12 * rc.Scale, Math.Min(cellH * 0.45 / 0.7, cellW * 0.85 / (0.56 * longest)));
        if (size < 5) return; // too small to read: better no text than grey noise
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double v = _data[r, c];
                if (double.IsNaN(v)) continue;
                var text = ColorOf(v).Luminance > 0.5 ? Colors.Black : Colors.White;
                StrokeFont.Draw(rc.Canvas, Format(v), area.Left + (c + 0.5) * cellW, area.Top + (r + 0.5) * cellH,
                    size, text, TextAlign.Center, TextAnchorY.Middle);
            }
    }

    private string Format(double v) => v.ToString(ValueFormat, CultureInfo.InvariantCulture);
}
