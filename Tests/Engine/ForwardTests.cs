using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>Forward values against plain C# references (gradient checks only prove consistency, not correctness).</summary>
public class ForwardTests
{
    private static Tensor Run(Func<Graph, Output> build)
    {
        var g = new Graph();
        return new Session(g).Run(build(g));
    }

    private static double[] Values(Func<Graph, Output> build) => Run(build).ToDoubles();

    private static readonly double[] Xs = [-2.5, -1, -0.25, 0, 0.5, 1, 3];

    private static IEnumerable<TestCaseData> UnaryCases()
    {
        (string, Func<Graph, Output, Output>, Func<double, double>)[] cases =
        [
            ("Neg", (g, x) => g.Neg(x), x => -x),
            ("Abs", (g, x) => g.Abs(x), Math.Abs),
            ("Sign", (g, x) => g.Sign(x), x => Math.Sign(x)),
            ("Square", (g, x) => g.Square(x), x => x * x),
            ("Exp", (g, x) => g.Exp(x), Math.Exp),
            ("Sin", (g, x) => g.Sin(x), Math.Sin),
            ("Cos", (g, x) => g.Cos(x), Math.Cos),
            ("Floor", (g, x) => g.Floor(x), Math.Floor),
            ("Sigmoid", (g, x) => g.Sigmoid(x), x => 1 / (1 + Math.Exp(-x))),
            ("Tanh", (g, x) => g.Tanh(x), Math.Tanh),
            ("Relu", (g, x) => g.Relu(x), x => Math.Max(x, 0)),
            ("Step", (g, x) => g.Step(x), x => x >= 0 ? 1 : 0),
            ("Softplus", (g, x) => g.Softplus(x), x => Math.Log(1 + Math.Exp(x))),
            ("LeakyRelu", (g, x) => g.LeakyRelu(x, 0.1), x => x > 0 ? x : 0.1 * x),
            ("Elu", (g, x) => g.Elu(x, 0.5), x => x > 0 ? x : 0.5 * (Math.Exp(x) - 1)),
        ];
        foreach (var (name, op, reference) in cases)
            yield return new TestCaseData(op, reference).SetName($"Unary_{name}");
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryMatchesReference(Func<Graph, Output, Output> op, Func<double, double> reference)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var actual = Values(g => op(g, g.Cast(g.Constant(Xs), dtype)));
            Assert.That(actual, Is.EqualTo(Xs.Select(reference)).Within(1e-6), dtype.ToString());
        }
    }

    [Test]
    public void BroadcastingMatchesIndexArithmetic()
    {
        var a = new double[2, 3, 4];
        var b = new double[3, 1];
        for (int i = 0; i < 24; i++) a[i / 12, i / 4 % 3, i % 4] = i;
        for (int j = 0; j < 3; j++) b[j, 0] = 100 * (j + 1);
        var sum = Run(g => g.Constant(a) - g.Constant(b));
        Assert.That(sum.Shape, Is.EqualTo(new Shape(2, 3, 4)));
        for (int i = 0; i < 24; i++) Assert.That(sum.GetDouble(i), Is.EqualTo(i - 100 * (i / 4 % 3 + 1)));
        var outer = Run(g => g.Constant(new double[,] { { 1 }, { 2 } }) * g.Constant(new double[,] { { 10, 20, 30 } }));
        Assert.That(outer.ToDoubles(), Is.EqualTo(new double[] { 10, 20, 30, 20, 40, 60 }));
    }

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public void MatMulMatchesNaiveProduct(bool ta, bool tb)
    {
        var rng = new Random(5);
        int m = 7, k = 5, n = 3;
        var a = new float[ta ? k : m, ta ? m : k];
        var b = new float[tb ? n : k, tb ? k : n];
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) a[i, j] = (float)rng.NextDouble();
        for (int i = 0; i < b.GetLength(0); i++) for (int j = 0; j < b.GetLength(1); j++) b[i, j] = (float)rng.NextDouble();
        var y = Run(g => g.MatMul(g.Constant(a), g.Constant(b), ta, tb)).ToArray2D<float>();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double expected = 0;
                for (int p = 0; p < k; p++) expected += (ta ? a[p, i] : a[i, p]) * (tb ? b[j, p] : b[p, j]);
                Assert.That(y[i, j], Is.EqualTo(expected).Within(1e-5));
            }
    }

    [Test]
    public void ReductionsAndArgMax()
    {
        var x = new double[,] { { 1, 5, 3 }, { 4, 2, 6 } };
        Assert.That(Values(g => g.ReduceSum(g.Constant(x))), Is.EqualTo(new double[] { 21 }));
        Assert.That(Values(g => g.ReduceSum(g.Constant(x), 0)), Is.EqualTo(new double[] { 5, 7, 9 }));
        Assert.That(Values(g => g.ReduceMean(g.Constant(x), 1)), Is.EqualTo(new double[] { 3, 4 }));
        Assert.That(Values(g => g.ReduceMax(g.Constant(x), 1)), Is.EqualTo(new double[] { 5, 6 }));
        Assert.That(Run(g => g.ReduceSum(g.Constant(x), 1, keepDims: true)).Shape, Is.EqualTo(new Shape(2, 1)));
        Assert.That(Run(g => g.ArgMax(g.Constant(x), 1)).ToArray<int>(), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(Run(g => g.ArgMin(g.Constant(x), 0)).ToArray<int>(), Is.EqualTo(new[] { 0, 1, 0 }));
        var cube = new double[2, 3, 4];
        for (int i = 0; i < 24; i++) cube[i / 12, i / 4 % 3, i % 4] = i;
        Assert.That(Values(g => g.ReduceSum(g.Constant(cube), [0, 2])), Is.EqualTo(new double[] { 6 + 54, 22 + 70, 38 + 86 }));
    }

    [Test]
    public void SoftmaxAndFusedCrossEntropyStayFiniteForHugeLogits()
    {
        var logits = new double[,] { { 1000, 0, -1000 }, { 1, 2, 3 } };
        var labels = new double[,] { { 0, 1, 0 }, { 0, 0, 1 } };
        var p = Values(g => g.Softmax(g.Constant(logits)));
        Assert.That(p[..3], Is.EqualTo(new double[] { 1, 0, 0 }).Within(1e-12));
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.That(p[3..], Is.EqualTo(new[] { Math.Exp(1) / z, Math.Exp(2) / z, Math.Exp(3) / z }).Within(1e-12));
        var loss = Values(g => g.SoftmaxCrossEntropyWithLogits(g.Constant(labels), g.Constant(logits)));
        Assert.That(loss, Is.EqualTo(new[] { 1000.0, Math.Log(z) - 3 }).Within(1e-9));
        var sparse = Values(g => g.SparseSoftmaxCrossEntropyWithLogits(g.Constant(new[] { 1, 2 }), g.Constant(logits)));
        Assert.That(sparse, Is.EqualTo(loss).Within(1e-9));
        var logSoftmax = Values(g => g.LogSoftmax(g.Constant(logits)));
        Assert.That(logSoftmax[1], Is.EqualTo(-1000).Within(1e-9));
    }

    [Test]
    public void ShapeOpsMoveTheRightElements()
    {
        var x = new double[,] { { 0, 1, 2 }, { 3, 4, 5 } };
        Assert.That(Values(g => g.Transpose(g.Constant(x))), Is.EqualTo(new double[] { 0, 3, 1, 4, 2, 5 }));
        Assert.That(Values(g => g.Concat([g.Constant(x), g.Constant(x)], 1)), Is.EqualTo(new double[] { 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5 }));
        Assert.That(Values(g => g.Slice(g.Constant(x), [0, 1], [-1, 2])), Is.EqualTo(new double[] { 1, 2, 4, 5 }));
        Assert.That(Values(g => g.Gather(g.Constant(x), g.Constant(new[] { 1, 0, 1 }))), Is.EqualTo(new double[] { 3, 4, 5, 0, 1, 2, 3, 4, 5 }));
        Assert.That(Values(g => g.Gather(g.Constant(x), g.Constant(new[] { 2 }), axis: 1)), Is.EqualTo(new double[] { 2, 5 }));
        Assert.That(Values(g => g.Tile(g.Constant(x), [1, 2])), Is.EqualTo(new double[] { 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5 }));
        Assert.That(Values(g => g.Tile(g.Constant(x), [2, 1])), Is.EqualTo(new double[] { 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5 }));
        Assert.That(Run(g => g.Reshape(g.Constant(x), [3, -1])).Shape, Is.EqualTo(new Shape(3, 2)));
        Assert.That(Values(g => g.OneHot(g.Constant(new[] { 2, 0, 7 }), 3)), Is.EqualTo(new double[] { 0, 0, 1, 1, 0, 0, 0, 0, 0 }));
        var mask = Run(g => g.Equal(g.Constant(new[] { 1, 2, 3 }), g.Constant(new[] { 1, 0, 3 })));
        Assert.That(mask.ToArray<bool>(), Is.EqualTo(new[] { true, false, true }));
        Assert.That(Values(g => g.ReduceMean(g.Cast(g.Equal(g.Constant(new[] { 1, 2, 3, 4 }), g.Constant(new[] { 1, 0, 3, 4 })), DType.Float32))),
            Is.EqualTo(new double[] { 0.75 }));
    }

    [Test]
    public void DropoutKeepsAboutKeepProbAndScales()
    {
        var g = new Graph { Seed = 11 };
        var keep = g.Placeholder(DType.Float32, Shape.Scalar, "keep_prob");
        var y = g.Dropout(g.Ones(new Shape(100, 100)), keep);
        using var s = new Session(g);
        var train = s.Run(y, new() { [keep] = 0.5f }).ToDoubles();
        Assert.That(train.Distinct().Order(), Is.EqualTo(new double[] { 0, 2 }));
        Assert.That(train.Count(v => v > 0) / 10000.0, Is.EqualTo(0.5).Within(0.03));
        Assert.That(s.Run(y, new() { [keep] = 1f }).ToDoubles(), Is.All.EqualTo(1.0));
    }
}
