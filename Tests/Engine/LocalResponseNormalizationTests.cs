using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// tf.nn.local_response_normalization against values worked out by hand, against its formula written out as loops
/// on random input, and its gradient against TF's LRNGrad formula; the catalogue checks first and second order
/// numerically.
/// </summary>
public class LocalResponseNormalizationTests
{
    private static double[] Values(Graph g, Output y, FeedDict? feeds = null)
    {
        using var session = new Session(g);
        return session.Run(y, feeds).ToDoubles();
    }

    private static Output Gradient(Graph g, Output y, Output x, Output? dout = null) =>
        g.Gradients([dout is { } weights ? g.ReduceSum(y * weights) : g.ReduceSum(y)], [x])[0]!.Value;

    [Test]
    public void FourChannelsWithRadiusOneByHand()
    {
        var g = new Graph();
        var x = g.Constant(Tensor.FromFlat(new[] { 1.0, 2.0, 3.0, 4.0 }, new Shape(1, 1, 1, 4)));
        var y = g.LocalResponseNormalization(x, depthRadius: 1);
        Assert.That(y.Shape, Is.EqualTo(new Shape(1, 1, 1, 4)));
        // Windows {1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4}: sums of squares 5, 14, 29, 25, plus bias 1, to the power ½.
        Assert.That(Values(g, y), Is.EqualTo(new[] { 1 / Math.Sqrt(6), 2 / Math.Sqrt(15), 3 / Math.Sqrt(30), 4 / Math.Sqrt(26) }).Within(1e-15));
        // TF1's defaults: radius 5 covers all four channels, 1 + 30 = 31 everywhere.
        Assert.That(Values(g, g.Lrn(x)), Is.EqualTo(new[] { 1.0, 2.0, 3.0, 4.0 }.Select(v => v / Math.Sqrt(31))).Within(1e-15));
    }

    /// <summary>With r = 0 and β = 1, y = x / (b + a x²), whose derivative (b − a x²) / (b + a x²)² vanishes at x² = b / a.</summary>
    [Test]
    public void RadiusZeroIsElementwiseByHand()
    {
        var g = new Graph();
        var x = g.Constant(Tensor.FromFlat(new[] { 1.0, 2.0, 3.0, 4.0 }, new Shape(1, 1, 1, 4)));
        var y = g.LocalResponseNormalization(x, depthRadius: 0, bias: 2, alpha: 0.5, beta: 1);
        Assert.That(Values(g, y), Is.EqualTo(new[] { 1 / 2.5, 2 / 4.0, 3 / 6.5, 4 / 10.0 }).Within(1e-15));
        Assert.That(Values(g, Gradient(g, y, x)), Is.EqualTo(new[] { 1.5 / 6.25, 0.0, -2.5 / 42.25, -6 / 100.0 }).Within(1e-15));
    }

    private static readonly (int Radius, double Bias, double Alpha, double Beta)[] Settings =
    [
        (5, 1, 1, 0.5),       // TF1's defaults
        (0, 1, 1, 0.5),
        (1, 2, 0.5, 0.75),
        (2, 2, 1e-4, 0.75),   // AlexNet's k = 2, n = 5, α = 1e-4, β = 0.75
        (3, 0.5, 3, 1.5),
        (9, 1, 0.2, 2),       // wider than the 7 channels on both sides
    ];

    /// <summary>
    /// The formula as a loop, sqr_sum over channels d − r .. d + r clipped to the tensor, and the gradient as TF's
    /// LRNGrad computes it: dx_i = dout_i N_i^−β − 2αβ x_i Σ_{j : |i − j| ≤ r} dout_j x_j N_j^(−β−1), with N = bias + α sqr_sum.
    /// </summary>
    [TestCaseSource(nameof(Settings))]
    public void MatchesTheFormulaAndTfsGradientOnRandomInput((int Radius, double Bias, double Alpha, double Beta) s)
    {
        var (r, bias, alpha, beta) = s;
        var rng = new Random(17 + r);
        var shape = new Shape(2, 3, 2, 7);
        double[] xs = [.. Enumerable.Range(0, shape.Size).Select(_ => rng.NextDouble() * 4 - 2)];
        double[] douts = [.. Enumerable.Range(0, shape.Size).Select(_ => rng.NextDouble() * 2 - 1)];
        var g = new Graph();
        var x = g.Constant(Tensor.FromFlat(xs, shape));
        var dout = g.Constant(Tensor.FromFlat(douts, shape));
        var y = g.LocalResponseNormalization(x, r, bias, alpha, beta);

        const int depth = 7;
        var norm = new double[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            int pixel = i - i % depth, d = i % depth;
            double sqrSum = 0;
            for (int c = Math.Max(0, d - r); c <= Math.Min(depth - 1, d + r); c++) sqrSum += xs[pixel + c] * xs[pixel + c];
            norm[i] = bias + alpha * sqrSum;
        }
        var expectedY = xs.Select((v, i) => v / Math.Pow(norm[i], beta));
        var expectedDx = xs.Select((v, i) =>
        {
            int pixel = i - i % depth, d = i % depth;
            double neighbours = 0;
            for (int c = Math.Max(0, d - r); c <= Math.Min(depth - 1, d + r); c++)
                neighbours += douts[pixel + c] * xs[pixel + c] * Math.Pow(norm[pixel + c], -beta - 1);
            return douts[i] * Math.Pow(norm[i], -beta) - 2 * alpha * beta * v * neighbours;
        });
        Assert.That(Values(g, y), Is.EqualTo(expectedY).Within(1e-12));
        Assert.That(Values(g, Gradient(g, y, x, dout)), Is.EqualTo(expectedDx).Within(1e-12));
    }

    [Test]
    public void Float32WithAnUnknownBatchMatchesFloat64()
    {
        var rng = new Random(5);
        var shape = new Shape(3, 2, 2, 6);
        double[] xs = [.. Enumerable.Range(0, shape.Size).Select(_ => rng.NextDouble() * 4 - 2)];
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 2, 2, 6), "x");
        var y = g.Lrn(x, depthRadius: 2, bias: 1.5, alpha: 0.7, beta: 0.75);
        Assert.That(y.DType, Is.EqualTo(DType.Float32));
        Assert.That(y.Shape, Is.EqualTo(new Shape(-1, 2, 2, 6)));
        var expected = Values(g, g.Lrn(g.Constant(Tensor.FromFlat(xs, shape)), depthRadius: 2, bias: 1.5, alpha: 0.7, beta: 0.75));
        var fed = Values(g, y, new() { [x] = Tensor.FromFlat(xs.Select(v => (float)v).ToArray(), shape) });
        Assert.That(fed, Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void NodesSitInTheirOwnScope()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4, 4, 3), "x");
        Assert.That(g.LocalResponseNormalization(x).Name, Is.EqualTo("LRN/output"));
        Assert.That(g.Lrn(x, name: "norm1").Name, Is.EqualTo("norm1/output"));
    }

    [Test]
    public void BadInputIsRefusedNamingTheNode()
    {
        var g = new Graph();
        var rank3 = g.Placeholder(DType.Float32, new Shape(2, 4, 3), "features");
        var e = Assert.Throws<ShapeException>(() => g.LocalResponseNormalization(rank3, name: "norm1"));
        Assert.That(e!.Message, Does.Contain("'norm1'").And.Contain("'features'").And.Contain("(2, 4, 3)").And.Contain("rank 3"));

        var image = g.Placeholder(DType.Float32, new Shape(-1, 4, 4, 3), "image");
        var radius = Assert.Throws<ArgumentOutOfRangeException>(() => g.Lrn(image, depthRadius: -1, name: "norm2"));
        Assert.That(radius!.Message, Does.Contain("'norm2'").And.Contain("'image'").And.Contain("depthRadius"));

        var unknownChannels = g.Placeholder(DType.Float32, new Shape(-1, 4, 4, -1), "maps");
        var channels = Assert.Throws<ShapeException>(() => g.Lrn(unknownChannels));
        Assert.That(channels!.Message, Does.Contain("'LRN'").And.Contain("'maps'").And.Contain("channels"));

        var ints = g.Placeholder(DType.Int32, new Shape(1, 1, 1, 2), "ids");
        Assert.Throws<ArgumentException>(() => g.Lrn(ints));
    }
}
