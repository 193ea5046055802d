using GraphDL.Plots;
using Colors = ScottPlot.Colors;
using LinePattern = ScottPlot.LinePattern;
using Plot = GraphDL.Plots.Plot;

namespace GraphDL.Bench;

/// <summary>
/// The sweep's three pictures, drawn with GraphDL.Plots: GraphDL's lines solid, PyTorch's dashed in the same colour,
/// one colour per MLP width; both axes logarithmic, since batch sizes, widths and times each span several decades.
/// </summary>
public static class SweepPlots
{
    /// <summary>The file names <see cref="Save"/> writes, in its order.</summary>
    public static readonly string[] Files = ["sweep_mlp_step_ms.png", "sweep_mlp_gflops.png", "sweep_lstm_step_ms.png"];

    private const int Width = 900, Height = 600;

    /// <summary>Writes the three PNGs of <paramref name="report"/> into <paramref name="directory"/> and returns their paths.</summary>
    public static string[] Save(SweepReport report, string directory)
    {
        Plot[] plots = [MlpTime(report), MlpGflops(report), LstmTime(report)];
        var paths = Files.Select(f => Path.Combine(directory, f)).ToArray();
        for (int i = 0; i < plots.Length; i++) plots[i].SavePng(paths[i], Width, Height);
        return paths;
    }

    /// <summary>(a) Milliseconds per MLP step against batch size, one line per width.</summary>
    public static Plot MlpTime(SweepReport report)
    {
        var plt = LogLog("MLP training step (784 -> width -> 10, ReLU, softmax cross entropy, SGD)", "batch size", "ms per step");
        AddPerWidth(plt, report, p => p.Graphdl.StepMs, p => p.Torch?.StepMs);
        return plt;
    }

    /// <summary>(b) GFLOP/s the MLP step achieves against batch size, with sgemm's as the limit.</summary>
    public static Plot MlpGflops(SweepReport report)
    {
        var plt = LogLog($"MLP step: matrix-product GFLOP/s achieved; the limit is sgemm n={report.Limit.SgemmN}", "batch size", "GFLOP/s");
        AddPerWidth(plt, report, p => p.Graphdl.Gflops, p => p.Torch?.Gflops);
        double[] span = [report.Mlp.Min(p => p.Batch), report.Mlp.Max(p => p.Batch)];
        var limit = plt.Add.ScatterLine(span, [report.Limit.GraphdlGflops, report.Limit.GraphdlGflops], Colors.Black);
        limit.LegendText = $"sgemm n={report.Limit.SgemmN}, GraphDL's MatMul: {report.Limit.GraphdlGflops:F0} GFLOP/s";
        limit.LinePattern = LinePattern.Dotted;
        return plt;
    }

    /// <summary>(c) Milliseconds per step of the LSTM language model against the sequence length.</summary>
    public static Plot LstmTime(SweepReport report)
    {
        var plt = LogLog("LSTM language model step (65 -> 64 -> LSTM 128 -> 65, batch 32, Adam)", "sequence length", "ms per step");
        double[] lengths = [.. report.Lstm.Select(p => (double)p.Time)];
        var ours = plt.Add.Scatter(lengths, [.. report.Lstm.Select(p => p.Graphdl.StepMs)], Palette.Get(0));
        ours.LegendText = "GraphDL";
        if (report.Lstm.All(p => p.Torch is not null))
        {
            var theirs = plt.Add.Scatter(lengths, [.. report.Lstm.Select(p => p.Torch!.StepMs)], Palette.Get(0));
            theirs.LegendText = "PyTorch";
            theirs.LinePattern = LinePattern.Dashed;
        }
        return plt;
    }

    private static Plot LogLog(string title, string xLabel, string yLabel)
    {
        var plt = new Plot();
        plt.Title(title);
        plt.XLabel(xLabel);
        plt.YLabel(yLabel);
        plt.Axes.Bottom.Scale = AxisScale.Log10;
        plt.Axes.LogScaleY();
        return plt;
    }

    private static void AddPerWidth(Plot plt, SweepReport report, Func<MlpPoint, double> ours, Func<MlpPoint, double?> theirs)
    {
        var widths = report.Mlp.Select(p => p.Width).Distinct().Order().ToList();
        bool withTorch = report.Mlp.All(p => p.Torch is not null);
        foreach (var (width, i) in widths.Select((w, i) => (w, i)))
        {
            var points = report.Mlp.Where(p => p.Width == width).OrderBy(p => p.Batch).ToList();
            double[] batches = [.. points.Select(p => (double)p.Batch)];
            var line = plt.Add.Scatter(batches, [.. points.Select(ours)], Palette.Get(i));
            line.LegendText = $"GraphDL, width {width}";
            if (!withTorch) continue;
            var peer = plt.Add.Scatter(batches, [.. points.Select(p => theirs(p) ?? double.NaN)], Palette.Get(i));
            peer.LegendText = $"PyTorch, width {width}";
            peer.LinePattern = LinePattern.Dashed;
        }
    }
}
