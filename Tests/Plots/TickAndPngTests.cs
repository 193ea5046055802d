using GraphDL.Plots;
using NUnit.Framework;

namespace GraphDL.Tests.Plots;

public class TickTests
{
    [TestCase(0.013, 0.01)]
    [TestCase(0.2, 0.2)]
    [TestCase(3, 2)]
    [TestCase(4, 5)]
    [TestCase(8, 10)]
    [TestCase(1200, 1000)]
    public void NiceStepsAreOneTwoOrFiveTimesAPowerOfTen(double rough, double nice) =>
        Assert.That(TickGenerator.NiceStep(rough), Is.EqualTo(nice).Within(1e-12));

    [Test]
    public void LinearTicksAreRoundAndInside()
    {
        var ticks = TickGenerator.Linear(-0.03, 1.04, 5);
        Assert.That(ticks.Select(t => t.Label), Is.EqualTo(new[] { "0", "0.2", "0.4", "0.6", "0.8", "1.0" }));
        Assert.That(TickGenerator.Linear(0, 2e6, 4).Select(t => t.Label), Is.EqualTo(new[] { "0", "5e5", "1e6", "1.5e6", "2e6" }));
    }

    [Test]
    public void LogTicksLabelDecades()
    {
        var major = TickGenerator.Log10(1e-3, 10).Where(t => t.IsMajor).Select(t => t.Label).ToArray();
        Assert.That(major, Is.EqualTo(new[] { "0.001", "0.01", "0.1", "1", "10" }));
        var wide = TickGenerator.Log10(1e-9, 1).Where(t => t.Label.Length > 0).Select(t => t.Label).ToArray();
        Assert.That(wide, Does.Contain("1e-8").And.Contain("1"));
    }
}

public class PngEncoderTests
{
    [Test]
    public void RoundTripsEveryPixel()
    {
        int w = 7, h = 5;
        var rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 37 % 251);
        var png = PngDecoder.Decode(PngEncoder.Encode(w, h, rgb));
        Assert.That(png.ChunkTypes, Is.EqualTo(new[] { "IHDR", "IDAT", "IEND" }));
        Assert.That(png.Rgb, Is.EqualTo(rgb));
    }

    [Test]
    public void Crc32MatchesTheKnownCheckValue() =>
        Assert.That(Crc32.Compute("123456789"u8), Is.EqualTo(0xCBF43926u));

    [Test]
    public void WrongBufferSizeIsRejected() =>
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(2, 2, new byte[5]));
}
