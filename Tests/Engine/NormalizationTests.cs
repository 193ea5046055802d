using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// tf.nn's l2_loss, l2_normalize, moments and batch_normalization against values worked out by hand (3-4-5 and
/// 5-12-13 triangles keep the norms exact) and against their formulas written out as loops. The catalogue checks
/// their gradients numerically; here the gradients that have a closed form are checked against it.
/// </summary>
public class NormalizationTests
{
    private static double[] Values(Graph g, Output y)
    {
        using var session = new Session(g);
        return session.Run(y).ToDoubles();
    }

    private static Output Gradient(Graph g, Output y, Output x) => g.Gradients([g.ReduceSum(y)], [x])[0]!.Value;

    [Test]
    public void L2LossIsHalfTheSumOfSquaresAndItsGradientIsTheTensor()
    {
        var g = new Graph();
        var t = g.Constant(new[,] { { 1.0, 2.0 }, { 3.0, -4.0 } });
        var loss = g.L2Loss(t);
        Assert.That(loss.Shape, Is.EqualTo(Shape.Scalar));
        Assert.That(Values(g, loss), Is.EqualTo(new[] { (1 + 4 + 9 + 16) / 2.0 }));
        Assert.That(Values(g, Gradient(g, loss, t)), Is.EqualTo(new[] { 1.0, 2.0, 3.0, -4.0 }));
        Assert.That(Values(g, g.L2Loss(g.Constant(new[] { 0.5f, -1.5f }))), Is.EqualTo(new[] { (0.25 + 2.25) / 2 }));
        Assert.Throws<ArgumentException>(() => g.L2Loss(g.Constant(new[] { 1, 2 })));
    }

    [Test]
    public void L2NormalizeGivesEachSliceUnitLength()
    {
        var g = new Graph();
        var x = g.Constant(new[,] { { 3.0, 4.0 }, { 5.0, 12.0 } });
        Assert.That(Values(g, g.L2Normalize(x, 1)), Is.EqualTo(new[] { 0.6, 0.8, 5 / 13.0, 12 / 13.0 }).Within(1e-15));
        Assert.That(Values(g, g.L2Normalize(x, 0)), Is.EqualTo(new[] { 3 / Math.Sqrt(34), 4 / Math.Sqrt(160), 5 / Math.Sqrt(34), 12 / Math.Sqrt(160) }).Within(1e-15));
        // Over all axes: 9 + 16 + 25 + 144 = 194.
        Assert.That(Values(g, g.L2Normalize(x)), Is.EqualTo(new[] { 3.0, 4.0, 5.0, 12.0 }.Select(v => v / Math.Sqrt(194))).Within(1e-15));
        var x32 = g.Constant(new[] { 3f, 4f });
        Assert.That(Values(g, g.L2Normalize(x32, -1)), Is.EqualTo(new[] { 0.6, 0.8 }).Within(1e-7));
    }

    /// <summary>TF1 puts ε inside a maximum: a slice whose Σ x² is below ε is divided by √ε, an all-zero one stays 0 with a finite gradient.</summary>
    [Test]
    public void L2NormalizeFloorsTheSumOfSquaresAtEpsilon()
    {
        var g = new Graph();
        var x = g.Constant(new[,] { { 1e-7, 0.0 }, { 0.0, 0.0 }, { 3.0, 4.0 } });
        var y = g.L2Normalize(x, 1);
        // Row 0: Σ x² = 1e-14 < 1e-12, so y = 1e-7 / 1e-6 = 0.1, not the unit vector (1, 0).
        Assert.That(Values(g, y), Is.EqualTo(new[] { 0.1, 0.0, 0.0, 0.0, 0.6, 0.8 }).Within(1e-15));
        // Below ε, y = x / √ε is linear: every gradient in rows 0 and 1 is 1 / √ε = 1e6.
        var dx = Values(g, Gradient(g, y, x));
        Assert.That(dx[..4], Is.EqualTo(new[] { 1e6, 1e6, 1e6, 1e6 }).Within(1e-6));
        // Row 2 on the sphere: d/dx_i Σ_j x_j / ‖x‖ = (‖x‖² - x_i Σ_j x_j) / ‖x‖³.
        Assert.That(dx[4..], Is.EqualTo(new[] { (25 - 3 * 7) / 125.0, (25 - 4 * 7) / 125.0 }).Within(1e-15));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.L2Normalize(x, 1, epsilon: -1));
        Assert.Throws<ShapeException>(() => g.L2Normalize(x, 2));
    }

    [Test]
    public void MomentsArePopulationMeanAndVariance()
    {
        var g = new Graph();
        var x = g.Constant(new[,] { { 1.0, 2.0 }, { 3.0, 6.0 }, { 5.0, 10.0 } });
        var (mean, variance) = g.Moments(x, [0]);
        Assert.That(mean.Shape, Is.EqualTo(new Shape(2)));
        Assert.That(variance.Shape, Is.EqualTo(new Shape(2)));
        Assert.That(Values(g, mean), Is.EqualTo(new[] { 3.0, 6.0 }));
        // Σ (x - mean)² / 3, not / 2: (4 + 0 + 4) / 3 and (16 + 0 + 16) / 3.
        Assert.That(Values(g, variance), Is.EqualTo(new[] { 8 / 3.0, 32 / 3.0 }).Within(1e-15));
        Assert.That(mean.Name, Is.EqualTo("moments/mean"));
        Assert.That(variance.Name, Is.EqualTo("moments/variance"));

        var (rowMean, rowVariance) = g.Moments(x, [-1], keepDims: true, name: "rows");
        Assert.That(rowMean.Shape, Is.EqualTo(new Shape(3, 1)));
        Assert.That(Values(g, rowMean), Is.EqualTo(new[] { 1.5, 4.5, 7.5 }));
        Assert.That(Values(g, rowVariance), Is.EqualTo(new[] { 0.25, 2.25, 6.25 }));

        var (allMean, allVariance) = g.Moments(x);
        double[] flat = [1, 2, 3, 6, 5, 10];
        double m = flat.Average();
        Assert.That(allMean.Shape, Is.EqualTo(Shape.Scalar));
        Assert.That(Values(g, allMean), Is.EqualTo(new[] { m }).Within(1e-15));
        Assert.That(Values(g, allVariance), Is.EqualTo(new[] { flat.Sum(v => (v - m) * (v - m)) / flat.Length }).Within(1e-14));
        Assert.Throws<ArgumentException>(() => g.Moments(g.Constant(new[] { 1, 2 })));
    }

    /// <summary>
    /// d var / d x_i = 2 (x_i - mean) / N: the path through the mean adds 2 Σ (x_j - mean) / N · (-1 / N), which is zero.
    /// The Hessian of Σ var, (2 / N)(I - 1 1ᵀ / N), does depend on that path; the catalogue's second-order check holds it.
    /// </summary>
    [Test]
    public void MomentsVarianceGradientIsTheDeviationTimesTwoOverN()
    {
        var g = new Graph();
        double[] xs = [1, 4, -2, 7, 0.5];
        var x = g.Constant(xs);
        var (_, variance) = g.Moments(x, [0]);
        double m = xs.Average();
        Assert.That(Values(g, Gradient(g, variance, x)), Is.EqualTo(xs.Select(v => 2 * (v - m) / xs.Length)).Within(1e-14));
        // The second derivative along a direction v: (2 / N)(v - mean(v)).
        double[] direction = [1, 0, 0, 2, -1];
        var dx = Gradient(g, variance, x);
        var hv = Gradient(g, dx * g.Constant(direction), x);
        double dm = direction.Average();
        Assert.That(Values(g, hv), Is.EqualTo(direction.Select(d => 2 * (d - dm) / xs.Length)).Within(1e-14));
    }

    [Test]
    public void BatchNormalizationByHand()
    {
        var g = new Graph();
        var x = g.Constant(new[,] { { 1.0, 2.0 }, { 3.0, 4.0 } });
        var mean = g.Constant(new[] { 2.0, 3.0 });
        var variance = g.Constant(new[] { 1.0, 4.0 });
        var offset = g.Constant(new[] { 10.0, 20.0 });
        var scale = g.Constant(new[] { 2.0, 3.0 });
        // (x - mean) / √variance · scale + offset, column by column: (∓1 / 1) · 2 + 10 and (∓1 / 2) · 3 + 20.
        Assert.That(Values(g, g.BatchNormalization(x, mean, variance, offset, scale, 0)), Is.EqualTo(new[] { 8.0, 18.5, 12.0, 21.5 }));
        Assert.That(Values(g, g.BatchNormalization(x, mean, variance, null, null, 0)), Is.EqualTo(new[] { -1.0, -0.5, 1.0, 0.5 }));
        Assert.That(Values(g, g.BatchNormalization(x, mean, variance, offset, null, 0)), Is.EqualTo(new[] { 9.0, 19.5, 11.0, 20.5 }));
        Assert.That(Values(g, g.BatchNormalization(x, mean, variance, null, scale, 0)), Is.EqualTo(new[] { -2.0, -1.5, 2.0, 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.BatchNormalization(x, mean, variance, null, null, -1e-3));
        Assert.Throws<ShapeException>(() => g.BatchNormalization(x, g.Constant(new[] { 1.0, 2.0, 3.0 }), variance, null, null, 1e-3));
    }

    /// <summary>NHWC with per-channel statistics and ε, against the formula as a loop over every element.</summary>
    [Test]
    public void BatchNormalizationMatchesTheFormulaPerChannel()
    {
        var rng = new Random(3);
        var x = new double[2, 3, 2, 4];
        foreach (int i in Enumerable.Range(0, x.Length)) x[i / 24, i / 8 % 3, i / 4 % 2, i % 4] = rng.NextDouble() * 4 - 2;
        double[] mean = [0.1, -0.3, 0.5, 1.0], variance = [0.5, 2.0, 0.01, 3.0], offset = [1, -1, 0.5, 0], scale = [2, 0.5, -1, 3];
        const double epsilon = 1e-3;
        var g = new Graph();
        var y = Values(g, g.BatchNormalization(g.Constant(x), g.Constant(mean), g.Constant(variance), g.Constant(offset), g.Constant(scale), epsilon));
        for (int i = 0; i < x.Length; i++)
        {
            int c = i % 4;
            double expected = (x[i / 24, i / 8 % 3, i / 4 % 2, c] - mean[c]) / Math.Sqrt(variance[c] + epsilon) * scale[c] + offset[c];
            Assert.That(y[i], Is.EqualTo(expected).Within(1e-13), $"element {i}, channel {c}");
        }
    }

    /// <summary>Normalizing with the batch's own moments gives every feature mean 0 and variance var / (var + ε).</summary>
    [Test]
    public void BatchNormalizationWithTheBatchMomentsStandardizesEachFeature()
    {
        var g = new Graph();
        var x = g.Constant(new[,] { { 1f, 10f }, { 2f, 30f }, { 6f, 20f }, { 3f, 40f } });
        var (mean, variance) = g.Moments(x, [0]);
        var y = g.BatchNormalization(x, mean, variance, null, null, 1e-3);
        var (yMean, yVariance) = g.Moments(y, [0]);
        var v = Values(g, variance);
        Assert.That(v, Is.EqualTo(new[] { (4 + 1 + 9 + 0) / 4.0, 125.0 }).Within(1e-4));
        Assert.That(Values(g, yMean), Is.EqualTo(new[] { 0.0, 0.0 }).Within(1e-6));
        Assert.That(Values(g, yVariance), Is.EqualTo(v.Select(s => s / (s + 1e-3))).Within(1e-6));
    }
}
