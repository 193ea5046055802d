using GraphDL.Plots;
using NUnit.Framework;
using ScottPlot;
using Plot = GraphDL.Plots.Plot;
using Multiplot = GraphDL.Plots.Multiplot;
using Palette = GraphDL.Plots.Palette;

namespace GraphDL.Tests.Plots;

/// <summary>
/// Renders plots, decodes the PNG and checks what a person would see: colours where the data is, paper where
/// it is not, ink where text must be. The checks allow for anti-aliasing and layout details, so they survive a
/// ScottPlot update that moves a pixel; they fail when a series, a region or a title goes missing or wrong.
/// </summary>
public class PlotPixelTests
{
    private static DecodedImage Png(Figure f, int w, int h) => DecodedImage.FromPng(f.GetImageBytes(w, h));

    /// <summary>Where the last render put a data point, in device pixels (ScottPlot lays out in logical pixels).</summary>
    private static (int X, int Y) ToPixel(Plot plt, double x, double y)
    {
        var r = plt.LastRender ?? throw new InvalidOperationException("render first");
        var (d, l) = (r.DataRect, r.AxisLimits);
        double px = d.Left + (plt.Axes.Bottom.ToPlot(x) - l.Left) / (l.Right - l.Left) * d.Width;
        double py = d.Bottom - (plt.Axes.Left.ToPlot(y) - l.Bottom) / (l.Top - l.Bottom) * d.Height;
        return ((int)Math.Round(px * plt.ScaleFactor), (int)Math.Round(py * plt.ScaleFactor));
    }

    /// <summary>The colour within <paramref name="radius"/> pixels of (x, y) nearest to <paramref name="expected"/>: lines are thin and anti-aliased.</summary>
    private static void AssertColourNear(DecodedImage png, (int X, int Y) at, Color expected, int tolerance, string what, int radius = 1)
    {
        var best = png.Pixels(at.X - radius, at.Y - radius, at.X + radius + 1, at.Y + radius + 1).MinBy(p => DecodedImage.Distance(p.C, expected));
        Assert.That(DecodedImage.Distance(best.C, expected), Is.LessThanOrEqualTo(tolerance), $"{what}: near {at} the closest colour is {best.C}, expected {expected}");
    }

    [Test]
    public void SizeAndBackground()
    {
        var plt = new Plot();
        plt.Add.Scatter([0.0, 1], [0.0, 1]);
        var png = Png(plt, 320, 240);
        Assert.That((png.Width, png.Height), Is.EqualTo((320, 240)));
        foreach (var (x, y) in new[] { (0, 0), (319, 0), (0, 239), (319, 239) })
            Assert.That(png[x, y], Is.EqualTo(Colors.White), $"corner ({x},{y})");
    }

    [Test]
    public void SeriesColourAppearsAlongItsPath()
    {
        var plt = new Plot { ShowGrid = false };
        var blue = Palette.Get(0);
        plt.Add.ScatterLine([0.0, 10], [2.0, 8.0]).LineWidth = 3;
        plt.Axes.SetLimits(0, 10, 0, 10);
        var png = Png(plt, 400, 300);
        foreach (double x in new[] { 1.0, 3.0, 5.0, 7.0, 9.0 })
        {
            AssertColourNear(png, ToPixel(plt, x, 2 + 0.6 * x), blue, 10, $"line at x={x}");
            Assert.That(png[ToPixel(plt, x, 2 + 0.6 * x + 3).X, ToPixel(plt, x, 2 + 0.6 * x + 3).Y], Is.EqualTo(Colors.White), $"off the line at x={x}");
        }
    }

    [Test]
    public void MarkersOfEachSeriesHaveTheirPaletteColour()
    {
        var plt = new Plot();
        var a = plt.Add.ScatterPoints([1.0, 2], [1.0, 1]);
        var b = plt.Add.ScatterPoints([1.0, 2], [2.0, 2]);
        a.MarkerSize = b.MarkerSize = 10;
        plt.Axes.SetLimits(0, 3, 0, 3);
        var png = Png(plt, 300, 300);
        AssertColourNear(png, ToPixel(plt, 2, 1), Palette.Get(0), 2, "series A marker");
        AssertColourNear(png, ToPixel(plt, 1, 2), Palette.Get(1), 2, "series B marker");
        Assert.That(Palette.Get(0), Is.Not.EqualTo(Palette.Get(1)), "the palette tells series apart");
    }

    [Test]
    public void NaNPointsBreakTheLineAndLeaveTheLimitsAlone()
    {
        var plt = new Plot { ShowGrid = false };
        plt.Add.ScatterLine([0.0, 1, 2, 3, 4], [1.0, 1, double.NaN, 3, 3]).LineWidth = 3;
        var png = Png(plt, 400, 300);
        Assert.That(plt.LastRender!.Value.AxisLimits.Top, Is.LessThan(4), "NaN ignored by the autoscale");
        var mid = ToPixel(plt, 2, 2);
        Assert.That(png.Pixels(mid.X - 3, mid.Y - 3, mid.X + 4, mid.Y + 4).All(p => p.C == Colors.White), "no line across the gap");
        AssertColourNear(png, ToPixel(plt, 0.5, 1), Palette.Get(0), 10, "segment before the gap");
        AssertColourNear(png, ToPixel(plt, 3.5, 3), Palette.Get(0), 10, "segment after the gap");
    }

    [Test]
    public void TitleDrawsInkInTheBandAboveTheData()
    {
        static int InkAbove(Plot p, DecodedImage png) => png.Ink(0, 0, png.Width, (int)p.LastRender!.Value.DataRect.Top - 2);
        var withTitle = new Plot();
        withTitle.Add.Scatter([0.0, 1], [0.0, 1]);
        withTitle.Title("Loss");
        var without = new Plot();
        without.Add.Scatter([0.0, 1], [0.0, 1]);
        Assert.That(InkAbove(withTitle, Png(withTitle, 400, 300)), Is.GreaterThan(30));
        Assert.That(InkAbove(without, Png(without, 400, 300)), Is.LessThan(5));
    }

    [Test]
    public void LogScalePutsDecadesEvenlyApartWhicheverOrderItIsSetIn()
    {
        var before = new Plot();
        before.Axes.LogScaleY();
        before.Add.ScatterPoints([1.0, 2, 3], [1.0, 100, 10000]).MarkerSize = 10;
        var after = new Plot();
        after.Add.ScatterPoints([1.0, 2, 3], [1.0, 100, 10000]).MarkerSize = 10;
        after.Axes.LogScaleY();
        foreach (var plt in new[] { before, after })
        {
            plt.Axes.SetLimits(0, 4, 1, 10000);
            var png = Png(plt, 300, 400);
            var d = plt.LastRender!.Value.DataRect;
            var p = ToPixel(plt, 2, 100);
            Assert.That(p.Y, Is.EqualTo((d.Top + d.Bottom) / 2).Within(1), "100 sits halfway between 1 and 10000");
            AssertColourNear(png, p, Palette.Get(0), 2, "marker at y = 100");
        }
    }

    [Test]
    public void LogTicksLabelDecadesAndFallBackInsideOneDecade()
    {
        string[] Labels(double lo, double hi) => [.. Log10TickGenerator.Generate(Math.Log10(lo), Math.Log10(hi)).Where(t => t.IsMajor).Select(t => t.Label)];
        Assert.That(Labels(1e-3, 10), Is.EqualTo(new[] { "0.001", "0.01", "0.1", "1", "10" }));
        Assert.That(Labels(1e-9, 1), Does.Contain("1e-8").And.Contain("1"));
        Assert.That(Labels(0.1, 3), Is.EqualTo(new[] { "0.1", "0.2", "0.5", "1", "2" }), "few decades: 2 and 5 labelled too");
        Assert.That(Labels(0.17, 0.3), Has.Length.GreaterThanOrEqualTo(2), "inside a decade: 1-2-5 steps, not a single tick");
    }

    [Test]
    public void EachClassPointLiesInsideItsDecisionRegion()
    {
        var plt = new Plot();
        plt.Add.DecisionRegions((x, y) => x + y > 0.5 && x + y < 1.5 ? 1 : 0, -0.5, 1.5, -0.5, 1.5, 100);
        plt.Add.ScatterPoints([0.0, 1], [0.0, 1], Palette.Get(0)).MarkerSize = 10;
        plt.Add.ScatterPoints([0.0, 1], [1.0, 0], Palette.Get(1)).MarkerSize = 10;
        var png = Png(plt, 400, 400);
        foreach (var (x, y, k) in new[] { (0.0, 0.0, 0), (1.0, 1.0, 0), (0.0, 1.0, 1), (1.0, 0.0, 1) })
        {
            AssertColourNear(png, ToPixel(plt, x, y), Palette.Get(k), 2, $"marker of class {k} at ({x},{y})");
            AssertColourNear(png, ToPixel(plt, x + 0.15, y), Palette.Get(k).Lighten(0.6), 2, $"region around class {k} point ({x},{y})", radius: 0);
        }
    }

    [Test]
    public void HeatmapCellsAndColourBarEnds()
    {
        var plt = new Plot();
        var hm = plt.Add.Heatmap(new double[,] { { 0, 1 }, { 2, 3 } });
        plt.Add.ColorBar(hm);
        var png = Png(plt, 400, 300);
        var viridis = new ScottPlot.Colormaps.Viridis();
        // Row 0 is at the top: value 0 top-left, value 3 bottom-right.
        AssertColourNear(png, ToPixel(plt, 0, 1), viridis.GetColor(0), 2, "cell (0,0)", radius: 0);
        AssertColourNear(png, ToPixel(plt, 1, 0), viridis.GetColor(1), 2, "cell (1,1)", radius: 0);
        var d = plt.LastRender!.Value.DataRect;
        var strip = png.Pixels((int)d.Right + 2, (int)d.Top, png.Width, (int)d.Bottom).ToList();
        Assert.That(strip.Min(p => DecodedImage.Distance(p.C, viridis.GetColor(1))), Is.LessThanOrEqualTo(6), "the bar's top colour, right of the data");
        Assert.That(strip.Min(p => DecodedImage.Distance(p.C, viridis.GetColor(0))), Is.LessThanOrEqualTo(6), "the bar's bottom colour, right of the data");
    }

    [Test]
    public void BarsFillFromZeroToTheirValue()
    {
        var plt = new Plot { ShowGrid = false };
        plt.Add.Bars(["a", "b"], [1.0, 3.0]);
        var png = Png(plt, 300, 300);
        AssertColourNear(png, ToPixel(plt, 1, 2.5), Palette.Get(0), 0, "inside bar b", radius: 0);
        AssertColourNear(png, ToPixel(plt, 0, 0.5), Palette.Get(0), 0, "inside bar a", radius: 0);
        Assert.That(png[ToPixel(plt, 0, 1.5).X, ToPixel(plt, 0, 1.5).Y], Is.EqualTo(Colors.White), "above bar a");
    }

    [Test]
    public void ImageGridShowsPixelsAndFramesMistakes()
    {
        var grid = new ImageGrid(3) { Min = 0, Max = 1 };
        var dark = Enumerable.Repeat(0.0, 16).ToArray();
        grid.Add(dark, 4, 4, "ok");
        grid.Add(dark, 4, 4, "wrong", highlight: true);
        grid.Add(Enumerable.Repeat(double.NaN, 16).ToArray(), 4, 4); // a gap: nothing drawn
        var png = Png(grid, 300, 120);
        bool NearHighlight(Color c) => DecodedImage.Distance(c, grid.HighlightColor) <= 12;
        Assert.That(png.Pixels(200, 0, 300, 120).All(p => p.C == Colors.White), "the gap stays paper");
        Assert.That(png.Pixels(0, 0, 100, 120).Count(p => p.C == Colors.Black), Is.GreaterThan(200), "the first image's black pixels");
        Assert.That(png.Pixels(100, 0, 200, 120).Count(p => NearHighlight(p.C)), Is.GreaterThan(50), "frame around the mistake");
        Assert.That(png.Pixels(0, 0, 100, 120).Count(p => NearHighlight(p.C)), Is.EqualTo(0), "no frame around the right answer");
    }

    [Test]
    public void ScaleFactorMultipliesThePixelSizeAndKeepsTheLayout()
    {
        var plt = new Plot();
        plt.Add.Scatter([0.0, 1], [0.0, 1]).LineWidth = 4;
        plt.Title("Same layout");
        Png(plt, 200, 150);
        var single = plt.LastRender!.Value.DataRect;
        plt.ScaleFactor = 2;
        var png = Png(plt, 200, 150);
        Assert.That((png.Width, png.Height), Is.EqualTo((400, 300)));
        var twice = plt.LastRender!.Value.DataRect;
        Assert.That(twice.Width, Is.EqualTo(single.Width).Within(2), "the same layout in logical pixels");
        AssertColourNear(png, ToPixel(plt, 0.5, 0.5), Palette.Get(0), 10, "the line, twice as far from the corner");
    }

    [Test]
    public void MultiplotPlacesPanelsSideBySideUnderItsTitle()
    {
        var mp = new Multiplot(1, 2) { Title = "Two panels" };
        var left = mp.AddPlot();
        var right = mp.AddPlot();
        left.Add.ScatterLine([0.0, 1], [0.0, 1]);
        right.Add.ScatterLine([0.0, 1], [0.0, 1]);
        var png = Png(mp, 600, 300);
        var (l, r) = (left.LastRender!.Value.DataRect, right.LastRender!.Value.DataRect);
        Assert.That(l.Right, Is.LessThanOrEqualTo(300));
        Assert.That(r.Left, Is.GreaterThanOrEqualTo(300));
        Assert.That(png.Ink(0, 0, 600, (int)Math.Min(l.Top, r.Top) - 2), Is.GreaterThan(30), "the figure title above the panels");
    }

    [Test]
    public void TheLegendTakesTheEmptiestCorner()
    {
        var limits = new AxisLimits(0, 1, 0, 1);
        (double, double)[] upperRight = [(0.9, 0.9), (0.8, 0.95), (0.95, 0.8)];
        Assert.That(GraphDL.Plots.Legend.EmptiestCorner(upperRight, limits, 2), Is.EqualTo(Alignment.UpperLeft));
        Assert.That(GraphDL.Plots.Legend.EmptiestCorner([], limits, 2), Is.EqualTo(Alignment.UpperRight));
        // A falling loss curve fills the upper left and lower right.
        var plt = new Plot();
        plt.Add.ScatterLine([.. Enumerable.Range(0, 50).Select(i => (double)i)], [.. Enumerable.Range(0, 50).Select(i => Math.Exp(-i / 8.0))]).LegendText = "loss";
        var svg = plt.GetSvgXml(400, 300);
        Assert.That(plt.Legend.Alignment, Is.Null, "left to the plot");
        using var built = plt.ToScottPlot();
        Assert.That(built.Legend.Alignment, Is.EqualTo(Alignment.UpperRight), "the corner the curve leaves free");
        Assert.That(svg, Does.Contain("loss"));
    }
}
