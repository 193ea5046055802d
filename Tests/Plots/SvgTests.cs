using System.Xml.Linq;
using GraphDL.Plots;
using NUnit.Framework;
using Plot = GraphDL.Plots.Plot;
using Multiplot = GraphDL.Plots.Multiplot;
using Palette = GraphDL.Plots.Palette;

namespace GraphDL.Tests.Plots;

/// <summary>The SVG beside every PNG: well-formed XML whose text is text and whose series are paths in their colours.</summary>
public class SvgTests
{
    private static XDocument Parse(string svg) => XDocument.Parse(svg);

    private static string[] Texts(XDocument doc) =>
        [.. doc.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim())];

    [Test]
    public void APlotIsAnSvgOfItsSizeWithItsTextsAndItsLine()
    {
        var plt = new Plot();
        plt.Add.ScatterLine([0.0, 1, 2], [0.0, 1, 4]).LegendText = "train";
        plt.Title("Loss curve");
        plt.XLabel("epoch");
        plt.YLabel("loss");
        var doc = Parse(plt.GetSvgXml(640, 480));
        Assert.That(doc.Root!.Name.LocalName, Is.EqualTo("svg"));
        Assert.That((string?)doc.Root.Attribute("width"), Is.EqualTo("640"));
        Assert.That((string?)doc.Root.Attribute("height"), Is.EqualTo("480"));
        Assert.That(Texts(doc), Does.Contain("Loss curve").And.Contain("epoch").And.Contain("loss").And.Contain("train"));
        string blue = Palette.Get(0).ToHex()[..7];
        var strokes = doc.Descendants().Where(e => e.Name.LocalName == "path").Select(e => (string?)e.Attribute("stroke")).ToList();
        Assert.That(strokes, Does.Contain(blue), "the series is a path in its colour");
    }

    [Test]
    public void ADashedSeriesIsDashedInTheSvgToo()
    {
        // Skia's SVG canvas drops dash path effects (it would draw the line solid), so the dashes are cut into the path.
        var plt = new Plot { ShowGrid = false };
        plt.Add.ScatterLine([0.0, 10], [0.0, 10]).LegendText = "solid";
        var dashed = plt.Add.ScatterLine([0.0, 10], [10.0, 0]);
        dashed.LinePattern = ScottPlot.LinePattern.Dashed;
        dashed.LegendText = "dashed";
        var paths = Parse(plt.GetSvgXml(400, 300)).Descendants().Where(e => e.Name.LocalName == "path").ToList();
        int Moves(ScottPlot.Color c) => paths.Where(e => (string?)e.Attribute("stroke") == c.ToHex()[..7])
            .Max(e => ((string?)e.Attribute("d") ?? "").Count(ch => ch == 'M'));
        Assert.That(Moves(Palette.Get(0)), Is.EqualTo(1), "the solid line is one stroke");
        Assert.That(Moves(Palette.Get(1)), Is.GreaterThan(10), "the dashed line is many strokes, each a dash");
    }

    [Test]
    public void AMultiplotSvgHoldsItsTitleAndEveryPanel()
    {
        var mp = new Multiplot(1, 2) { Title = "Figure title" };
        mp.AddPlot().Title("left panel");
        mp.AddPlot().Title("right panel");
        var texts = Texts(Parse(mp.GetSvgXml(800, 400)));
        Assert.That(texts, Does.Contain("Figure title").And.Contain("left panel").And.Contain("right panel"));
    }

    [Test]
    public void SaveWritesThePngAndTheSvgSideBySide()
    {
        string dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "out", "svg-tests");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var grid = new ImageGrid(2) { Title = "digits" };
        grid.Add(new double[4], 2, 2, "7");
        grid.Save(Path.Combine(dir, "digits.png"), 300, 200);
        Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "digits.png", "digits.svg" }));
        Assert.That(DecodedImage.FromPng(File.ReadAllBytes(Path.Combine(dir, "digits.png"))).Width, Is.EqualTo(300));
        Assert.That(Texts(XDocument.Load(Path.Combine(dir, "digits.svg"))), Does.Contain("digits").And.Contain("7"));
    }
}
