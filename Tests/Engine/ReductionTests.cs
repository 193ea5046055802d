using GraphDL.Backends.Cpu;
using GraphDL.Backends.Cuda;
using GraphDL.Tests.Gpu;
using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// ReduceMin, ReduceProd, ReduceAny, ReduceAll and ArgMin against values worked out by hand: forward on the CPU and
/// on the emulated GPU, ReduceProd's gradient where x has zeros (first and second order), and the Bool reductions'
/// place in the gradient builder (no path through them).
/// </summary>
public class ReductionTests
{
    private static IBackend Backend(string device)
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable(device);
        return device == "cpu" ? CpuBackend.Instance : CudaBackend.Emulated;
    }

    private static Tensor Run(string device, Func<Graph, Output> build)
    {
        var g = new Graph();
        var y = build(g);
        using var session = new Session(g, Backend(device));
        return session.Run(y);
    }

    private static readonly float[,] X = { { 1, 5, 3 }, { 4, -2, 6 } };

    [TestCase("cpu"), TestCase("emulated")]
    public void ReduceMinOverEachAxisSet(string device)
    {
        Assert.That(Run(device, g => g.ReduceMin(g.Constant(X))).ToDoubles(), Is.EqualTo(new double[] { -2 }));
        Assert.That(Run(device, g => g.ReduceMin(g.Constant(X), 0)).ToDoubles(), Is.EqualTo(new double[] { 1, -2, 3 }));
        Assert.That(Run(device, g => g.ReduceMin(g.Constant(X), -1)).ToDoubles(), Is.EqualTo(new double[] { 1, -2 }));
        var kept = Run(device, g => g.ReduceMin(g.Constant(X), 1, keepDims: true));
        Assert.That(kept.Shape, Is.EqualTo(new Shape(2, 1)));
        Assert.That(kept.ToDoubles(), Is.EqualTo(new double[] { 1, -2 }));
    }

    [TestCase("cpu"), TestCase("emulated")]
    public void ReduceProdOverEachAxisSet(string device)
    {
        Assert.That(Run(device, g => g.ReduceProd(g.Constant(X))).ToDoubles(), Is.EqualTo(new double[] { -720 }));
        Assert.That(Run(device, g => g.ReduceProd(g.Constant(X), 0)).ToDoubles(), Is.EqualTo(new double[] { 4, -10, 18 }));
        Assert.That(Run(device, g => g.ReduceProd(g.Constant(X), 1)).ToDoubles(), Is.EqualTo(new double[] { 15, -48 }));
        var kept = Run(device, g => g.ReduceProd(g.Constant(X), [0, 1], keepDims: true));
        Assert.That(kept.Shape, Is.EqualTo(new Shape(1, 1)));
        Assert.That(kept.ToDoubles(), Is.EqualTo(new double[] { -720 }));
        Assert.That(Run(device, g => g.ReduceProd(g.Constant(new float[2, 0]), 1)).ToDoubles(), Is.EqualTo(new double[] { 1, 1 }),
            "the empty product is 1");
    }

    [Test]
    public void ReduceProdOfInt32StaysInt32()
    {
        var y = Run("cpu", g => g.ReduceProd(g.Constant(new[,] { { 2, -3 }, { 4, 5 } }), 1));
        Assert.That(y.DType, Is.EqualTo(DType.Int32));
        Assert.That(y.ToArray<int>(), Is.EqualTo(new[] { -6, 20 }));
    }

    private static readonly bool[,] B =
    {
        { false, false, false },
        { true, false, true },
        { true, true, true },
    };

    [TestCase("cpu"), TestCase("emulated")]
    public void ReduceAnyAndReduceAllOverEachAxisSet(string device)
    {
        Assert.That(Run(device, g => g.ReduceAny(g.Constant(Tensor.FromArray(B)), 1)).ToArray<bool>(), Is.EqualTo(new[] { false, true, true }));
        Assert.That(Run(device, g => g.ReduceAll(g.Constant(Tensor.FromArray(B)), 1)).ToArray<bool>(), Is.EqualTo(new[] { false, false, true }));
        Assert.That(Run(device, g => g.ReduceAny(g.Constant(Tensor.FromArray(B)), 0)).ToArray<bool>(), Is.EqualTo(new[] { true, true, true }));
        Assert.That(Run(device, g => g.ReduceAll(g.Constant(Tensor.FromArray(B)), 0)).ToArray<bool>(), Is.EqualTo(new[] { false, false, false }));
        Assert.That(Run(device, g => g.ReduceAny(g.Constant(Tensor.FromArray(B)))).ToArray<bool>(), Is.EqualTo(new[] { true }));
        Assert.That(Run(device, g => g.ReduceAll(g.Constant(Tensor.FromArray(B)))).ToArray<bool>(), Is.EqualTo(new[] { false }));

        var kept = Run(device, g => g.ReduceAll(g.Constant(Tensor.FromArray(B)), -1, keepDims: true));
        Assert.That(kept.DType, Is.EqualTo(DType.Bool));
        Assert.That(kept.Shape, Is.EqualTo(new Shape(3, 1)));
        Assert.That(kept.ToArray<bool>(), Is.EqualTo(new[] { false, false, true }));
    }

    [TestCase("cpu"), TestCase("emulated")]
    public void OverNoElementsAnyIsFalseAndAllIsTrue(string device)
    {
        Assert.That(Run(device, g => g.ReduceAny(g.Constant(Tensor.FromArray(new bool[2, 0])), 1)).ToArray<bool>(), Is.EqualTo(new[] { false, false }));
        Assert.That(Run(device, g => g.ReduceAll(g.Constant(Tensor.FromArray(new bool[2, 0])), 1)).ToArray<bool>(), Is.EqualTo(new[] { true, true }));
    }

    [Test]
    public void LogicalReductionsTakeBoolsOnlyAndTheOthersNone()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2, 3), "x");
        var any = Assert.Throws<ShapeException>(() => g.ReduceAny(x, name: "any"));
        Assert.That(any!.Message, Does.Contain("'any'").And.Contain("defined for Bool, not Float32"));
        var all = Assert.Throws<ShapeException>(() => g.ReduceAll(x, name: "all"));
        Assert.That(all!.Message, Does.Contain("'all'").And.Contain("defined for Bool, not Float32"));
        var prod = Assert.Throws<ShapeException>(() => g.ReduceProd(g.Greater(x, g.ScalarLike(0, x)), name: "prod"));
        Assert.That(prod!.Message, Does.Contain("'prod'").And.Contain("not defined for Bool"));
    }

    [Test]
    public void ReduceMinGradientSplitsEvenlyBetweenTies()
    {
        var g = new Graph();
        var x = g.Constant(new double[,] { { 1, 3, 1 }, { 2, 2, 5 } });
        var dx = g.Gradients([g.ReduceSum(g.ReduceMin(x, 1))], [x])[0]!.Value;
        using var session = new Session(g);
        Assert.That(session.Run(dx).ToDoubles(), Is.EqualTo(new double[] { 0.5, 0, 0.5, 0.5, 0.5, 0 }));
    }

    /// <summary>dx of Σ ReduceProd(x, axis 1) for rows without a zero, with one and with two: the product of the others.</summary>
    [TestCase("cpu"), TestCase("emulated")]
    public void ReduceProdGradientIsTheProductOfTheOthersAlsoAtZeros(string device)
    {
        var g = new Graph();
        var x = g.Constant(new float[,] { { 2, 3, 4 }, { 2, 0, 4 }, { 0, 3, 0 }, { 0, 0, 0 } });
        var dx = g.Gradients([g.ReduceSum(g.ReduceProd(x, 1))], [x])[0]!.Value;
        using var session = new Session(g, Backend(device));
        Assert.That(session.Run(dx).ToDoubles(), Is.EqualTo(new double[] { 12, 8, 6, 0, 8, 0, 0, 0, 0, 0, 0, 0 }));
    }

    [Test]
    public void ReduceProdGradientCarriesDoutOverTheReducedAxes()
    {
        // y = (x00 x10, x01 x11), dout = (10, -1): dx = dout times the other factor of each column.
        var g = new Graph();
        var x = g.Constant(new double[,] { { 0, 2 }, { 3, 5 } });
        var dx = g.Gradients([g.ReduceProd(x, 0)], [x], [g.Constant(new double[] { 10, -1 })])[0]!.Value;
        using var session = new Session(g);
        Assert.That(session.Run(dx).ToDoubles(), Is.EqualTo(new double[] { 30, -5, 0, -2 }));
    }

    /// <summary>
    /// The Hessian of x0 x1 x2, row by row: H[i, j] is the product of the elements other than i and j, 0 on the
    /// diagonal. At (2, 0, 4), where dout · y / x would give NaN, H is still exact.
    /// </summary>
    [TestCase(2, 3, 4)]
    [TestCase(2, 0, 4)]
    [TestCase(0, 3, 4)]
    public void ReduceProdSecondDerivativeIsExactWithOneZero(double x0, double x1, double x2)
    {
        double[] v = [x0, x1, x2];
        var g = new Graph();
        var x = g.Constant(v);
        var dx = g.Gradients([g.ReduceProd(x)], [x])[0]!.Value;
        using var session = new Session(g);
        for (int i = 0; i < 3; i++)
        {
            var oneHot = new double[3];
            oneHot[i] = 1;
            var row = g.Gradients([g.ReduceSum(dx * g.Constant(oneHot))], [x])[0]!.Value;
            var expected = Enumerable.Range(0, 3).Select(j => j == i ? 0 : v[3 - i - j]).ToArray();
            Assert.That(session.Run(row).ToDoubles(), Is.EqualTo(expected), $"row {i} of the Hessian at ({x0}, {x1}, {x2})");
        }
    }

    /// <summary>A Where that picks by a ReduceAny of a comparison: the gradient flows through Where's branches and never asks ReduceAny for one.</summary>
    [Test]
    public void ALogicalReductionIsNoGradientPath()
    {
        var g = new Graph();
        var x = g.Constant(new double[,] { { -1, 2 }, { -3, -4 } });
        var rowHasPositive = g.ReduceAny(g.Greater(x, g.ScalarLike(0, x)), 1, keepDims: true);
        var y = g.Where(rowHasPositive, x * x, g.ZerosLike(x));
        var dx = g.Gradients([g.ReduceSum(y)], [x])[0]!.Value;
        using var session = new Session(g);
        Assert.That(session.Run(dx).ToDoubles(), Is.EqualTo(new double[] { -2, 4, 0, 0 }));
    }

    [Test]
    public void ALossOnlyThroughALogicalReductionFailsNamingWhereTheFloatPathEnds()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2, 3), "x");
        var allPositive = g.ReduceAll(g.Greater(x, g.ScalarLike(0, x), "positive"), 1);
        var loss = g.ReduceSum(g.Cast(allPositive, DType.Float32));
        var e = Assert.Throws<InvalidOperationException>(() => g.Gradients([loss], [x]));
        Assert.That(e!.Message, Is.EqualTo("No gradient defined for op 'positive' (Greater)"));
    }

    [TestCase("cpu"), TestCase("emulated")]
    public void ArgMinGivesTheFirstOfEqualMinima(string device)
    {
        var x = new float[,] { { 3, 1, 1 }, { 2, 2, 2 }, { 0, 5, 0 }, { 7, 6, -1 } };
        Assert.That(Run(device, g => g.ArgMin(g.Constant(x), 1)).ToArray<int>(), Is.EqualTo(new[] { 1, 0, 0, 2 }));
        Assert.That(Run(device, g => g.ArgMin(g.Constant(x), -1)).ToArray<int>(), Is.EqualTo(new[] { 1, 0, 0, 2 }));
        Assert.That(Run(device, g => g.ArgMin(g.Constant(x), 0)).ToArray<int>(), Is.EqualTo(new[] { 2, 0, 3 }));
        var y = Run(device, g => g.ArgMin(g.Constant(x), 0));
        Assert.That((y.DType, y.Shape), Is.EqualTo((DType.Int32, new Shape(3))));
    }

    [Test]
    public void ArgMinHasNoGradient()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4), "x");
        var loss = g.ReduceSum(g.Cast(g.ArgMin(x, 1, "nearest"), DType.Float32));
        var e = Assert.Throws<InvalidOperationException>(() => g.Gradients([loss], [x]));
        Assert.That(e!.Message, Is.EqualTo("No gradient defined for op 'nearest' (ArgMin)"));
    }
}
