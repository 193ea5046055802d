using GraphDL.Plots;
using NUnit.Framework;

namespace GraphDL.Tests.Plots;

/// <summary>Renders plots, decodes the PNG bytes and checks what a person would see.</summary>
public class PlotPixelTests
{
    private static DecodedPng Png(Figure f, int w, int h) => PngDecoder.Decode(f.GetImageBytes(w, h));

    private static void AssertNear(Color actual, Color expected, int tolerance, string what) =>
        Assert.That(Math.Max(Math.Abs(actual.R - expected.R), Math.Max(Math.Abs(actual.G - expected.G), Math.Abs(actual.B - expected.B))),
            Is.LessThanOrEqualTo(tolerance), $"{what}: got {actual}, expected {expected}");

    private static PointD ToPixel(Plot plt, double x, double y)
    {
        var d = plt.LastDataRect;
        var l = plt.LastLimits;
        double ty(double v) => plt.Axes.Left.Transform(v);
        return new PointD(d.Left + (x - l.XMin) / (l.XMax - l.XMin) * d.Width,
                          d.Bottom - (ty(y) - ty(l.YMin)) / (ty(l.YMax) - ty(l.YMin)) * d.Height);
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
    public void SeriesColourAppearsWhereItsDataIs()
    {
        var plt = new Plot { ShowGrid = false };
        var blue = Palette.Get(0);
        var sp = plt.Add.ScatterLine([0.0, 10], [2.0, 8.0]);
        sp.LineWidth = 3;
        plt.Axes.SetLimits(0, 10, 0, 10);
        var png = Png(plt, 400, 300);
        foreach (double x in new[] { 1.0, 5.0, 9.0 })
        {
            var p = ToPixel(plt, x, 2 + 0.6 * x);
            AssertNear(png[(int)p.X, (int)p.Y], blue, 12, $"line at x={x}");
            // Far from the line the data area stays white.
            var q = ToPixel(plt, x, 2 + 0.6 * x + 3);
            Assert.That(png[(int)q.X, (int)q.Y], Is.EqualTo(Colors.White), $"off the line at x={x}");
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
        var pa = ToPixel(plt, 2, 1);
        var pb = ToPixel(plt, 1, 2);
        AssertNear(png[(int)pa.X, (int)pa.Y], Palette.Get(0), 2, "series A marker");
        AssertNear(png[(int)pb.X, (int)pb.Y], Palette.Get(1), 2, "series B marker");
    }

    [Test]
    public void NaNPointsAreSkippedNotDrawn()
    {
        var plt = new Plot { ShowGrid = false };
        plt.Add.ScatterLine([0.0, 1, 2, 3, 4], [1.0, 1, double.NaN, 3, 3]);
        var png = Png(plt, 400, 300);
        Assert.That(plt.LastLimits.YMax, Is.LessThan(4), "NaN ignored by the autoscale");
        // The gap between x = 1 and x = 3 is not bridged by a line.
        var mid = ToPixel(plt, 2, 2);
        Assert.That(png[(int)mid.X, (int)mid.Y], Is.EqualTo(Colors.White));
        var left = ToPixel(plt, 0.5, 1);
        AssertNear(png[(int)left.X, (int)left.Y], Palette.Get(0), 12, "segment before the gap");
    }

    [Test]
    public void TitleDrawsDarkPixelsInTheTitleBand()
    {
        static int DarkInBand(Plot p, DecodedPng png) =>
            png.Pixels(0, 0, png.Width, (int)p.LastDataRect.Top - 2).Count(px => px.C.Luminance < 0.4);
        var withTitle = new Plot();
        withTitle.Add.Scatter([0.0, 1], [0.0, 1]);
        withTitle.Title("Loss");
        var without = new Plot();
        without.Add.Scatter([0.0, 1], [0.0, 1]);
        Assert.That(DarkInBand(withTitle, Png(withTitle, 400, 300)), Is.GreaterThan(30));
        Assert.That(DarkInBand(without, Png(without, 400, 300)), Is.EqualTo(0));
    }

    [Test]
    public void LogScalePutsDecadesEvenlyApart()
    {
        var plt = new Plot();
        plt.Add.ScatterPoints([1.0, 2, 3], [1.0, 100, 10000]).MarkerSize = 10;
        plt.Axes.LogScaleY();
        plt.Axes.SetLimits(0, 4, 1, 10000);
        var png = Png(plt, 300, 400);
        var d = plt.LastDataRect;
        var p = ToPixel(plt, 2, 100);
        Assert.That(p.Y, Is.EqualTo(d.CenterY).Within(1e-9), "100 sits halfway between 1 and 10000");
        AssertNear(png[(int)p.X, (int)p.Y], Palette.Get(0), 2, "marker at y = 100");
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
            var p = ToPixel(plt, x, y);
            AssertNear(png[(int)p.X, (int)p.Y], Palette.Get(k), 2, $"marker of class {k} at ({x},{y})");
            // Just beside the marker: the region of the same class.
            var q = ToPixel(plt, x + 0.15, y);
            AssertNear(png[(int)q.X, (int)q.Y], Palette.Get(k).Lighten(0.6), 2, $"region around class {k} point ({x},{y})");
        }
    }

    [Test]
    public void HeatmapCellsAndColourBarEnds()
    {
        var plt = new Plot();
        var hm = plt.Add.Heatmap(new double[,] { { 0, 1 }, { 2, 3 } });
        plt.Add.ColorBar(hm);
        var png = Png(plt, 400, 300);
        var d = plt.LastDataRect;
        // Row 0 is at the top: value 0 top-left, value 3 bottom-right.
        AssertNear(png[(int)(d.Left + d.Width / 4), (int)(d.Top + d.Height / 4)], Colormap.Viridis.At(0), 2, "cell (0,0)");
        AssertNear(png[(int)(d.Left + 3 * d.Width / 4), (int)(d.Top + 3 * d.Height / 4)], Colormap.Viridis.At(1), 2, "cell (1,1)");
        int barX = (int)(d.Right + 12 + 8); // the bar starts 12 px right of the frame and is 16 px wide
        AssertNear(png[barX, (int)d.Top + 1], Colormap.Viridis.At(1), 6, "colour bar top");
        AssertNear(png[barX, (int)d.Bottom - 2], Colormap.Viridis.At(0), 6, "colour bar bottom");
    }

    [Test]
    public void BarsFillFromZeroToTheirValue()
    {
        var plt = new Plot { ShowGrid = false };
        plt.Add.Bars(["a", "b"], [1.0, 3.0]);
        var png = Png(plt, 300, 300);
        var inside = ToPixel(plt, 1, 2.5);
        var above = ToPixel(plt, 0, 1.5);
        AssertNear(png[(int)inside.X, (int)inside.Y], Palette.Get(0), 0, "inside bar b");
        Assert.That(png[(int)above.X, (int)above.Y], Is.EqualTo(Colors.White), "above bar a");
    }

    [Test]
    public void ImageGridShowsPixelsAndMarksMistakes()
    {
        var grid = new ImageGrid(2) { Min = 0, Max = 1 };
        var ones = Enumerable.Repeat(1.0, 16).ToArray();
        grid.Add(ones, 4, 4, "ok");
        grid.Add(ones, 4, 4, "wrong", highlight: true);
        var png = Png(grid, 200, 120);
        Assert.That(png.Pixels(0, 0, 100, 120).Count(p => p.C == Colors.White), Is.GreaterThan(0));
        int highlighted = png.Pixels(100, 0, 200, 120).Count(p => p.C == grid.HighlightColor);
        Assert.That(highlighted, Is.GreaterThan(50), "frame around the mistake");
        Assert.That(png.Pixels(0, 0, 100, 120).Count(p => p.C == grid.HighlightColor), Is.EqualTo(0));
    }

    [Test]
    public void ScaleFactorMultipliesThePixelSize()
    {
        var plt = new Plot { ScaleFactor = 2 };
        plt.Add.Scatter([0.0, 1], [0.0, 1]);
        var png = Png(plt, 200, 150);
        Assert.That((png.Width, png.Height), Is.EqualTo((400, 300)));
    }

    [Test]
    public void MultiplotPlacesPanelsSideBySide()
    {
        var mp = new Multiplot(1, 2);
        mp.AddPlot().Add.ScatterLine([0.0, 1], [0.0, 1]);
        mp.AddPlot().Add.ScatterLine([0.0, 1], [0.0, 1]);
        var png = Png(mp, 600, 300);
        var left = (Plot)mp.Panels[0];
        var right = (Plot)mp.Panels[1];
        Assert.That(left.LastDataRect.Right, Is.LessThanOrEqualTo(300));
        Assert.That(right.LastDataRect.Left, Is.GreaterThanOrEqualTo(300));
        Assert.That(png.Width, Is.EqualTo(600));
    }
}
