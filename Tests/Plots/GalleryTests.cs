using System.Xml.Linq;
using NUnit.Framework;

namespace GraphDL.Tests.Plots;

public class GalleryTests
{
    [Test]
    public void WritesAPngAndAnSvgOfEveryChartKind()
    {
        var dir = Path.Combine(TestData.RepoRoot(), "out", "gallery");
        Directory.CreateDirectory(dir);
        foreach (var e in Gallery.All)
        {
            var fig = e.Build();
            var path = Path.Combine(dir, e.Name + ".png");
            fig.Save(path, e.Width, e.Height);
            var png = DecodedImage.FromPng(File.ReadAllBytes(path));
            Assert.That(png.Width, Is.EqualTo((int)Math.Round(e.Width * fig.ScaleFactor)), e.Name);
            Assert.That(png.Height, Is.EqualTo((int)Math.Round(e.Height * fig.ScaleFactor)), e.Name);
            Assert.That(png.Ink(0, 0, png.Width, png.Height), Is.GreaterThan(500), $"{e.Name}: something is drawn");
            var svg = XDocument.Load(Path.ChangeExtension(path, ".svg"));
            Assert.That(svg.Root!.Name.LocalName, Is.EqualTo("svg"), e.Name);
            Assert.That(svg.Descendants().Count(x => x.Name.LocalName == "text"), Is.GreaterThan(0), $"{e.Name}: text stays text");
        }
    }
}
