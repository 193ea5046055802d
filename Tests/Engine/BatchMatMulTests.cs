using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// MatMul on batches (rank 3 and more) against a plain loop over the batch, with the batch axes broadcast by
/// index arithmetic; the gradients' sums over broadcast axes; and the shape errors.
/// </summary>
public class BatchMatMulTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        (int[] A, int[] B, string Note)[] batches =
        [
            ([3], [3], "rank3"),
            ([2, 3], [2, 3], "rank4"),
            ([], [4], "matrix-times-batch"),
            ([2], [], "batch-times-matrix"),
            ([2, 1], [3], "size1-against-3"),
            ([1, 3], [2, 1], "size1-both-sides"),
        ];
        foreach (var (batchA, batchB, note) in batches)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                        yield return new TestCaseData(batchA, batchB, ta, tb, dtype).SetName($"BatchMatMul_{note}_{ta}_{tb}_{dtype}");
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesALoopOverTheBatch(int[] batchA, int[] batchB, bool ta, bool tb, DType dtype)
    {
        const int m = 4, k = 5, n = 3;
        var rng = new Random(11);
        var a = Random(rng, [.. batchA, .. ta ? new[] { k, m } : new[] { m, k }]);
        var b = Random(rng, [.. batchB, .. tb ? new[] { n, k } : new[] { k, n }]);
        var g = new Graph();
        var product = g.MatMul(g.Cast(g.Constant(a), dtype), g.Cast(g.Constant(b), dtype), ta, tb);
        var y = new Session(g).Run(product);

        int rank = Math.Max(batchA.Length, batchB.Length);
        var batch = new int[rank];
        for (int axis = 0; axis < rank; axis++)
            batch[axis] = Math.Max(Dim(batchA, axis, rank), Dim(batchB, axis, rank));
        Assert.That(y.Shape, Is.EqualTo(new Shape([.. batch, m, n])));
        int products = batch.Aggregate(1, (p, d) => p * d);
        var values = y.ToDoubles();
        for (int z = 0; z < products; z++)
        {
            // The index of product z along each batch axis, then the matrix each operand repeats there.
            var index = new int[rank];
            for (int axis = rank - 1, rest = z; axis >= 0; rest /= batch[axis], axis--) index[axis] = rest % batch[axis];
            int aMatrix = MatrixOf(batchA, index), bMatrix = MatrixOf(batchB, index);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double expected = 0;
                    for (int p = 0; p < k; p++)
                        expected += a.Span<float>()[aMatrix * m * k + (ta ? p * m + i : i * k + p)]
                            * b.Span<float>()[bMatrix * k * n + (tb ? j * k + p : p * n + j)];
                    Assert.That(values[(z * m + i) * n + j], Is.EqualTo(expected).Within(1e-5), $"product {z}, ({i}, {j})");
                }
        }
    }

    [Test]
    public void GradientOfABroadcastOperandSumsOverTheBatch()
    {
        // y[z] = w x[z] for one w shared by three products: dW is the sum of the three products' gradients.
        var g = new Graph();
        var w = g.Constant(new double[,] { { 1, 2 }, { 3, 4 } });
        var x = g.Constant(Tensor.FromFlat(new double[] { 1, 0, 0, 1, 2, 0, 0, 2, 3, 1, 1, 3 }, new Shape(3, 2, 2)));
        var y = g.MatMul(w, x);
        var grads = g.Gradients([g.ReduceSum(y)], [w, x]);
        var r = new Session(g).Run([grads[0]!.Value, grads[1]!.Value]);
        // d(Σ w x)/dw[i, p] = Σ_z Σ_j x[z, p, j]: each row of x summed over j, then over the batch.
        Assert.That(r[0].Shape, Is.EqualTo(new Shape(2, 2)));
        Assert.That(r[0].ToDoubles(), Is.EqualTo(new double[] { 1 + 2 + 4, 1 + 2 + 4, 1 + 2 + 4, 1 + 2 + 4 }));
        // d/dx[z, p, j] = Σ_i w[i, p]: the column sums of w, in every product.
        Assert.That(r[1].Shape, Is.EqualTo(new Shape(3, 2, 2)));
        Assert.That(r[1].ToDoubles(), Is.EqualTo(Enumerable.Repeat(new double[] { 4, 4, 6, 6 }, 3).SelectMany(v => v)));
    }

    [Test]
    public void AnUnknownBatchSizeIsResolvedAtRunTime()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 2, 3), "x");
        var w = g.Constant(new float[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } });
        var y = g.MatMul(x, w);
        Assert.That(y.Shape, Is.EqualTo(new Shape(-1, 2, 2)));
        var feed = Tensor.FromFlat(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), new Shape(2, 2, 3));
        var result = new Session(g).Run(y, new FeedDict { [x] = feed });
        Assert.That(result.Shape, Is.EqualTo(new Shape(2, 2, 2)));
        Assert.That(result.ToDoubles(), Is.EqualTo(new double[] { 2, 3, 8, 9, 14, 15, 20, 21 }));
    }

    [Test]
    public void MismatchedInnerDimensionsNameTheNodeAndBothShapes()
    {
        var g = new Graph();
        var a = g.Placeholder(DType.Float32, new Shape(2, 3, 4), "a");
        var b = g.Placeholder(DType.Float32, new Shape(2, 5, 6), "b");
        var e = Assert.Throws<ShapeException>(() => g.MatMul(a, b, name: "scores"));
        Assert.That(e!.Message, Is.EqualTo(
            "Cannot build MatMul 'scores' from ['a' Float32 (2, 3, 4), 'b' Float32 (2, 5, 6)]: " +
            "MatMul shapes (2, 3, 4) and (2, 5, 6) are incompatible: inner dimensions 4 and 5 differ."));
    }

    [Test]
    public void BatchAxesThatDoNotBroadcastNameTheNodeAndBothShapes()
    {
        var g = new Graph();
        var a = g.Placeholder(DType.Float32, new Shape(2, 3, 4), "a");
        var b = g.Placeholder(DType.Float32, new Shape(3, 4, 5), "b");
        var e = Assert.Throws<ShapeException>(() => g.MatMul(a, b, name: "scores"));
        Assert.That(e!.Message, Is.EqualTo(
            "Cannot build MatMul 'scores' from ['a' Float32 (2, 3, 4), 'b' Float32 (3, 4, 5)]: " +
            "MatMul shapes (2, 3, 4) and (3, 4, 5) are incompatible: their batch dimensions do not broadcast together."));
    }

    [Test]
    public void ASteadyTrainingStepThroughABatchedProductAllocatesNothing()
    {
        // A weight shared by every matrix of the batch: the forward product broadcasts it, dW sums over the batch.
        var g = new Graph { Seed = 3 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4, 3), "x");
        var w = g.Variable(Init.RandomNormal([3, 2], stddev: 0.5), "W");
        var loss = g.ReduceMean(g.Square(g.MatMul(x, w)));
        var train = new GradientDescentOptimizer(0.1).Minimize(loss);
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict { [x] = Random(new Random(2), [5, 4, 3]) };
        Fetch[] step = [train];
        for (int i = 0; i < 5; i++) sess.Run(step, feeds);
        Assert.That(StepAllocations.FewestBytesInAWindow(() => sess.Run(step, feeds)), Is.Zero);
    }

    private static int Dim(int[] batch, int axis, int rank)
    {
        int own = axis - (rank - batch.Length);
        return own < 0 ? 1 : batch[own];
    }

    /// <summary>The matrix of an operand with batch axes <paramref name="batch"/> that the product at <paramref name="index"/> reads.</summary>
    private static int MatrixOf(int[] batch, int[] index)
    {
        int matrix = 0;
        for (int own = 0; own < batch.Length; own++)
        {
            int i = index[own + index.Length - batch.Length];
            matrix = matrix * batch[own] + (batch[own] == 1 ? 0 : i);
        }
        return matrix;
    }

    private static Tensor Random(Random rng, int[] shape)
    {
        var t = new Tensor(new Shape(shape));
        var span = t.Span<float>();
        for (int i = 0; i < span.Length; i++) span[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }
}
