using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class TrainTestSplitTests
{
    // Row i of x holds (i, 10i) and y holds 2i, so every split row can be traced to where it came from.
    private static (Tensor X, Tensor Y) Numbered(int n)
    {
        var x = new float[n * 2];
        var y = new int[n];
        for (int i = 0; i < n; i++) (x[2 * i], x[2 * i + 1], y[i]) = (i, 10 * i, 2 * i);
        return (Tensor.FromFlat(x, new Shape(n, 2)), Tensor.FromFlat(y, new Shape(n)));
    }

    [Test]
    public void AFractionGivesCeilOfItsShareToTheTestPart()
    {
        var (x, y) = Numbered(10);
        var (xTrain, xTest, yTrain, yTest) = ModelSelection.TrainTestSplit(x, y, testSize: 0.25, seed: 42);
        // sklearn: n_test = ceil(0.25 * 10) = 3, n_train = 7.
        Assert.That(xTest.Shape, Is.EqualTo(new Shape(3, 2)));
        Assert.That(xTrain.Shape, Is.EqualTo(new Shape(7, 2)));
        Assert.That(yTest.Shape, Is.EqualTo(new Shape(3)));
        Assert.That(yTrain.Shape, Is.EqualTo(new Shape(7)));
    }

    [Test]
    public void AnIntegerIsACountOfTestRows()
    {
        var (x, y) = Numbered(10);
        var (xTrain, xTest, _, _) = ModelSelection.TrainTestSplit(x, y, testSize: 4, seed: 1);
        Assert.That(xTest.Shape[0], Is.EqualTo(4));
        Assert.That(xTrain.Shape[0], Is.EqualTo(6));
    }

    [Test]
    public void PartsAreDisjointCompleteAndRowsStayTogether()
    {
        var (x, y) = Numbered(50);
        var parts = ModelSelection.TrainTestSplit([x, y], testSize: 0.3, seed: 7);
        Assert.That(parts.TrainRows.Concat(parts.TestRows).Order(), Is.EqualTo(Enumerable.Range(0, 50)));
        Assert.That(parts.TrainRows.Intersect(parts.TestRows), Is.Empty);
        foreach (var (xs, ys, rows) in new[] { (parts.Train[0], parts.Train[1], parts.TrainRows), (parts.Test[0], parts.Test[1], parts.TestRows) })
        {
            float[] features = xs.ToArray<float>();
            int[] labels = ys.ToArray<int>();
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.That(features[2 * i], Is.EqualTo(rows[i]));
                Assert.That(features[2 * i + 1], Is.EqualTo(10 * rows[i]));
                Assert.That(labels[i], Is.EqualTo(2 * rows[i]));
            }
        }
        // The rows are shuffled, not cut off the end.
        Assert.That(parts.TestRows, Is.Not.EqualTo(Enumerable.Range(35, 15)));
    }

    [Test]
    public void TheSameSeedGivesTheSameSplitAndAnotherSeedAnother()
    {
        var (x, y) = Numbered(100);
        var a = ModelSelection.TrainTestSplit([x, y], testSize: 0.3, seed: 42);
        var b = ModelSelection.TrainTestSplit([x, y], testSize: 0.3, seed: 42);
        var c = ModelSelection.TrainTestSplit([x, y], testSize: 0.3, seed: 43);
        Assert.That(b.TestRows, Is.EqualTo(a.TestRows));
        Assert.That(b.Test[0].ToArray<float>(), Is.EqualTo(a.Test[0].ToArray<float>()));
        Assert.That(c.TestRows, Is.Not.EqualTo(a.TestRows));
    }

    [Test]
    public void SplitsTensorsOfAnyRankAlongAxisZero()
    {
        var images = Tensor.FromFlat(Enumerable.Range(0, 6 * 2 * 3).Select(v => (double)v).ToArray(), new Shape(6, 2, 3));
        var parts = ModelSelection.TrainTestSplit([images], testSize: 2, seed: 3);
        Assert.That(parts.Test[0].Shape, Is.EqualTo(new Shape(2, 2, 3)));
        double[] test = parts.Test[0].ToArray<double>();
        for (int i = 0; i < 2; i++)
            Assert.That(test[(i * 6)..((i + 1) * 6)], Is.EqualTo(Enumerable.Range(parts.TestRows[i] * 6, 6).Select(v => (double)v)));
    }

    [Test]
    public void StratifyKeepsEachClassShareInBothParts()
    {
        int[] labels = [.. Enumerable.Repeat(0, 60), .. Enumerable.Repeat(1, 30), .. Enumerable.Repeat(2, 10)];
        var (x, _) = Numbered(100);
        var parts = ModelSelection.TrainTestSplit([x], testSize: 0.3, seed: 42, stratify: labels);
        // 30 test rows out of 100: 30% of each class, 18, 9 and 3.
        var testCounts = parts.TestRows.CountBy(r => labels[r]).OrderBy(p => p.Key).Select(p => p.Value);
        var trainCounts = parts.TrainRows.CountBy(r => labels[r]).OrderBy(p => p.Key).Select(p => p.Value);
        Assert.That(testCounts, Is.EqualTo(new[] { 18, 9, 3 }));
        Assert.That(trainCounts, Is.EqualTo(new[] { 42, 21, 7 }));
    }

    [Test]
    public void StratifyRoundsEachClassToWithinOneRowOfItsShare()
    {
        int[] labels = [.. Enumerable.Repeat(0, 7), .. Enumerable.Repeat(1, 5), .. Enumerable.Repeat(2, 3)];
        var (x, _) = Numbered(15);
        var parts = ModelSelection.TrainTestSplit([x], testSize: 0.4, seed: 5, stratify: labels);
        Assert.That(parts.TestRows, Has.Count.EqualTo(6));   // ceil(0.4 * 15)
        foreach (var (label, count) in new[] { (0, 7), (1, 5), (2, 3) })
        {
            int inTest = parts.TestRows.Count(r => labels[r] == label);
            Assert.That(inTest, Is.InRange((int)Math.Floor(count * 0.4), (int)Math.Ceiling(count * 0.4)), $"class {label}");
        }
    }

    [Test]
    public void StratifiedIrisSplitTakesTenOfEachSpecies()
    {
        var iris = Datasets.Iris();
        var species = iris.Classes("species");
        var parts = ModelSelection.TrainTestSplit([iris.ToTensor("sepal_length", "petal_length")], testSize: 0.2, seed: 42, stratify: species.Labels);
        Assert.That(parts.TestRows.CountBy(r => species.Labels[r]).Select(p => p.Value), Is.EqualTo(new[] { 10, 10, 10 }));
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(1.5)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    public void AFractionOutsideZeroToOneIsAnError(double testSize)
    {
        var (x, y) = Numbered(10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ModelSelection.TrainTestSplit(x, y, testSize));
        Assert.That(e!.Message, Does.Contain("strictly between 0 and 1"));
    }

    [TestCase(0)]
    [TestCase(10)]
    [TestCase(-3)]
    public void ACountThatLeavesAPartEmptyIsAnError(int testSize)
    {
        var (x, y) = Numbered(10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ModelSelection.TrainTestSplit(x, y, testSize));
        Assert.That(e!.Message, Does.Contain("between 1 and 9"));
    }

    [Test]
    public void TensorsWithDifferentRowCountsAreAnError()
    {
        var (x, _) = Numbered(10);
        var (_, y) = Numbered(9);
        var e = Assert.Throws<ShapeException>(() => ModelSelection.TrainTestSplit(x, y, 0.3));
        Assert.That(e!.Message, Does.Contain("different numbers of rows").And.Contain("(10, 2)").And.Contain("(9,)"));
    }

    [Test]
    public void AStratifyClassWithOneMemberIsAnError()
    {
        var (x, y) = Numbered(6);
        var e = Assert.Throws<ArgumentException>(() => ModelSelection.TrainTestSplit(x, y, 0.5, seed: 1, stratify: [0, 0, 1, 1, 1, 2]));
        Assert.That(e!.Message, Does.Contain("class 2, has only 1 member"));
    }

    [Test]
    public void StratifyLabelsMustMatchTheRows()
    {
        var (x, y) = Numbered(6);
        var e = Assert.Throws<ShapeException>(() => ModelSelection.TrainTestSplit(x, y, 0.5, seed: 1, stratify: [0, 0, 1, 1]));
        Assert.That(e!.Message, Does.Contain("4 labels").And.Contain("6 rows"));
    }
}
