using GraphDL.Plots;
using ScottPlot;
using Plot = GraphDL.Plots.Plot;
using Multiplot = GraphDL.Plots.Multiplot;
using Palette = GraphDL.Plots.Palette;

namespace GraphDL.Tests.Plots;

/// <summary>One figure of every chart kind, built from fixed synthetic data.</summary>
public static class Gallery
{
    public sealed record Entry(string Name, Func<Figure> Build, int Width, int Height);

    public static IReadOnlyList<Entry> All { get; } =
    [
        new("line_fit", LineFit, 800, 600),
        new("loss_log_scale", LossLogScale, 800, 500),
        new("training_curves", () => TrainingCurves.Create(TestData.History()), 900, 380),
        new("decision_xor", DecisionXor, 600, 600),
        new("decision_iris", DecisionIris, 800, 600),
        new("confusion_matrix", ConfusionMatrix, 700, 600),
        new("weights_heatmap", WeightsHeatmap, 800, 400),
        new("digits_grid", DigitsGrid, 700, 400),
        new("conv_filters", ConvFilters, 600, 300),
        new("bars_parameters", BarsParameters, 700, 450),
        new("bars_grouped", BarsGrouped, 700, 450),
        new("subplots", Subplots, 1000, 400),
        new("markers_and_lines", MarkersAndLines, 800, 500),
        new("korean_text", KoreanText, 900, 420),
        new("high_dpi", HighDpi, 400, 300),
    ];

    public static Figure LineFit()
    {
        var rng = new TestData.Rng(1);
        double[] xs = [.. Enumerable.Range(0, 30).Select(i => i / 3.0)];
        double[] ys = [.. xs.Select(x => 1.5 * x + 2 + rng.Normal())];
        var plt = new Plot();
        var pts = plt.Add.ScatterPoints(xs, ys);
        pts.LegendText = "data";
        var gd = plt.Add.ScatterLine([0, 10], [2.1, 16.8]);
        gd.LegendText = "gradient descent";
        var fit = plt.Add.ScatterLine([0, 10], [1.9, 17.1]);
        fit.LegendText = "polyfit";
        fit.LinePattern = LinePattern.Dashed;
        plt.Title("Linear regression: H(x) = Wx + b");
        plt.XLabel("x");
        plt.YLabel("y");
        return plt;
    }

    public static Figure LossLogScale()
    {
        int n = 2000;
        double[] steps = new double[n], loss = new double[n], val = new double[n];
        for (int i = 0; i < n; i++)
        {
            steps[i] = i * 1000;
            loss[i] = 3 * Math.Exp(-i / 200.0) + 2e-3 * (1 + 0.3 * Math.Sin(i * 0.7));
            val[i] = i % 50 == 0 ? 3.2 * Math.Exp(-i / 220.0) + 8e-3 : double.NaN;
        }
        var plt = new Plot();
        plt.Add.ScatterLine(steps, loss).LegendText = "train loss";
        var v = plt.Add.Scatter(steps.Where((_, i) => i % 50 == 0).ToArray(), val.Where(double.IsFinite).ToArray());
        v.LegendText = "validation loss";
        plt.Axes.LogScaleY();
        plt.Title("Loss over two million steps");
        plt.XLabel("step");
        plt.YLabel("cross-entropy");
        return plt;
    }

    public static Figure DecisionXor()
    {
        var plt = new Plot();
        // A hand-made 2-2-1 network's boundary: class 1 between the two lines x + y = 0.5 and x + y = 1.5.
        plt.Add.DecisionRegions((x, y) => x + y > 0.5 && x + y < 1.5 ? 1 : 0, -0.5, 1.5, -0.5, 1.5, 300);
        var zeros = plt.Add.ScatterPoints([0, 1], [0, 1], Palette.Get(0));
        zeros.LegendText = "XOR = 0";
        zeros.MarkerSize = 14;
        zeros.MarkerOutline = Colors.White;
        var ones = plt.Add.ScatterPoints([0, 1], [1, 0], Palette.Get(1));
        ones.LegendText = "XOR = 1";
        ones.MarkerSize = 14;
        ones.MarkerShape = MarkerShape.FilledSquare;
        ones.MarkerOutline = Colors.White;
        plt.Title("XOR decision regions");
        plt.XLabel("x1");
        plt.YLabel("x2");
        return plt;
    }

    public static Figure DecisionIris()
    {
        var (xs, ys, labels) = TestData.Blobs(40);
        var plt = new Plot();
        plt.Add.DecisionRegions(TestData.NearestCentroid, 0, 7, -0.5, 3);
        string[] names = ["setosa", "versicolor", "virginica"];
        MarkerShape[] shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp];
        for (int k = 0; k < 3; k++)
        {
            var sp = plt.Add.ScatterPoints(xs.Where((_, i) => labels[i] == k).ToArray(), ys.Where((_, i) => labels[i] == k).ToArray(), Palette.Get(k));
            sp.LegendText = names[k];
            sp.MarkerShape = shapes[k];
            sp.MarkerSize = 8;
            sp.MarkerOutline = Colors.White;
        }
        plt.Title("Softmax classifier on iris (petal length vs width)");
        plt.XLabel("petal length (cm)");
        plt.YLabel("petal width (cm)");
        return plt;
    }

    public static Figure ConfusionMatrix()
    {
        var rng = new TestData.Rng(5);
        var cm = new double[10, 10];
        for (int t = 0; t < 10; t++)
            for (int p = 0; p < 10; p++)
                cm[t, p] = t == p ? 950 + Math.Floor(40 * rng.Uniform()) : Math.Floor(Math.Pow(rng.Uniform(), 4) * 25);
        var plt = new Plot();
        var hm = plt.Add.Heatmap(cm, new ScottPlot.Colormaps.Blues());
        hm.ShowValues = true;
        hm.ValueFormat = "0";
        plt.Add.ColorBar(hm).Label = "count";
        plt.Title("MNIST confusion matrix");
        plt.XLabel("predicted");
        plt.YLabel("true");
        return plt;
    }

    public static Figure WeightsHeatmap()
    {
        var rng = new TestData.Rng(9);
        var w = new double[10, 24];
        for (int r = 0; r < 10; r++)
            for (int c = 0; c < 24; c++) w[r, c] = 0.5 * rng.Normal();
        var plt = new Plot();
        var hm = plt.Add.Heatmap(w, new ScottPlot.Colormaps.Balance());
        hm.Min = -1.5;
        hm.Max = 1.5;
        plt.Add.ColorBar(hm);
        plt.Title("Dense layer weights (10 x 24)");
        plt.XLabel("input");
        plt.YLabel("unit");
        return plt;
    }

    public static Figure DigitsGrid()
    {
        var grid = new ImageGrid(8) { Title = "Test digits: predicted label (mistakes in red)", Min = 0, Max = 1 };
        for (int i = 0; i < 16; i++)
        {
            int truth = i % 10, pred = i is 5 or 12 ? (truth + 3) % 10 : truth;
            grid.Add(TestData.Digit(truth, (i % 3) - 1), 28, 28,
                pred == truth ? $"pred {pred}" : $"pred {pred} ({truth})", highlight: pred != truth);
        }
        return grid;
    }

    public static Figure ConvFilters()
    {
        var rng = new TestData.Rng(11);
        var grid = new ImageGrid(8) { Title = "Conv1 filters (5x5)" };
        for (int i = 0; i < 16; i++)
            grid.Add([.. Enumerable.Range(0, 25).Select(_ => rng.Normal())], 5, 5, $"f{i}");
        return grid;
    }

    public static Figure BarsParameters()
    {
        var plt = new Plot();
        var bars = plt.Add.Bars(["dense 1", "dense 2", "dense 3", "output"], [200_960, 65_664, 8_256, 650]);
        bars.ShowValues = true;
        bars.ValueFormat = "N0";
        plt.Title("Parameters per layer");
        plt.YLabel("parameters");
        return plt;
    }

    public static Figure BarsGrouped()
    {
        var plt = new Plot();
        string[] opts = ["SGD", "Momentum", "RMSProp", "Adam"];
        double[] acc5 = [0.86, 0.91, 0.93, 0.95], acc20 = [0.92, 0.96, 0.97, 0.98];
        var a = plt.Add.Bars([.. Enumerable.Range(0, 4).Select(i => i - 0.2)], acc5);
        a.BarWidth = 0.38;
        a.LegendText = "5 epochs";
        var b = plt.Add.Bars([.. Enumerable.Range(0, 4).Select(i => i + 0.2)], acc20);
        b.BarWidth = 0.38;
        b.LegendText = "20 epochs";
        plt.Axes.Bottom.SetTicks([0, 1, 2, 3], opts);
        plt.Axes.SetLimitsY(0, 1.15);
        plt.ShowLegend(Alignment.UpperLeft);
        plt.Title("Optimizer comparison (test accuracy)");
        plt.YLabel("accuracy");
        return plt;
    }

    public static Figure Subplots()
    {
        var h = TestData.History(30);
        var mp = new Multiplot(1, 2) { Title = "MNIST, 2-layer MLP" };
        double[] epochs = [.. Enumerable.Range(1, 30).Select(i => (double)i)];
        var loss = mp.AddPlot();
        loss.Add.ScatterLine(epochs, h["loss"]).LegendText = "train";
        loss.Add.ScatterLine(epochs, h["val_loss"]).LegendText = "validation";
        loss.Title("Loss");
        loss.XLabel("epoch");
        var acc = mp.AddPlot();
        acc.Add.ScatterLine(epochs, h["accuracy"]).LegendText = "train";
        acc.Add.ScatterLine(epochs, h["val_accuracy"]).LegendText = "validation";
        acc.Title("Accuracy");
        acc.XLabel("epoch");
        return mp;
    }

    public static Figure MarkersAndLines()
    {
        var plt = new Plot();
        MarkerShape[] shapes = [MarkerShape.FilledCircle, MarkerShape.OpenCircle, MarkerShape.FilledSquare,
            MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.Eks, MarkerShape.Cross];
        for (int k = 0; k < shapes.Length; k++)
        {
            double[] xs = [.. Enumerable.Range(0, 12).Select(i => i * 0.5)];
            var sp = plt.Add.Scatter(xs, [.. xs.Select(x => Math.Sin(x + k * 0.5) + k * 0.6)]);
            sp.MarkerShape = shapes[k];
            sp.MarkerSize = 8;
            sp.LinePattern = new[] { LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted }[k % 3];
            sp.LegendText = shapes[k].ToString();
        }
        plt.Title("Markers, line patterns and the palette");
        plt.Axes.SetLimitsX(-0.2, 8);
        return plt;
    }

    /// <summary>Korean captions with English fallbacks: Hangul where a font has it, English elsewhere, never empty boxes.</summary>
    public static Figure KoreanText()
    {
        var h = TestData.History(30);
        double[] epochs = [.. Enumerable.Range(1, 30).Select(i => (double)i)];
        var mp = new Multiplot(1, 2) { Title = new Caption("학습 곡선: 2층 신경망", "Learning curves: a 2-layer network") };
        var loss = mp.AddPlot();
        loss.Add.ScatterLine(epochs, h["loss"]).LegendText = new Caption("훈련 데이터", "training data");
        loss.Add.ScatterLine(epochs, h["val_loss"]).LegendText = new Caption("검증 데이터", "validation data");
        loss.Title(new Caption("손실 함수", "Loss"));
        loss.XLabel(new Caption("에폭", "epoch"));
        loss.Axes.LogScaleY();
        var acc = mp.AddPlot();
        acc.Add.Bars([new Caption("훈련", "train"), new Caption("검증", "validation")], [h["accuracy"][^1], h["val_accuracy"][^1]]).ShowValues = true;
        acc.Title(new Caption("최종 정확도", "Final accuracy"));
        acc.Axes.SetLimitsY(0, 1.1);
        return mp;
    }

    public static Figure HighDpi()
    {
        var fig = (Plot)LineFit();
        fig.ScaleFactor = 2;
        return fig;
    }
}
