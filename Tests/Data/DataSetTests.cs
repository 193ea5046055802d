using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class DataSetTests
{
    /// <summary>
    /// Row i has features (i, 100 + i) and label 1000 + i, so a batch shows which rows it holds and
    /// whether features and labels stayed together.
    /// </summary>
    private static DataSet Numbered(int rows, int seed)
    {
        var features = new float[rows * 2];
        var labels = new float[rows];
        for (int i = 0; i < rows; i++) (features[2 * i], features[2 * i + 1], labels[i]) = (i, 100 + i, 1000 + i);
        return new DataSet(Tensor.FromFlat(features, new Shape(rows, 2)), Tensor.FromFlat(labels, new Shape(rows, 1)), seed);
    }

    /// <summary>The rows a batch holds, after checking that each row's features and label belong together.</summary>
    private static int[] RowsOf((Tensor Features, Tensor Labels) batch)
    {
        var f = batch.Features.ToArray<float>();
        var l = batch.Labels.ToArray<float>();
        var rows = new int[l.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = (int)f[2 * i];
            Assert.That(f[2 * i + 1], Is.EqualTo(100 + rows[i]), "the features of a row stay together");
            Assert.That(l[i], Is.EqualTo(1000 + rows[i]), "a label stays with its features");
        }
        return rows;
    }

    [Test]
    public void EveryRowOncePerEpoch()
    {
        var data = Numbered(600, seed: 3);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            for (int b = 0; b < 6; b++)
            {
                var batch = data.NextBatch(100);
                Assert.That(batch.Features.Shape, Is.EqualTo(new Shape(100, 2)));
                Assert.That(batch.Labels.Shape, Is.EqualTo(new Shape(100, 1)));
                seen.AddRange(RowsOf(batch));
            }
            Assert.That(seen.Order(), Is.EqualTo(Enumerable.Range(0, 600)), $"epoch {epoch}");
            Assert.That(seen, Is.Not.EqualTo(Enumerable.Range(0, 600)), "the rows are shuffled");
        }
        // As in TF1, the epoch counter moves when a batch first reaches past the end, not when one ends on it.
        Assert.That(data.EpochsCompleted, Is.EqualTo(2));
        data.NextBatch(1);
        Assert.That(data.EpochsCompleted, Is.EqualTo(3));
    }

    [Test]
    public void EachEpochHasANewOrder()
    {
        var data = Numbered(50, seed: 1);
        var first = RowsOf(data.NextBatch(50));
        var second = RowsOf(data.NextBatch(50));
        Assert.That(second.Order(), Is.EqualTo(first.Order()));
        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public void BatchCrossingTheEpochEndTakesTheRestThenTheNextEpoch()
    {
        var data = Numbered(10, seed: 5);
        var a = RowsOf(data.NextBatch(4));
        var b = RowsOf(data.NextBatch(4));
        Assert.That(data.EpochsCompleted, Is.EqualTo(0));
        var c = RowsOf(data.NextBatch(4));
        Assert.That(data.EpochsCompleted, Is.EqualTo(1));

        int[] firstEpoch = [.. a, .. b];
        int[] rest = [.. Enumerable.Range(0, 10).Except(firstEpoch)];
        Assert.That(c[..2].Order(), Is.EqualTo(rest), "the batch starts with the two rows the first epoch had left");

        // The next epoch began with c[2..]: together with the following batches it holds every row once.
        int[] secondEpoch = [.. c[2..], .. RowsOf(data.NextBatch(4)), .. RowsOf(data.NextBatch(4))];
        Assert.That(secondEpoch.Order(), Is.EqualTo(Enumerable.Range(0, 10)));
        Assert.That(data.EpochsCompleted, Is.EqualTo(1));
    }

    [Test]
    public void SameSeedSameBatchesOtherSeedOtherBatches()
    {
        int[] Batches(int seed)
        {
            var data = Numbered(30, seed);
            return [.. Enumerable.Range(0, 7).SelectMany(_ => RowsOf(data.NextBatch(8)))];
        }
        Assert.That(Batches(42), Is.EqualTo(Batches(42)));
        Assert.That(Batches(42), Is.Not.EqualTo(Batches(43)));
    }

    [Test]
    public void RowsKeepTheOriginalOrderAndDoNotDisturbBatching()
    {
        var data = Numbered(20, seed: 2);
        var reference = Numbered(20, seed: 2);
        Assert.That(RowsOf(data.Rows(5, 3)), Is.EqualTo(new[] { 5, 6, 7 }));
        Assert.That(RowsOf(data.NextBatch(7)), Is.EqualTo(RowsOf(reference.NextBatch(7))));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Rows(18, 3));
    }

    [Test]
    public void RowCountsMustMatch()
    {
        var e = Assert.Throws<ShapeException>(() => new DataSet(new Tensor(new Shape(5, 3)), new Tensor(new Shape(4, 10))));
        Assert.That(e!.Message, Does.Contain("same number of rows").And.Contain("features have 5").And.Contain("labels 4"));
        Assert.Throws<ArgumentException>(() => new DataSet(new Tensor(new Shape(5, 3)), new Tensor(new Shape(5, 1)), classIds: [1, 2]));
    }

    [Test]
    public void BatchSizeMustFitTheDataSet()
    {
        var data = Numbered(10, seed: 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.NextBatch(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.NextBatch(11));
        Assert.That(RowsOf(data.NextBatch(10)).Order(), Is.EqualTo(Enumerable.Range(0, 10)));
    }

    [Test]
    public void MnistBytesBecomeScaledPixelsAndOneHotLabels()
    {
        byte[] pixels = new byte[2 * 28 * 28];
        pixels[0] = 255;
        pixels[1] = 51;
        pixels[784 + 783] = 128;
        var data = Mnist.ToDataSet(new IdxArray([2, 28, 28], pixels), new IdxArray([2], [7, 0]));
        Assert.That(data.Features.Shape, Is.EqualTo(new Shape(2, 784)));
        var f = data.Features.ToArray<float>();
        Assert.That(f[0], Is.EqualTo(1f));
        Assert.That(f[1], Is.EqualTo(0.2f).Within(1e-7));
        Assert.That(f[784 + 783], Is.EqualTo(128 * (1f / 255)));
        Assert.That(data.Labels.ToArray2D<float>(), Is.EqualTo(new float[,] { { 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 }, { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 } }));
        Assert.That(data.ClassIds, Is.EqualTo(new[] { 7, 0 }));
        Assert.Throws<InvalidDataException>(() => Mnist.ToDataSet(new IdxArray([1, 28, 27], new byte[28 * 27]), new IdxArray([1], [0])));
        Assert.Throws<InvalidDataException>(() => Mnist.ToDataSet(new IdxArray([1, 28, 28], new byte[784]), new IdxArray([1], [10])));
    }

    [Test]
    public void ByteBackedFeaturesBatchLikeFloatOnesAndIntoReusedTensors()
    {
        var random = new Random(4);
        int n = 37, width = 5;
        var bytes = new byte[n * width];
        random.NextBytes(bytes);
        var labels = OneHotEncoding.Encode(Enumerable.Range(0, n).Select(i => i % 3).ToArray(), 3);
        const float scale = 1f / 255;
        var floats = Tensor.FromFlat(bytes.Select(b => b * scale).ToArray(), new Shape(n, width));
        var fromFloats = new DataSet(floats, labels, seed: 9);
        var fromBytes = DataSet.FromBytes(bytes, new Shape(n, width), scale, labels, seed: 9);
        var reused = DataSet.FromBytes(bytes, new Shape(n, width), scale, labels, seed: 9);
        var intoFeatures = new Tensor(new Shape(10, width));
        var intoLabels = new Tensor(new Shape(10, 3));

        Assert.That(fromBytes.Features.ToArray<float>(), Is.EqualTo(floats.ToArray<float>()));
        for (int step = 0; step < 12; step++)   // crosses three epoch ends
        {
            var expected = fromFloats.NextBatch(10);
            var actual = fromBytes.NextBatch(10);
            var filled = reused.NextBatch(intoFeatures, intoLabels);
            Assert.That(filled.Features, Is.SameAs(intoFeatures));
            Assert.That(actual.Features.ToArray<float>(), Is.EqualTo(expected.Features.ToArray<float>()), $"step {step}");
            Assert.That(filled.Features.ToArray<float>(), Is.EqualTo(expected.Features.ToArray<float>()), $"step {step}");
            Assert.That(filled.Labels.ToArray<float>(), Is.EqualTo(expected.Labels.ToArray<float>()), $"step {step}");
        }
        Assert.That(reused.EpochsCompleted, Is.EqualTo(fromFloats.EpochsCompleted));
        Assert.That(fromBytes.Rows(3, 4).Features.ToArray<float>(), Is.EqualTo(fromFloats.Rows(3, 4).Features.ToArray<float>()));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 20; step++) reused.NextBatch(intoFeatures, intoLabels);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero, "batches into kept tensors allocate nothing");

        var e = Assert.Throws<ShapeException>(() => reused.NextBatch(new Tensor(new Shape(10, 4)), intoLabels));
        Assert.That(e!.Message, Does.Contain("(10, 5)"));
    }
}
