using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// Tan, Atan, Log1p, Expm1 and Round against plain C# references in both float dtypes, Log1p and Expm1 near 0
/// against their Taylor series (where the plain formulas lose x's digits), and Round's halves to even.
/// </summary>
public class ElementwiseMathTests
{
    private static double[] Values(Func<Graph, Output> build)
    {
        var g = new Graph();
        using var session = new Session(g);
        return session.Run(build(g)).ToDoubles();
    }

    private static double[] Apply(Func<Graph, Output, Output> op, double[] xs, DType dtype) =>
        Values(g => op(g, g.Cast(g.Constant(xs), dtype)));

    private static IEnumerable<TestCaseData> AwayFromZeroCases()
    {
        (string, Func<Graph, Output, Output>, Func<double, double>, double[])[] cases =
        [
            ("Tan", (g, x) => g.Tan(x), Math.Tan, [-1.5, -1, -0.25, 0, 0.5, 1, 1.2, 3]),
            ("Atan", (g, x) => g.Atan(x), Math.Atan, [-1e6, -2.5, -1, -0.25, 0, 0.5, 1, 3, 1e6]),
            ("Log1p", (g, x) => g.Log1p(x), x => Math.Log(1 + x), [-0.9, -0.5, -0.25, 0.5, 1, 3, 100, 1e10]),
            ("Expm1", (g, x) => g.Expm1(x), x => Math.Exp(x) - 1, [-50, -2.5, -1, -0.25, 0.5, 1, 3, 20]),
        ];
        foreach (var (name, op, reference, xs) in cases)
            yield return new TestCaseData(op, reference, xs).SetName($"{name}_MatchesReferenceAwayFromZero");
    }

    /// <summary>Where 1 + x and eˣ keep most of x's digits, the plain formula is itself an accurate reference.</summary>
    [TestCaseSource(nameof(AwayFromZeroCases))]
    public void MatchesReference(Func<Graph, Output, Output> op, Func<double, double> reference, double[] xs)
    {
        var expected = xs.Select(reference).ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.That(Apply(op, xs, DType.Float64)[i], Is.EqualTo(expected[i]).Within(1e-14 * Math.Max(1, Math.Abs(expected[i]))), $"Float64 at x = {xs[i]}");
            Assert.That(Apply(op, xs, DType.Float32)[i], Is.EqualTo(expected[i]).Within(1e-6 * Math.Max(1, Math.Abs(expected[i]))), $"Float32 at x = {xs[i]}");
        }
    }

    // Taylor series to four terms: for |x| ≤ 1e-4 the fifth is at most 2e-17 of the first, below Float64's half ulp (1.1e-16).
    private static double Log1pSeries(double x) => x - x * x / 2 + x * x * x / 3 - x * x * x * x / 4;
    private static double Expm1Series(double x) => x + x * x / 2 + x * x * x / 6 + x * x * x * x / 24;

    private static readonly double[] NearZero = [1e-10, -1e-10, 3e-7, -3e-7, 1e-5, -1e-5, 1e-4, -1e-4, 1e-300, 4e-17, -4e-17];

    [Test]
    public void Log1pKeepsFullPrecisionNearZero()
    {
        var y64 = Apply((g, x) => g.Log1p(x), NearZero, DType.Float64);
        var y32 = Apply((g, x) => g.Log1p(x), NearZero, DType.Float32);
        for (int i = 0; i < NearZero.Length; i++)
        {
            double expected = Log1pSeries(NearZero[i]);
            Assert.That(y64[i], Is.EqualTo(expected).Within(4e-16 * Math.Abs(expected)), $"Float64 ln(1 + {NearZero[i]:R})");
            double expected32 = Log1pSeries((float)NearZero[i]);
            Assert.That(y32[i], Is.EqualTo(expected32).Within(2.5e-7 * Math.Abs(expected32)), $"Float32 ln(1 + {NearZero[i]:R})");
        }
        // What the plain formula loses at 1e-10: about 8e-9 relative, a tolerance 20000 times the one above.
        Assert.That(Math.Abs(Math.Log(1 + 1e-10) - Log1pSeries(1e-10)) / 1e-10, Is.GreaterThan(1e-9));
    }

    [Test]
    public void Expm1KeepsFullPrecisionNearZero()
    {
        var y64 = Apply((g, x) => g.Expm1(x), NearZero, DType.Float64);
        var y32 = Apply((g, x) => g.Expm1(x), NearZero, DType.Float32);
        for (int i = 0; i < NearZero.Length; i++)
        {
            double expected = Expm1Series(NearZero[i]);
            Assert.That(y64[i], Is.EqualTo(expected).Within(4e-16 * Math.Abs(expected)), $"Float64 e^{NearZero[i]:R} - 1");
            double expected32 = Expm1Series((float)NearZero[i]);
            Assert.That(y32[i], Is.EqualTo(expected32).Within(2.5e-7 * Math.Abs(expected32)), $"Float32 e^{NearZero[i]:R} - 1");
        }
        Assert.That(Math.Abs(Math.Exp(1e-10) - 1 - Expm1Series(1e-10)) / 1e-10, Is.GreaterThan(1e-9));
    }

    [Test]
    public void Log1pAndExpm1KeepTheEdgesOfTheirDomains()
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var log1p = Apply((g, x) => g.Log1p(x), [-1, -2, double.PositiveInfinity, double.NaN, -0.0], dtype);
            Assert.That(log1p[0], Is.EqualTo(double.NegativeInfinity), $"{dtype} ln 0");
            Assert.That(log1p[1], Is.NaN, $"{dtype} ln of a negative");
            Assert.That(log1p[2], Is.EqualTo(double.PositiveInfinity), $"{dtype} ln ∞");
            Assert.That(log1p[3], Is.NaN, $"{dtype} NaN");
            Assert.That(double.IsNegative(log1p[4]) && log1p[4] == 0, $"{dtype} ln(1 + -0) = -0, got {log1p[4]}");

            var expm1 = Apply((g, x) => g.Expm1(x), [double.NegativeInfinity, -1000, 1000, double.NaN, -0.0], dtype);
            Assert.That(expm1[0], Is.EqualTo(-1.0), $"{dtype} e^-∞ - 1");
            Assert.That(expm1[1], Is.EqualTo(-1.0), $"{dtype} e^-1000 - 1");
            Assert.That(expm1[2], Is.EqualTo(double.PositiveInfinity), $"{dtype} e^1000 - 1 overflows");
            Assert.That(expm1[3], Is.NaN, $"{dtype} NaN");
            Assert.That(double.IsNegative(expm1[4]) && expm1[4] == 0, $"{dtype} e^-0 - 1 = -0, got {expm1[4]}");
        }
    }

    [Test]
    public void RoundTakesHalvesToTheEvenNeighbour()
    {
        double[] xs = [0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, 0.49999997, 2.5000002, -3.7, 7, 1e15 + 0.5];
        double[] expected = [0, -0.0, 2, -2, 2, -2, 4, 0, 3, -4, 7, 1e15];
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            int count = dtype == DType.Float32 ? xs.Length - 1 : xs.Length;   // 1e15 + ½ is not a Float32
            var y = Apply((g, x) => g.Round(x), xs[..count], dtype);
            Assert.That(y, Is.EqualTo(expected[..count]), dtype.ToString());
            Assert.That(double.IsNegative(y[1]), $"{dtype}: -0.5 rounds to -0, as tf.round gives");
        }
    }

    [Test]
    public void RoundHasAZeroGradientAsFloorDoes()
    {
        var g = new Graph();
        var x = g.Constant(new[] { -1.3, 0.2, 2.7 });
        var dx = g.Gradients([g.ReduceSum(3.0 * g.Round(x))], [x])[0]!.Value;
        using var session = new Session(g);
        Assert.That(session.Run(dx).ToDoubles(), Is.EqualTo(new[] { 0.0, 0.0, 0.0 }));
    }

    /// <summary>The gradients by their textbook formulas at a few points (the catalogue checks them numerically).</summary>
    [Test]
    public void GradientsAreTheTextbookDerivatives()
    {
        double[] xs = [-0.7, 0.1, 1.2];
        (Func<Graph, Output, Output> Op, Func<double, double> Derivative, string Name)[] cases =
        [
            ((g, x) => g.Tan(x), x => 1 / (Math.Cos(x) * Math.Cos(x)), "Tan"),
            ((g, x) => g.Atan(x), x => 1 / (1 + x * x), "Atan"),
            ((g, x) => g.Log1p(x), x => 1 / (1 + x), "Log1p"),
            ((g, x) => g.Expm1(x), Math.Exp, "Expm1"),
        ];
        foreach (var (op, derivative, name) in cases)
        {
            var g = new Graph();
            var x = g.Constant(xs);
            var dx = g.Gradients([g.ReduceSum(op(g, x))], [x])[0]!.Value;
            using var session = new Session(g);
            Assert.That(session.Run(dx).ToDoubles(), Is.EqualTo(xs.Select(derivative)).Within(1e-12), name);
        }
    }

    /// <summary>Far left eˣ - 1 rounds to -1, but its slope eˣ is still a normal number and must not come out as 0.</summary>
    [Test]
    public void Expm1GradientKeepsItsPrecisionWhereTheValueIsMinusOne()
    {
        var g = new Graph();
        var x = g.Constant(new[] { -40.0, -700.0 });
        var dx = g.Gradients([g.ReduceSum(g.Expm1(x))], [x])[0]!.Value;
        using var session = new Session(g);
        var slopes = session.Run(dx).ToDoubles();
        Assert.That(slopes[0], Is.EqualTo(Math.Exp(-40)).Within(1e-15 * Math.Exp(-40)));
        Assert.That(slopes[1], Is.EqualTo(Math.Exp(-700)).Within(1e-15 * Math.Exp(-700)));
    }
}
