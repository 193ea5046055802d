using ScottPlot;

namespace GraphDL.Plots;

/// <summary>Creates plottables, gives them the next palette colour and adds them to the plot (plt.Add.*).</summary>
public sealed class PlottableAdder(Plot plot)
{
    /// <summary>Points joined by lines, with markers.</summary>
    public Scatter Scatter(IReadOnlyList<double> xs, IReadOnlyList<double> ys, Color? color = null)
    {
        var sp = new Scatter(xs, ys) { Color = color ?? plot.NextColor() };
        plot.AddPlottable(sp);
        return sp;
    }

    /// <summary>Points joined by lines, with markers, from single-precision data (what the engine's tensors hold).</summary>
    public Scatter Scatter(IReadOnlyList<float> xs, IReadOnlyList<float> ys, Color? color = null) =>
        Scatter(ToDouble(xs, nameof(xs)), ToDouble(ys, nameof(ys)), color);

    /// <summary>Points joined by lines, without markers.</summary>
    public Scatter ScatterLine(IReadOnlyList<double> xs, IReadOnlyList<double> ys, Color? color = null)
    {
        var sp = Scatter(xs, ys, color);
        sp.MarkerSize = 0;
        return sp;
    }

    /// <summary>Markers only.</summary>
    public Scatter ScatterPoints(IReadOnlyList<double> xs, IReadOnlyList<double> ys, Color? color = null)
    {
        var sp = Scatter(xs, ys, color);
        sp.LineWidth = 0;
        return sp;
    }

    /// <summary>Evenly spaced samples (a loss per step): x = offset + i * period, drawn as a line.</summary>
    public Scatter Signal(IReadOnlyList<double> ys, double period = 1, double offset = 0, Color? color = null)
    {
        ArgumentNullException.ThrowIfNull(ys);
        if (!(period > 0)) throw new ArgumentOutOfRangeException(nameof(period), period, "period must be positive.");
        var xs = new double[ys.Count];
        for (int i = 0; i < xs.Length; i++) xs[i] = offset + i * period;
        return ScatterLine(xs, ys, color);
    }

    /// <summary>Bars at x = 0, 1, 2, ...</summary>
    public BarSeries Bars(IReadOnlyList<double> values, Color? color = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Bars([.. Enumerable.Range(0, values.Count).Select(i => (double)i)], values, color);
    }

    /// <summary>Bars at the given x positions (offset positions give grouped bars).</summary>
    public BarSeries Bars(IReadOnlyList<double> positions, IReadOnlyList<double> values, Color? color = null)
    {
        var bars = new BarSeries(positions, values) { Color = color ?? plot.NextColor() };
        plot.AddPlottable(bars);
        return bars;
    }

    /// <summary>One bar per named category, labelled under the axis.</summary>
    public BarSeries Bars(IReadOnlyList<Caption> labels, IReadOnlyList<double> values, Color? color = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        if (labels.Count != values.Count)
            throw new ArgumentException($"'labels' and 'values' must have the same length (labels: {labels.Count}, values: {values.Count}).", nameof(values));
        var bars = Bars(values, color);
        bars.Labels = labels;
        return bars;
    }

    /// <summary>One bar per named category, labelled under the axis.</summary>
    public BarSeries Bars(IReadOnlyList<string> labels, IReadOnlyList<double> values, Color? color = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Bars([.. labels.Select(l => (Caption)l)], values, color);
    }

    /// <summary>A matrix as coloured cells, row 0 at the top; Viridis unless <paramref name="colormap"/> is given.</summary>
    public Heatmap Heatmap(double[,] data, IColormap? colormap = null)
    {
        var hm = new Heatmap(data);
        if (colormap is not null) hm.Colormap = colormap;
        plot.AddPlottable(hm);
        return hm;
    }

    /// <summary>A single-precision matrix as coloured cells.</summary>
    public Heatmap Heatmap(float[,] data, IColormap? colormap = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var d = new double[data.GetLength(0), data.GetLength(1)];
        for (int r = 0; r < d.GetLength(0); r++)
            for (int c = 0; c < d.GetLength(1); c++) d[r, c] = data[r, c];
        return Heatmap(d, colormap);
    }

    /// <summary>A colour scale for <paramref name="source"/>, right of the data area.</summary>
    public ColorBar ColorBar(Heatmap source)
    {
        var cb = new ColorBar(source);
        plot.ColorBar = cb;
        return cb;
    }

    /// <summary>Regions from a precomputed class grid; row 0 is the bottom (yMin) row.</summary>
    public DecisionRegions DecisionRegions(int[,] classes, double xMin, double xMax, double yMin, double yMax)
    {
        var dr = new DecisionRegions(classes, xMin, xMax, yMin, yMax);
        plot.AddPlottable(dr);
        return dr;
    }

    /// <summary>Regions from a classifier sampled on a resolution x resolution grid.</summary>
    public DecisionRegions DecisionRegions(Func<double, double, int> classify, double xMin, double xMax, double yMin, double yMax, int resolution = 200)
    {
        var dr = Plots.DecisionRegions.FromFunction(classify, xMin, xMax, yMin, yMax, resolution);
        plot.AddPlottable(dr);
        return dr;
    }

    /// <summary>Adds a plottable made elsewhere.</summary>
    public T Plottable<T>(T plottable) where T : IPlottable
    {
        ArgumentNullException.ThrowIfNull(plottable);
        plot.AddPlottable(plottable);
        return plottable;
    }

    private static double[] ToDouble(IReadOnlyList<float> v, string name)
    {
        ArgumentNullException.ThrowIfNull(v, name);
        return [.. v.Select(f => (double)f)];
    }
}
