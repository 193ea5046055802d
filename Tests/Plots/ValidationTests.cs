using System.Xml.Linq;
using GraphDL.Plots;
using NUnit.Framework;

namespace GraphDL.Tests.Plots;

public class ValidationTests
{
    [Test]
    public void EmptySeriesNamesTheParameter()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Plot().Add.Scatter(Array.Empty<double>(), Array.Empty<double>()));
        Assert.That(ex!.ParamName, Is.EqualTo("xs"));
        Assert.That(ex.Message, Does.Contain("empty"));
    }

    [Test]
    public void MismatchedLengthsAreReported()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Plot().Add.Scatter([1.0, 2, 3], [1.0, 2]));
        Assert.That(ex!.ParamName, Is.EqualTo("ys"));
        Assert.That(ex.Message, Does.Contain("xs: 3").And.Contain("ys: 2"));
    }

    [Test]
    public void NaNOnlySeriesIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Plot().Add.Scatter([1.0, 2], [double.NaN, double.PositiveInfinity]));
        Assert.That(ex!.ParamName, Is.EqualTo("ys"));
        Assert.That(ex.Message, Does.Contain("NaN"));
    }

    [TestCase(0, 100, "width")]
    [TestCase(-5, 100, "width")]
    [TestCase(100, 0, "height")]
    public void ZeroOrNegativeSizeIsRejected(int w, int h, string param)
    {
        var plt = new Plot();
        plt.Add.Scatter([0.0, 1], [0.0, 1]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => plt.GetImageBytes(w, h));
        Assert.That(ex!.ParamName, Is.EqualTo(param));
    }

    [Test]
    public void OtherBadInputs()
    {
        Assert.Throws<ArgumentException>(() => new Plot().Add.Bars(Array.Empty<double>()));
        Assert.Throws<ArgumentException>(() => new Plot().Add.Heatmap(new double[,] { { double.NaN } }));
        Assert.Throws<ArgumentException>(() => new Plot().Axes.SetLimits(1, 0, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Plot().ScaleFactor = 0);
        Assert.That(Assert.Throws<ArgumentException>(() => new ImageGrid(2).Add(new double[10], 4, 4))!.ParamName, Is.EqualTo("pixels"));
        var mp = new Multiplot(1, 1);
        mp.AddPlot();
        Assert.Throws<ArgumentException>(() => mp.AddPlot());
        var badHistory = new Dictionary<string, IReadOnlyList<double>> { ["loss"] = Array.Empty<double>() };
        Assert.That(Assert.Throws<ArgumentException>(() => TrainingCurves.Create(badHistory))!.Message, Does.Contain("'loss'"));
    }

    [Test]
    public void EmptyPlotStillRenders()
    {
        var png = DecodedImage.FromPng(new Plot().GetImageBytes(200, 100));
        Assert.That(png.Width, Is.EqualTo(200));
        Assert.That(XDocument.Parse(new Multiplot(2, 2).GetSvgXml(200, 100)).Root!.Name.LocalName, Is.EqualTo("svg"), "an empty multiplot too");
    }
}
