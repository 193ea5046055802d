using System.Numerics.Tensors;
using GraphDL.Backends.Cpu;
using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// Large elementwise work is split across two cores: the same bits as one core, and still no allocation; and work cut
/// into a few large chunks (a convolution's groups of images) runs each chunk once.
/// </summary>
public class CpuParallelTests
{
    // Odd, so the halves are unequal and the second does not end on a vector boundary.
    private const int Large = CpuParallel.MinimumLength * 2 + 37;

    private static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float)(random.NextDouble() * 4 - 2);
        return values;
    }

    [Test]
    public void SplitElementwiseOpsGiveTheSameBitsAsOneCore()
    {
        float[] a = Random(Large, 1), b = Random(Large, 2);
        var shape = new Shape(Large);
        var be = CpuBackend.Instance;

        var sum = new Tensor(shape);
        be.Binary(BinaryFn.Mul, Tensor.FromFlat(a, shape), Tensor.FromFlat(b, shape), sum);
        var expectedProduct = new float[Large];
        TensorPrimitives.Multiply(a, b, expectedProduct);
        Assert.That(sum.ToArray<float>(), Is.EqualTo(expectedProduct));

        var exp = new Tensor(shape);
        be.Unary(UnaryFn.Exp, Tensor.FromFlat(a, shape), exp);
        var expectedExp = new float[Large];
        TensorPrimitives.Exp(a, expectedExp);
        Assert.That(exp.ToArray<float>(), Is.EqualTo(expectedExp));

        var w = Tensor.FromFlat((float[])a.Clone(), shape);
        be.ApplyGradientDescent(w, Tensor.Scalar(0.5f), Tensor.FromFlat(b, shape));
        var expectedW = new float[Large];
        TensorPrimitives.MultiplyAdd(b, -0.5f, a, expectedW);
        Assert.That(w.ToArray<float>(), Is.EqualTo(expectedW));
    }

    [Test]
    public void SplitBroadcastRowsGiveTheSameBitsAsOneCore()
    {
        // Rows of 1,000: the two cores' chunks of 32,768 elements start and end inside rows.
        const int rows = 300, n = 1000;
        float[] x = Random(rows * n, 4), bias = Random(n, 5), perRow = Random(rows, 6);
        var be = CpuBackend.Instance;
        var matrix = Tensor.FromFlat(x, new Shape(rows, n));

        var plusBias = new Tensor(new Shape(rows, n));
        be.Binary(BinaryFn.Add, matrix, Tensor.FromFlat(bias, new Shape(n)), plusBias);
        var minusRowValue = new Tensor(new Shape(rows, n));
        be.Binary(BinaryFn.Sub, matrix, Tensor.FromFlat(perRow, new Shape(rows, 1)), minusRowValue);
        var biasMinus = new Tensor(new Shape(rows, n));
        be.Binary(BinaryFn.Sub, Tensor.FromFlat(bias, new Shape(n)), matrix, biasMinus);

        float[] expectedPlus = new float[rows * n], expectedMinus = new float[rows * n], expectedBiasMinus = new float[rows * n];
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * n, n);
            TensorPrimitives.Add(row, bias, expectedPlus.AsSpan(r * n, n));
            TensorPrimitives.Subtract(row, perRow[r], expectedMinus.AsSpan(r * n, n));
            TensorPrimitives.Subtract(bias, row, expectedBiasMinus.AsSpan(r * n, n));
        }
        Assert.That(plusBias.ToArray<float>(), Is.EqualTo(expectedPlus));
        Assert.That(minusRowValue.ToArray<float>(), Is.EqualTo(expectedMinus));
        Assert.That(biasMinus.ToArray<float>(), Is.EqualTo(expectedBiasMinus));
    }

    [TestCase(16), TestCase(17), TestCase(33), TestCase(256)]
    public void ABiasRepeatedOverManyRowsGivesTheBitsOfACallPerRow(int n)
    {
        // Short rows repeated over an operand of 2.5 chunks: the tile's stretches start inside rows and cross the chunks.
        int rows = (int)(2.5 * CpuParallel.MinimumLength) / n + 3;
        float[] x = Random(rows * n, 11), bias = Random(n, 12);
        var be = CpuBackend.Instance;
        var matrix = Tensor.FromFlat(x, new Shape(rows, n));
        var row = Tensor.FromFlat(bias, new Shape(n));
        foreach (var (fn, perRow) in new (BinaryFn, Action<float[], float[], float[]>)[]
                 { (BinaryFn.Add, (a, b, y) => TensorPrimitives.Add(a, b, y)), (BinaryFn.Sub, (a, b, y) => TensorPrimitives.Subtract(a, b, y)) })
        {
            var rowSecond = new Tensor(new Shape(rows, n));
            be.Binary(fn, matrix, row, rowSecond);
            var rowFirst = new Tensor(new Shape(rows, n));
            be.Binary(fn, row, matrix, rowFirst);
            float[] expectedSecond = new float[rows * n], expectedFirst = new float[rows * n], result = new float[n];
            for (int r = 0; r < rows; r++)
            {
                var xRow = x.AsSpan(r * n, n).ToArray();
                perRow(xRow, bias, result);
                result.CopyTo(expectedSecond, r * n);
                perRow(bias, xRow, result);
                result.CopyTo(expectedFirst, r * n);
            }
            Assert.That(rowSecond.ToArray<float>(), Is.EqualTo(expectedSecond), $"{fn}, the row second");
            Assert.That(rowFirst.ToArray<float>(), Is.EqualTo(expectedFirst), $"{fn}, the row first");
        }
    }

    [TestCase(16), TestCase(17), TestCase(33), TestCase(256)]
    public void ABiasGradientSumsItsRowsInRowOrder(int n)
    {
        const int rows = 5000;
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var values = Random(rows * n, 13);
            var x = dtype == DType.Float32 ? Tensor.FromFlat(values, new Shape(rows, n)) : Tensor.FromFlat(values.Select(v => (double)v).ToArray(), new Shape(rows, n));
            var y = new Tensor(new Shape(n), dtype);
            CpuBackend.Instance.SumTo(x, y);
            // Each column summed from the first row to the last, as one add per row would: the same bits, not merely close.
            if (dtype == DType.Float32)
            {
                var expected = new float[n];
                for (int r = 0; r < rows; r++) for (int k = 0; k < n; k++) expected[k] += values[r * n + k];
                Assert.That(y.ToArray<float>(), Is.EqualTo(expected), "float32");
            }
            else
            {
                var expected = new double[n];
                for (int r = 0; r < rows; r++) for (int k = 0; k < n; k++) expected[k] += values[r * n + k];
                Assert.That(y.ToArray<double>(), Is.EqualTo(expected), "float64");
            }
        }
    }

    /// <summary>Counts how often each index is run, from whichever thread runs it.</summary>
    private readonly record struct CountingJob(int[] Runs, int Throwing) : IRangeJob
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                Interlocked.Increment(ref Runs[i]);
                if (i == Throwing) throw new InvalidOperationException($"index {i}");
            }
        }
    }

    [Test]
    public void EveryIndexOfASplitJobRunsExactlyOnceWhicheverThreadTakesItsChunk()
    {
        // Many jobs in a row, so that a helper that comes late from one job meets the next; the last chunk is partial.
        int length = CpuParallel.ChunkLength * 9 + 123;
        Assert.That(length, Is.GreaterThanOrEqualTo(CpuParallel.MinimumLength));
        for (int job = 0; job < 200; job++)
        {
            var runs = new int[length];
            CpuParallel.Run(new CountingJob(runs, Throwing: -1), length);
            int wrong = Array.FindIndex(runs, r => r != 1);
            Assert.That(wrong, Is.EqualTo(-1), $"job {job}: index {wrong} ran {(wrong < 0 ? 0 : runs[wrong])} times");
        }
    }

    [Test]
    public void AnExceptionInAChunkReachesTheCallerAfterTheOtherChunksAreDone()
    {
        int length = CpuParallel.ChunkLength * 6;
        var runs = new int[length];
        int throwing = CpuParallel.ChunkLength * 4 + 5;
        var error = Assert.Throws<InvalidOperationException>(() => CpuParallel.Run(new CountingJob(runs, throwing), length));
        Assert.That(error!.Message, Is.EqualTo($"index {throwing}"));
        Assert.That(runs.Take(CpuParallel.ChunkLength * 4), Has.All.EqualTo(1), "the chunks before the failing one ran");
        Assert.That(runs.Skip(CpuParallel.ChunkLength * 5), Has.All.EqualTo(1), "the chunks after it ran too");
        // The job is over: a next one on the same thread runs whole.
        var next = new int[length];
        CpuParallel.Run(new CountingJob(next, Throwing: -1), length);
        Assert.That(next, Has.All.EqualTo(1));
    }

    /// <summary>Records each call's range, from whichever thread makes it.</summary>
    private readonly record struct RangeJob(System.Collections.Concurrent.ConcurrentBag<(int Start, int End)> Calls) : IRangeJob
    {
        public void Run(int start, int end) => Calls.Add((start, end));
    }

    [TestCase(100, 25, Description = "a batch of 100 in four groups")]
    [TestCase(13, 4, Description = "the last chunk short")]
    [TestCase(3, 4, Description = "one chunk: the caller runs it alone")]
    public void RunChunksCallsTheJobOnceForEachChunkOfTheGivenLength(int length, int chunkLength)
    {
        for (int job = 0; job < 50; job++)
        {
            var calls = new System.Collections.Concurrent.ConcurrentBag<(int Start, int End)>();
            CpuParallel.RunChunks(new RangeJob(calls), length, chunkLength);
            var expected = Enumerable.Range(0, (length + chunkLength - 1) / chunkLength)
                .Select(i => (i * chunkLength, Math.Min(length, (i + 1) * chunkLength)));
            Assert.That(calls.Order(), Is.EqualTo(expected), $"job {job}");
        }
    }

    [TestCase(300, 1000), TestCase(20_000, 16, Description = "a short bias row, repeated through a tile")]
    public void ASplitBiasAndItsGradientAllocateNothing(int rows, int n)
    {
        var g = new Graph { Seed = 5 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, n), "x");
        var b = g.Variable(Init.Constant(0.1, n), "b");
        var loss = g.ReduceMean(g.Square(g.Relu(x + b) - 1.0));
        var train = new GradientDescentOptimizer(0.1).Minimize(loss);
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict { [x] = Tensor.FromFlat(Random(rows * n, 8), new Shape(rows, n)) };
        for (int i = 0; i < 5; i++) sess.Run(train, feeds);
        Assert.That(StepAllocations.FewestBytesInAWindow(() => sess.Run(train, feeds)), Is.Zero);
    }

    [Test]
    public void ASplitTrainingStepStillAllocatesNothing()
    {
        var g = new Graph { Seed = 4 };
        int n = CpuParallel.MinimumLength + 100;
        var x = g.Placeholder(DType.Float32, new Shape(n), "x");
        var w = g.Variable(Init.RandomNormal([n], stddev: 0.1), "w");
        var loss = g.ReduceMean(g.Square(g.Relu(w * x) - 1.0));
        var train = new GradientDescentOptimizer(0.1).Minimize(loss);
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict { [x] = Tensor.FromFlat(Random(n, 3), new Shape(n)) };
        for (int i = 0; i < 5; i++) sess.Run(train, feeds);
        Assert.That(StepAllocations.FewestBytesInAWindow(() => sess.Run(train, feeds)), Is.Zero);
    }
}
