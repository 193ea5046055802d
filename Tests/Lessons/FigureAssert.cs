using System.Xml.Linq;
using GraphDL.Tests.Plots;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// Checks on the figures a lesson leaves in its output directory, shared by the lessons' tests: each is a PNG
/// that decodes, with something drawn on it, and an SVG of the same figure beside it.
/// </summary>
public static class FigureAssert
{
    /// <summary>The PNG decodes and has ink, and its SVG twin is well-formed with text in it; returns the decoded PNG.</summary>
    public static DecodedImage IsFigure(string pngPath)
    {
        Assert.That(File.Exists(pngPath), Is.True, pngPath);
        var png = DecodedImage.FromPng(File.ReadAllBytes(pngPath));
        Assert.That(png.Ink(0, 0, png.Width, png.Height), Is.GreaterThan(1000), $"{pngPath}: axes, labels and data are drawn");
        string svgPath = Path.ChangeExtension(pngPath, ".svg");
        Assert.That(File.Exists(svgPath), Is.True, $"{svgPath}: every PNG has its SVG");
        var svg = XDocument.Load(svgPath).Root!;
        Assert.That(svg.Name.LocalName, Is.EqualTo("svg"), svgPath);
        Assert.That((string?)svg.Attribute("width"), Is.EqualTo(png.Width.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"{svgPath}: the PNG's size");
        Assert.That(svg.Descendants().Count(e => e.Name.LocalName == "text"), Is.GreaterThan(0), $"{svgPath}: text stays text");
        return png;
    }

    /// <summary>As <see cref="IsFigure(string)"/>, and the PNG has the given size.</summary>
    public static DecodedImage IsFigure(string pngPath, int width, int height)
    {
        var png = IsFigure(pngPath);
        Assert.That((png.Width, png.Height), Is.EqualTo((width, height)), pngPath);
        return png;
    }
}
