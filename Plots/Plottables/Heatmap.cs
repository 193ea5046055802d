using System.Globalization;
using ScottPlot;

namespace GraphDL.Plots;

/// <summary>
/// A matrix drawn as coloured cells by ScottPlot's heatmap, row 0 at the top as in a printed matrix (a
/// confusion matrix reads true labels down, predictions across). Cell (r, c) is centred on x = c,
/// y = rows - 1 - r, and the ticks are labelled with row and column indices (or <see cref="RowLabels"/> /
/// <see cref="ColumnLabels"/>). NaN cells are left empty.
/// </summary>
public sealed class Heatmap : IPlottable
{
    private readonly double[,] _data;

    /// <summary>A heatmap of <paramref name="data"/>; at least one cell must be finite.</summary>
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

    /// <summary>Number of rows.</summary>
    public int Rows => _data.GetLength(0);

    /// <summary>Number of columns.</summary>
    public int Columns => _data.GetLength(1);

    /// <summary>The smallest finite cell.</summary>
    public double DataMin { get; }

    /// <summary>The largest finite cell.</summary>
    public double DataMax { get; }

    /// <inheritdoc/>
    public bool IsVisible { get; set; } = true;

    /// <summary>Maps values to colours; Viridis (perceptually uniform, colour-blind safe) unless set.</summary>
    public IColormap Colormap { get; set; } = new ScottPlot.Colormaps.Viridis();

    /// <summary>Value mapped to the colormap's low end; null uses the data minimum.</summary>
    public double? Min { get; set; }

    /// <summary>Value mapped to the colormap's high end; null uses the data maximum.</summary>
    public double? Max { get; set; }

    /// <summary>Writes each cell's value in it, in black or white, whichever reads better on the cell colour.</summary>
    public bool ShowValues { get; set; }

    /// <summary>How <see cref="ShowValues"/> formats a value (a .NET numeric format).</summary>
    public string ValueFormat { get; set; } = "G3";

    /// <summary>Font size of the cell values, in logical pixels.</summary>
    public double ValueFontSize { get; set; } = 12;

    /// <summary>Names of the rows, top to bottom, in place of their indices.</summary>
    public IReadOnlyList<Caption>? RowLabels { get; set; }

    /// <summary>Names of the columns, left to right, in place of their indices.</summary>
    public IReadOnlyList<Caption>? ColumnLabels { get; set; }

    /// <summary>The value at the colormap's low end.</summary>
    public double RangeMin => Min ?? DataMin;

    /// <summary>The value at the colormap's high end.</summary>
    public double RangeMax => Max ?? DataMax;

    /// <summary>The colour a cell of value <paramref name="v"/> gets.</summary>
    public Color ColorOf(double v)
    {
        double lo = RangeMin, hi = RangeMax;
        return Colormap.GetColor(hi > lo ? Math.Clamp((v - lo) / (hi - lo), 0, 1) : 0.5);
    }

    /// <summary>The ScottPlot heatmap the last build made, for a colour bar to show its scale.</summary>
    internal ScottPlot.Plottables.Heatmap? Built { get; private set; }

    /// <inheritdoc/>
    public bool TightLimits => true;

    /// <inheritdoc/>
    public IEnumerable<Caption> LegendTexts => [];

    /// <inheritdoc/>
    public void AddTo(BuildContext context)
    {
        var map = context.Plot.Add.Heatmap((double[,])_data.Clone());
        map.Colormap = Colormap;
        map.ManualRange = new ScottPlot.Range(RangeMin, RangeMax);
        map.NaNCellColor = Colors.Transparent;
        Built = map;
        int rows = Rows, cols = Columns;
        int[] shownColumns = [.. IndexTicks(cols, ColumnLabels)], shownRows = [.. IndexTicks(rows, RowLabels)];
        context.SetTicks(context.Plot.Axes.Bottom, [.. shownColumns.Select(c => (double)c)], [.. shownColumns.Select(c => Name(ColumnLabels, c))]);
        context.SetTicks(context.Plot.Axes.Left, [.. shownRows.Select(r => (double)(rows - 1 - r))], [.. shownRows.Select(r => Name(RowLabels, r))]);
        if (!ShowValues) return;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double v = _data[r, c];
                if (double.IsNaN(v)) continue;
                var text = context.Plot.Add.Text(v.ToString(ValueFormat, CultureInfo.InvariantCulture), c, rows - 1 - r);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = (float)ValueFontSize;
                text.LabelFontColor = ColorOf(v).Luminance > 0.5 ? Colors.Black : Colors.White;
            }
    }

    /// <summary>Every index of a short axis; every n-th of a long one, so labels do not run into each other.</summary>
    private static IEnumerable<int> IndexTicks(int n, IReadOnlyList<Caption>? labels)
    {
        int step = n <= 12 || labels is not null ? 1 : (int)Math.Ceiling(n / 8.0);
        for (int i = 0; i < n; i += step) yield return i;
    }

    private static Caption Name(IReadOnlyList<Caption>? labels, int i) =>
        labels is not null && i < labels.Count ? labels[i] : i.ToString(CultureInfo.InvariantCulture);
}
