using GraphDL.Backends.Cpu;
using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// The CPU backend's loops for rows shorter than a vector (<see cref="ShortRows"/>): broadcasting binaries, BroadcastTo,
/// SumTo, reductions of the last axis and the softmax, each against index arithmetic, on short rows, rows just at and
/// past the vector width, empty batches and shapes with more than one outer axis (which take the general walk).
/// </summary>
public class ShortRowTests
{
    // (output or x shape, operand shape): a bias, a per-row scale, a scalar, equal rows, and the general walk's shapes.
    private static readonly (int[] Big, int[] Small)[] Broadcasts =
    [
        ([150, 3], [3]), ([150, 3], [150, 1]), ([150, 3], [1, 3]), ([7, 1], [1]), ([5, 15], [15]), ([5, 15], [5, 1]),
        ([4, 16], [16]), ([4, 17], [4, 1]), ([1, 3], [3]), ([0, 3], [3]), ([0, 3], [0, 1]), ([3, 2, 3], [2, 1]),
        ([2, 3, 2], [3, 1]), ([6, 2], []), ([2], [2]),
        // Several blocks of staged rows, the last one partial.
        ([700, 5], [5]), ([700, 5], [700, 1]), ([300, 15], [1, 15]), ([90, 7], [90, 1]),
    ];

    private static IEnumerable<TestCaseData> BroadcastCases() =>
        Broadcasts.Select(c => new TestCaseData(c.Big, c.Small).SetArgDisplayNames($"({string.Join(",", c.Big)}) with ({string.Join(",", c.Small)})"));

    [TestCaseSource(nameof(BroadcastCases))]
    public void BroadcastingBinariesMatchIndexArithmeticBothWays(int[] big, int[] small)
    {
        Shape bigShape = new(big), smallShape = new(small);
        var a = RandomTensor(bigShape, seed: 1);
        var b = RandomTensor(smallShape, seed: 2, awayFromZero: true);
        foreach (var (fn, f) in new (BinaryFn, Func<double, double, double>)[]
                 { (BinaryFn.Add, (u, v) => u + v), (BinaryFn.Sub, (u, v) => u - v), (BinaryFn.Div, (u, v) => u / v), (BinaryFn.Maximum, Math.Max) })
        {
            var y = new Tensor(bigShape, DType.Float64);
            CpuBackend.Instance.Binary(fn, a, b, y);
            Assert.That(y.ToArray<double>(), Is.EqualTo(Expected(bigShape, a, b, f)), $"{fn} of {bigShape} and {smallShape}");

            // The same with the small operand first: the kernel's (scalar, row) form.
            var z = new Tensor(bigShape, DType.Float64);
            CpuBackend.Instance.Binary(fn, b, a, z);
            Assert.That(z.ToArray<double>(), Is.EqualTo(Expected(bigShape, a, b, (u, v) => f(v, u))), $"{fn} of {smallShape} and {bigShape}");
        }
    }

    [TestCaseSource(nameof(BroadcastCases))]
    public void BroadcastToRepeatsTheSmallOperand(int[] big, int[] small)
    {
        Shape bigShape = new(big), smallShape = new(small);
        var x = RandomTensor(smallShape, seed: 3);
        var y = new Tensor(bigShape, DType.Float64);
        CpuBackend.Instance.BroadcastTo(x, y);
        Assert.That(y.ToArray<double>(), Is.EqualTo(Expected(bigShape, x, x, (u, _) => u)));
    }

    [TestCaseSource(nameof(BroadcastCases))]
    public void SumToAddsEveryElementWhereItWasBroadcastFrom(int[] big, int[] small)
    {
        Shape bigShape = new(big), smallShape = new(small);
        var x = RandomTensor(bigShape, seed: 4);
        var y = new Tensor(smallShape, DType.Float64);
        CpuBackend.Instance.SumTo(x, y);

        var expected = new double[smallShape.Size];
        var values = x.ToArray<double>();
        for (int i = 0; i < values.Length; i++) expected[OperandIndex(bigShape, smallShape, i)] += values[i];
        // Column sums add blocks of rows first, so the order of the additions differs from the element-by-element walk.
        Assert.That(y.ToArray<double>(), Is.EqualTo(expected).Within(1e-12));

        // Integers have no rounding: there the order cannot matter and the sums must be exact.
        var xi = Tensor.FromFlat(values.Select(v => (int)(v * 100)).ToArray(), bigShape);
        var yi = new Tensor(smallShape, DType.Int32);
        CpuBackend.Instance.SumTo(xi, yi);
        var expectedInts = new int[smallShape.Size];
        for (int i = 0; i < values.Length; i++) expectedInts[OperandIndex(bigShape, smallShape, i)] += (int)(values[i] * 100);
        Assert.That(yi.ToArray<int>(), Is.EqualTo(expectedInts));
    }

    [TestCase(150, 3), TestCase(4, 1), TestCase(9, 15), TestCase(3, 16), TestCase(0, 3), TestCase(2, 0)]
    public void ReducingTheLastAxisMatchesALoop(int rows, int length)
    {
        var shape = new Shape(rows, length);
        var x = RandomTensor(shape, seed: 5);
        var values = x.ToArray<double>();
        foreach (var fn in new[] { ReduceFn.Sum, ReduceFn.Mean, ReduceFn.Max, ReduceFn.Min, ReduceFn.Prod })
        {
            if (length == 0 && fn is ReduceFn.Max or ReduceFn.Min) continue;   // an empty maximum is an error, tested elsewhere
            var y = new Tensor(new Shape(rows), DType.Float64);
            CpuBackend.Instance.Reduce(fn, x, [1], y);
            var expected = Enumerable.Range(0, rows).Select(r =>
            {
                var row = values.AsSpan(r * length, length).ToArray();
                return fn switch
                {
                    ReduceFn.Sum => row.Sum(),
                    ReduceFn.Mean => row.Sum() / length,
                    ReduceFn.Max => row.Max(),
                    ReduceFn.Min => row.Min(),
                    _ => row.Aggregate(1.0, (p, v) => p * v),
                };
            }).ToArray();
            Assert.That(y.ToArray<double>(), Is.EqualTo(expected).Within(1e-12), $"{fn} over rows of {length}");
        }
    }

    [Test]
    public void ReducingRowsOfBoolsTakesAnyAndAll()
    {
        bool[] values = [true, false, false, false, false, false, true, true, true];
        var x = Tensor.FromFlat(values, new Shape(3, 3));
        var any = new Tensor(new Shape(3), DType.Bool);
        var all = new Tensor(new Shape(3), DType.Bool);
        CpuBackend.Instance.Reduce(ReduceFn.Any, x, [1], any);
        CpuBackend.Instance.Reduce(ReduceFn.All, x, [1], all);
        Assert.That(any.ToArray<bool>(), Is.EqualTo(new[] { true, false, true }));
        Assert.That(all.ToArray<bool>(), Is.EqualTo(new[] { false, false, true }));
    }

    [TestCase(150, 3), TestCase(5, 1), TestCase(4, 15), TestCase(0, 3), TestCase(700, 3), TestCase(90, 7)]
    public void ASoftmaxOfShortRowsIsTheExponentialsOverTheirSumAndItsLogTheShiftLessTheLogSum(int rows, int classes)
    {
        var shape = new Shape(rows, classes);
        var x = RandomTensor(shape, seed: 6);
        var y = new Tensor(shape, DType.Float64);
        var logY = new Tensor(shape, DType.Float64);
        CpuBackend.Instance.Softmax(x, y);
        CpuBackend.Instance.LogSoftmax(x, logY);
        var values = x.ToArray<double>();
        double[] expected = new double[values.Length], expectedLog = new double[values.Length];
        for (int r = 0; r < rows; r++)
        {
            var row = values.AsSpan(r * classes, classes).ToArray();
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
            for (int k = 0; k < classes; k++)
            {
                expected[r * classes + k] = Math.Exp(row[k] - max) / sum;
                expectedLog[r * classes + k] = row[k] - max - Math.Log(sum);
            }
        }
        Assert.That(y.ToArray<double>(), Is.EqualTo(expected).Within(1e-15));
        Assert.That(logY.ToArray<double>(), Is.EqualTo(expectedLog).Within(1e-14));
    }

    [TestCase(false), TestCase(true)]
    public void ARowsSoftmaxIsTheSameBitsInABatchAsAlone(bool log)
    {
        const int rows = 300, classes = 3;
        var random = new Random(8);
        var batch = new float[rows * classes];
        for (int i = 0; i < batch.Length; i++) batch[i] = random.NextSingle() * 20 - 10;
        var all = new Tensor(new Shape(rows, classes));
        Action<Tensor, Tensor> softmax = log ? CpuBackend.Instance.LogSoftmax : CpuBackend.Instance.Softmax;
        softmax(Tensor.FromFlat(batch, new Shape(rows, classes)), all);
        var together = all.ToArray<float>();
        foreach (int r in new[] { 0, 1, 84, 85, 86, 299 })
        {
            var one = new Tensor(new Shape(1, classes));
            softmax(Tensor.FromFlat(batch[(r * classes)..((r + 1) * classes)], new Shape(1, classes)), one);
            Assert.That(one.ToArray<float>(), Is.EqualTo(together[(r * classes)..((r + 1) * classes)]), $"row {r}");
        }
    }

    [Test]
    public void ARowWithANaNGivesNaNsInItsRowOnly()
    {
        var x = Tensor.FromFlat(new[] { 1f, float.NaN, 2f, 0f, 1f, 2f }, new Shape(2, 3));
        var y = new Tensor(new Shape(2, 3));
        CpuBackend.Instance.Softmax(x, y);
        var values = y.ToArray<float>();
        Assert.That(values.Take(3), Is.All.NaN);
        Assert.That(values.Skip(3).Sum(), Is.EqualTo(1f).Within(1e-6f));
    }

    private static Tensor RandomTensor(Shape shape, int seed, bool awayFromZero = false)
    {
        var random = new Random(seed);
        var values = new double[shape.Size];
        for (int i = 0; i < values.Length; i++)
        {
            double v = random.NextDouble() * 4 - 2;
            values[i] = awayFromZero ? Math.CopySign(Math.Abs(v) + 0.5, v) : v;
        }
        return Tensor.FromFlat(values, shape);
    }

    /// <summary>f(a, b) element by element in <paramref name="output"/>, each operand read where broadcasting puts it.</summary>
    private static double[] Expected(Shape output, Tensor a, Tensor b, Func<double, double, double> f)
    {
        double[] av = a.ToArray<double>(), bv = b.ToArray<double>();
        return Enumerable.Range(0, output.Size)
            .Select(i => f(av[OperandIndex(output, a.Shape, i)], bv[OperandIndex(output, b.Shape, i)])).ToArray();
    }

    /// <summary>Where element <paramref name="flat"/> of <paramref name="output"/> reads an operand of <paramref name="operand"/>'s shape (NumPy's rule).</summary>
    private static int OperandIndex(Shape output, Shape operand, int flat)
    {
        int index = 0, stride = 1;
        for (int axis = output.Rank - 1; axis >= 0; axis--)
        {
            int coordinate = flat % output[axis];
            flat /= output[axis];
            int k = axis - (output.Rank - operand.Rank);
            if (k < 0) continue;
            if (operand[k] != 1) index += coordinate * stride;
            stride *= operand[k];
        }
        return index;
    }
}
