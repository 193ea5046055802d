using System.Globalization;
using ScottPlot;

namespace GraphDL.Plots;

/// <summary>
/// One call from a training history to a picture: each metric gets a panel, with its "val_" twin in the
/// same panel ("loss" with "val_loss", "accuracy" with "val_accuracy"), as a history dictionary is laid out.
/// </summary>
public static class TrainingCurves
{
    /// <summary>Builds one panel per metric, side by side (at most three per row).</summary>
    /// <param name="history">Metric name to one value per epoch (or step).</param>
    /// <param name="xLabel">Label of the horizontal axis.</param>
    /// <param name="logScaleLoss">Log-scale y for metrics whose name contains "loss".</param>
    /// <param name="x">Where each value lies on the horizontal axis (the step it was taken at); 1, 2, 3 ... when null.</param>
    /// <param name="trainName">The legend of the plain series.</param>
    /// <param name="validationName">The legend of the "val_" series.</param>
    public static Multiplot Create(IReadOnlyDictionary<string, IReadOnlyList<double>> history, string xLabel = "epoch", bool logScaleLoss = false,
        IReadOnlyList<double>? x = null, Caption? trainName = null, Caption? validationName = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0) throw new ArgumentException("The training history has no series.", nameof(history));
        foreach (var (key, values) in history)
        {
            if (values is null || values.Count == 0)
                throw new ArgumentException($"History series '{key}' is empty.", nameof(history));
            if (!values.Any(double.IsFinite))
                throw new ArgumentException($"History series '{key}' has no finite value.", nameof(history));
            if (x is not null && x.Count != values.Count)
                throw new ArgumentException($"History series '{key}' has {values.Count} values for {x.Count} x positions.", nameof(x));
        }

        Caption train = trainName ?? "train", validation = validationName ?? "validation";
        var metrics = history.Keys.Where(k => !(k.StartsWith("val_", StringComparison.Ordinal) && history.ContainsKey(k[4..]))).ToList();
        int cols = Math.Min(3, metrics.Count), rows = (metrics.Count + cols - 1) / cols;
        var figure = new Multiplot(rows, cols);
        foreach (var metric in metrics)
        {
            var plot = figure.AddPlot();
            plot.Title(Pretty(metric));
            plot.XLabel(xLabel);
            plot.YLabel(metric);
            bool log = logScaleLoss && metric.Contains("loss", StringComparison.OrdinalIgnoreCase)
                       && history[metric].Where(double.IsFinite).All(v => v > 0);
            if (log) plot.Axes.LogScaleY();
            bool isValidation = metric.StartsWith("val_", StringComparison.Ordinal);
            AddSeries(plot, x, history[metric], isValidation ? validation : train, dashed: isValidation);
            if (history.TryGetValue("val_" + metric, out var val))
                AddSeries(plot, x, val, validation, dashed: true);
        }
        return figure;
    }

    /// <summary>
    /// Creates the panels and writes them as <c>name.png</c> and <c>name.svg</c> (see <see cref="Figure.Save"/>);
    /// width 0 gives 450 logical pixels per column, height 0 gives 380 per row.
    /// </summary>
    public static void Save(IReadOnlyDictionary<string, IReadOnlyList<double>> history, string path,
        int width = 0, int height = 0, bool logScaleLoss = false, double scaleFactor = 1)
    {
        var figure = Create(history, logScaleLoss: logScaleLoss);
        figure.ScaleFactor = scaleFactor;
        figure.Save(path, width > 0 ? width : 450 * figure.Columns, height > 0 ? height : 380 * figure.Rows);
    }

    private static void AddSeries(Plot plot, IReadOnlyList<double>? x, IReadOnlyList<double> values, Caption name, bool dashed)
    {
        var xs = new double[values.Count];
        for (int i = 0; i < xs.Length; i++) xs[i] = x?[i] ?? i + 1;
        var sp = plot.Add.Scatter(xs, values);
        sp.LegendText = name;
        sp.MarkerSize = values.Count <= 30 ? 5 : 0;
        if (dashed) sp.LinePattern = LinePattern.Dashed;
    }

    private static string Pretty(string metric)
    {
        var words = metric.Replace('_', ' ');
        return words.Length == 0 ? words : char.ToUpper(words[0], CultureInfo.InvariantCulture) + words[1..];
    }
}
