using NUnit.Framework;

namespace GraphDL.Tests.Plots;

public class GalleryTests
{
    [Test]
    public void WritesOnePngOfEveryChartKind()
    {
        var dir = Path.Combine(TestData.RepoRoot(), "out", "gallery");
        Directory.CreateDirectory(dir);
        foreach (var e in Gallery.All)
        {
            var fig = e.Build();
            var path = Path.Combine(dir, e.Name + ".png");
            fig.SavePng(path, e.Width, e.Height);
            var png = PngDecoder.Decode(File.ReadAllBytes(path));
            Assert.That(png.Width, Is.EqualTo((int)Math.Round(e.Width * fig.ScaleFactor)), e.Name);
            Assert.That(png.Height, Is.EqualTo((int)Math.Round(e.Height * fig.ScaleFactor)), e.Name);
        }
    }
}
