using GraphDL.Summaries;
using NUnit.Framework;

namespace GraphDL.Tests.Summaries;

/// <summary>Histogram bins against counts worked out by hand.</summary>
public class HistogramTests
{
    [Test]
    public void FiveBinsOverZeroToTenPutTheMaximumInTheLastBin()
    {
        // Width 2: [0,2) holds 0 and 1, [2,4) holds 2 and 3, [4,6) holds 4, [6,8) nothing, [8,10] holds 10.
        var h = Histogram.Of([0, 1, 2, 3, 4, 10], bins: 5);
        Assert.That(h.Edges, Is.EqualTo(new double[] { 0, 2, 4, 6, 8, 10 }));
        Assert.That(h.Counts, Is.EqualTo(new long[] { 2, 2, 1, 0, 1 }));
        Assert.That((h.Min, h.Max, h.Count, h.Sum), Is.EqualTo((0.0, 10.0, 6L, 20.0)));
    }

    [Test]
    public void ValuesOnInnerEdgesGoToTheBinOnTheirRight()
    {
        var h = Histogram.Of([-1, -0.5, 0, 0.5, 1], bins: 4);
        Assert.That(h.Edges, Is.EqualTo(new[] { -1, -0.5, 0, 0.5, 1 }));
        Assert.That(h.Counts, Is.EqualTo(new long[] { 1, 1, 1, 2 }));
    }

    [Test]
    public void NonFiniteValuesAreLeftOut()
    {
        var h = Histogram.Of([0, 1, 2, 3, 4, 10, double.NaN, double.PositiveInfinity, double.NegativeInfinity], bins: 5);
        Assert.That(h.Counts, Is.EqualTo(new long[] { 2, 2, 1, 0, 1 }));
        Assert.That((h.Min, h.Max, h.Count, h.Sum), Is.EqualTo((0.0, 10.0, 6L, 20.0)));
    }

    [Test]
    public void AConstantTensorGetsOneBinOfWidthOneAroundIt()
    {
        var h = Histogram.Of([3, 3, 3]);
        Assert.That(h.Edges, Is.EqualTo(new[] { 2.5, 3.5 }));
        Assert.That(h.Counts, Is.EqualTo(new long[] { 3 }));
    }

    [Test]
    public void CountsAlwaysSumToTheCount()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() * 7 - 3).ToArray();
        var h = Histogram.Of(values, bins: 13);
        Assert.That(h.Counts.Sum(), Is.EqualTo(1000));
        Assert.That(h.Edges, Has.Length.EqualTo(14).And.Ordered);
        for (int i = 0; i < 13; i++)
            Assert.That(h.Counts[i], Is.EqualTo(values.Count(v => v >= h.Edges[i] && (v < h.Edges[i + 1] || i == 12))), $"bin {i}");
    }
}
