using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>
/// Seed 003's losses, each against tf.keras 2.x's formula written out here element by element in double
/// precision (loops over the examples, then the mean over the batch), on small arrays chosen to reach the
/// clipping epsilons and the branches: labels of 0, negative predictions, errors beyond Huber's δ.
/// </summary>
public class LossFormulaTests
{
    private const double Eps = 1e-7;

    private static double[] Row(double[,] a, int i) => [.. Enumerable.Range(0, a.GetLength(1)).Select(k => a[i, k])];

    private static double BatchMean(double[,] y, double[,] p, Func<double[], double[], double> loss)
    {
        double sum = 0;
        for (int i = 0; i < y.GetLength(0); i++) sum += loss(Row(y, i), Row(p, i));
        return sum / y.GetLength(0);
    }

    private static double MeanOf(int n, Func<int, double> term)
    {
        double sum = 0;
        for (int k = 0; k < n; k++) sum += term(k);
        return sum / n;
    }

    private static double Ours(string name, double[,] y, double[,] p)
    {
        var g = new Graph();
        var loss = Losses.Get(name)(g.Constant(y), g.Constant(p));
        Assert.That(loss.Shape.Rank, Is.EqualTo(0), $"{name} is the batch's mean");
        return new Session(g).Run(loss).GetDouble(0);
    }

    private static void AssertClose(double ours, double expected, string what) =>
        Assert.That(ours, Is.EqualTo(expected).Within(1e-12 * Math.Max(1, Math.Abs(expected))), what);

    // Regression targets with a 0 label (mape divides by ε there), a negative label and prediction (msle clips them
    // to ε), and errors from 0.05 to 3 (Huber's δ = 1 falls in between; log-cosh is far from quadratic at 3).
    private static readonly double[,] Targets = { { 0.0, 1.5, -2.0, 4.0 }, { 3.0, 0.5, 1.0, -1.0 }, { 2.0, 2.0, 0.25, 0.0 } };
    private static readonly double[,] Estimates = { { 0.5, 1.25, -1.0, 1.0 }, { 2.95, -0.5, 1.5, 2.0 }, { 2.5, 1.0, 0.25, 0.75 } };

    // Probabilities: one prediction of exactly 0 and one of 1 (clipped), one label of 0 (kld clips it).
    private static readonly double[,] Distributions = { { 0.2, 0.7, 0.1 }, { 0.0, 0.5, 0.5 }, { 1.0, 0.0, 0.0 } };
    private static readonly double[,] Probabilities = { { 0.1, 0.6, 0.3 }, { 0.3, 0.3, 0.4 }, { 0.0, 1.0, 0.0 } };

    // Keras's clip of either side of msle at ε before log(x + 1).
    private static double Log1pMax(double v) => Math.Log(Math.Max(v, Eps) + 1);

    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, double[,] y, double[,] p, Func<double[], double[], double> loss) => new TestCaseData(name, y, p, loss).SetName($"{name} matches its formula");

        yield return Case("mean_squared_error", Targets, Estimates, (y, p) => MeanOf(y.Length, k => (p[k] - y[k]) * (p[k] - y[k])));
        yield return Case("mean_absolute_error", Targets, Estimates, (y, p) => MeanOf(y.Length, k => Math.Abs(p[k] - y[k])));
        yield return Case("mean_absolute_percentage_error", Targets, Estimates,
            (y, p) => 100 * MeanOf(y.Length, k => Math.Abs(y[k] - p[k]) / Math.Max(Math.Abs(y[k]), Eps)));
        yield return Case("mean_squared_logarithmic_error", Targets, Estimates,
            (y, p) => MeanOf(y.Length, k => Math.Pow(Log1pMax(p[k]) - Log1pMax(y[k]), 2)));
        yield return Case("log_cosh", Targets, Estimates, (y, p) => MeanOf(y.Length, k => Math.Log(Math.Cosh(p[k] - y[k]))));
        yield return Case("huber", Targets, Estimates, (y, p) => MeanOf(y.Length, k =>
        {
            double e = Math.Abs(p[k] - y[k]);
            return e <= 1 ? 0.5 * e * e : e - 0.5;
        }));
        yield return Case("poisson", Abs(Targets), Abs(Estimates),
            (y, p) => MeanOf(y.Length, k => p[k] - y[k] * Math.Log(p[k] + Eps)));
        yield return Case("cosine_similarity", Targets, Estimates, (y, p) =>
        {
            double dot = 0, yy = 0, pp = 0;
            for (int k = 0; k < y.Length; k++) { dot += y[k] * p[k]; yy += y[k] * y[k]; pp += p[k] * p[k]; }
            return -dot / Math.Sqrt(yy * pp);
        });

        // Margins: -1/+1 labels as given, scores on both sides of the margin.
        double[,] signs = { { 1, -1, 1, -1 }, { -1, -1, 1, 1 }, { 1, 1, -1, 1 } };
        double Margin(double t, double s) => Math.Max(0, 1 - t * s);
        yield return Case("hinge", signs, Estimates, (y, p) => MeanOf(y.Length, k => Margin(y[k], p[k])));
        yield return Case("squared_hinge", signs, Estimates, (y, p) => MeanOf(y.Length, k => Math.Pow(Margin(y[k], p[k]), 2)));
        yield return Case("categorical_hinge", OneHot3, Estimates3, (y, p) =>
        {
            double pos = 0, neg = double.NegativeInfinity;
            for (int k = 0; k < y.Length; k++) { pos += y[k] * p[k]; neg = Math.Max(neg, (1 - y[k]) * p[k]); }
            return Math.Max(0, neg - pos + 1);
        });

        yield return Case("binary_crossentropy", Distributions, Probabilities, (y, p) => MeanOf(y.Length, k =>
        {
            double c = Math.Clamp(p[k], Eps, 1 - Eps);
            return -(y[k] * Math.Log(c + Eps) + (1 - y[k]) * Math.Log(1 - c + Eps));
        }));
        yield return Case("categorical_crossentropy", Distributions, Probabilities, (y, p) =>
        {
            double total = p.Sum(), loss = 0;
            for (int k = 0; k < y.Length; k++) loss -= y[k] * Math.Log(Math.Clamp(p[k] / total, Eps, 1 - Eps));
            return loss;
        });
        yield return Case("kl_divergence", Distributions, Probabilities, (y, p) =>
        {
            double loss = 0;
            for (int k = 0; k < y.Length; k++)
            {
                double t = Math.Clamp(y[k], Eps, 1), q = Math.Clamp(p[k], Eps, 1);
                loss += t * Math.Log(t / q);
            }
            return loss;
        });
    }

    private static readonly double[,] OneHot3 = { { 0, 1, 0 }, { 0, 0, 1 }, { 1, 0, 0 } };
    private static readonly double[,] Estimates3 = { { 0.3, 0.9, -0.4 }, { 1.2, 0.6, 0.7 }, { 2.5, 0.1, 0.2 } };

    private static double[,] Abs(double[,] a)
    {
        var r = (double[,])a.Clone();
        for (int i = 0; i < r.GetLength(0); i++)
            for (int k = 0; k < r.GetLength(1); k++) r[i, k] = Math.Abs(r[i, k]);
        return r;
    }

    [TestCaseSource(nameof(Cases))]
    public void LossMatchesTheKerasFormula(string name, double[,] y, double[,] p, Func<double[], double[], double> loss) =>
        AssertClose(Ours(name, y, p), BatchMean(y, p, loss), name);

    [Test]
    public void HuberTakesItsDelta()
    {
        const double delta = 2.0;
        var g = new Graph();
        var loss = Losses.Huber(g.Constant(Targets), g.Constant(Estimates), delta);
        double expected = BatchMean(Targets, Estimates, (y, p) => MeanOf(y.Length, k =>
        {
            double e = Math.Abs(p[k] - y[k]);
            return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
        }));
        AssertClose(new Session(g).Run(loss).GetDouble(0), expected, "huber, δ = 2");
        Assert.That(expected, Is.Not.EqualTo(BatchMean(Targets, Estimates, (y, p) => MeanOf(y.Length, k => 0.5 * (p[k] - y[k]) * (p[k] - y[k])))),
            "an error of 3 lies beyond δ");
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.Huber(g.Constant(Targets), g.Constant(Estimates), 0));
    }

    [Test]
    public void HingeTurnsZeroOneLabelsIntoSignsOnlyWhenEveryLabelIsZeroOrOne()
    {
        double[,] zeroOne = { { 1, 0, 1, 0 }, { 0, 0, 1, 1 }, { 1, 1, 0, 1 } };
        double[,] mixed = { { 1, 0, 1, -1 }, { 0, 0, 1, 1 }, { 1, 1, -1, 1 } };
        foreach (var (name, square) in new[] { ("hinge", false), ("squared_hinge", true) })
        {
            double Expected(double[,] labels, Func<double, double> toSign) => BatchMean(labels, Estimates, (y, p) => MeanOf(y.Length, k =>
            {
                double margin = Math.Max(0, 1 - toSign(y[k]) * p[k]);
                return square ? margin * margin : margin;
            }));
            AssertClose(Ours(name, zeroOne, Estimates), Expected(zeroOne, t => 2 * t - 1), $"{name}, 0/1 labels");
            // One -1 among them and Keras leaves every label as it is: a 0 label then has margin max(0, 1 - 0) = 1.
            AssertClose(Ours(name, mixed, Estimates), Expected(mixed, t => t), $"{name}, -1/0/1 labels");
        }
    }

    [Test]
    public void SparseCategoricalCrossentropyRenormalisesClippedProbabilitiesLikeTfKeras()
    {
        // Rows that do not sum to 1: tf.keras 2.x takes log(clip(p)) as logits, so the loss is
        // -log(clip(p)_label / Σ clip(p)). Row 3's label has probability 0, clipped to ε.
        double[,] p = { { 0.2, 0.2, 0.2 }, { 0.5, 0.5, 1.0 }, { 0.7, 0.0, 0.3 } };
        int[] ids = [0, 2, 1];
        double expected = 0;
        for (int i = 0; i < 3; i++)
        {
            double total = 0;
            for (int k = 0; k < 3; k++) total += Math.Clamp(p[i, k], Eps, 1 - Eps);
            expected -= Math.Log(Math.Clamp(p[i, ids[i]], Eps, 1 - Eps) / total) / 3;
        }
        foreach (var labels in new[] { Tensor.FromArray(ids), Tensor.FromArray(new[,] { { 0 }, { 2 }, { 1 } }) })
        {
            var g = new Graph();
            var loss = Losses.SparseCategoricalCrossentropy(g.Constant(labels), g.Constant(p));
            AssertClose(new Session(g).Run(loss).GetDouble(0), expected, $"class ids of shape {labels.Shape}");
        }
    }

    [Test]
    public void LogCoshStaysFiniteForLargeErrorsInFloat32()
    {
        // cosh(200) overflows float32 (and e^400 overflows double); log cosh e is |e| - log 2 + log(1 + e^-2|e|).
        var g = new Graph();
        var loss = Losses.LogCosh(g.Constant(new float[,] { { 0, 0 } }), g.Constant(new float[,] { { 200, -0.5f } }));
        double expected = (200 - Math.Log(2) + Math.Log(Math.Cosh(-0.5))) / 2;
        Assert.That(new Session(g).Run(loss).GetDouble(0), Is.EqualTo(expected).Within(1e-5 * expected));
    }

    [Test]
    public void LossesReduceTheLastAxisFirstOnSequences()
    {
        // (batch 2, time 2, classes 2): the sum over classes, then the mean over the four rows, not over eight elements.
        double[,,] y = { { { 0.3, 0.7 }, { 1, 0 } }, { { 0.5, 0.5 }, { 0.1, 0.9 } } };
        double[,,] p = { { { 0.6, 0.4 }, { 0.8, 0.2 } }, { { 0.5, 0.5 }, { 0.3, 0.7 } } };
        double expected = 0;
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 2; t++)
                for (int k = 0; k < 2; k++)
                {
                    double yc = Math.Clamp(y[b, t, k], Eps, 1), pc = Math.Clamp(p[b, t, k], Eps, 1);
                    expected += yc * Math.Log(yc / pc) / 4;
                }
        var g = new Graph();
        var loss = Losses.KLDivergence(g.Constant(Tensor.FromArray(y)), g.Constant(Tensor.FromArray(p)));
        AssertClose(new Session(g).Run(loss).GetDouble(0), expected, "kl_divergence over (2, 2, 2)");
    }

    [Test]
    public void LabelsOfAnotherShapeAreAClearError()
    {
        var g = new Graph();
        var labels = g.Placeholder(DType.Float32, new Shape(-1, 3), "labels");
        var predictions = g.Placeholder(DType.Float32, new Shape(-1, 4), "scores");
        var error = Assert.Throws<ShapeException>(() => Losses.Get("poisson")(labels, predictions))!;
        Assert.That(error.Message, Does.Contain("'poisson'").And.Contain("labels").And.Contain("scores").And.Contain("(None, 3)").And.Contain("(None, 4)"));
        var ids = g.Placeholder(DType.Int32, new Shape(-1, 2), "ids");
        Assert.That(Assert.Throws<ShapeException>(() => Losses.Get("sparse_categorical_crossentropy")(ids, predictions))!.Message,
            Does.Contain("one class id per example").And.Contain("ids"));
    }

    /// <summary>Seed 003's list in Keras's names and aliases, each with the name it resolves to.</summary>
    private static readonly (string Name, string Canonical)[] KerasNames =
    [
        ("mean_squared_error", "mean_squared_error"), ("mse", "mean_squared_error"), ("MSE", "mean_squared_error"),
        ("mean_absolute_error", "mean_absolute_error"), ("mae", "mean_absolute_error"), ("MAE", "mean_absolute_error"),
        ("mean_absolute_percentage_error", "mean_absolute_percentage_error"), ("mape", "mean_absolute_percentage_error"), ("MAPE", "mean_absolute_percentage_error"),
        ("mean_squared_logarithmic_error", "mean_squared_logarithmic_error"), ("msle", "mean_squared_logarithmic_error"), ("MSLE", "mean_squared_logarithmic_error"),
        ("kl_divergence", "kl_divergence"), ("kullback_leibler_divergence", "kl_divergence"), ("kld", "kl_divergence"), ("KLD", "kl_divergence"),
        ("poisson", "poisson"),
        ("log_cosh", "log_cosh"), ("logcosh", "log_cosh"),
        ("cosine_similarity", "cosine_similarity"), ("cosine_proximity", "cosine_similarity"), ("cosine", "cosine_similarity"),
        ("huber", "huber"), ("huber_loss", "huber"),
        ("binary_crossentropy", "binary_crossentropy"),
        ("categorical_crossentropy", "categorical_crossentropy"),
        ("sparse_categorical_crossentropy", "sparse_categorical_crossentropy"),
        ("hinge", "hinge"), ("squared_hinge", "squared_hinge"), ("categorical_hinge", "categorical_hinge"),
    ];

    [Test]
    public void EveryKerasNameResolves()
    {
        foreach (var (name, canonical) in KerasNames)
            Assert.That(Losses.Canonical(name), Is.EqualTo(canonical), name);
        Assert.That(KerasNames.Select(n => n.Canonical).Distinct().Count(), Is.EqualTo(15), "seed 003's fifteen losses, CTC aside");
        // Aliases share one function: the same value on the same data.
        foreach (var (name, canonical) in KerasNames.Where(n => n.Name != n.Canonical))
            Assert.That(Ours(name, Abs(Targets), Abs(Estimates)), Is.EqualTo(Ours(canonical, Abs(Targets), Abs(Estimates))), name);
    }

    [Test]
    public void AnUnknownNameIsAnErrorListingTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => Losses.Get("mean_cubed_error"))!;
        Assert.That(error.Message, Does.StartWith("Unknown loss 'mean_cubed_error'."));
        foreach (var (name, _) in KerasNames.Where(n => n.Name == n.Name.ToLowerInvariant()))
            Assert.That(error.Message, Does.Contain(name));
        Assert.Throws<ArgumentException>(() => Losses.Canonical("ctc"));
        var model = new Sequential([new Layers.Dense(3, inputShape: [4])]);
        Assert.That(Assert.Throws<ArgumentException>(() => model.Compile("sgd", "mean_cubed_error"))!.Message, Does.StartWith("Unknown loss 'mean_cubed_error'"));
    }

    private static IEnumerable<string> CanonicalNames() => KerasNames.Select(n => n.Canonical).Distinct();

    /// <summary>
    /// Compile(loss: name) trains with each loss: the loss Evaluate reports is the function's value on the
    /// predictions, and one epoch of SGD lowers it.
    /// </summary>
    [TestCaseSource(nameof(CanonicalNames))]
    public void CompileTrainsWithEachLoss(string name)
    {
        var random = new Random(11);
        int n = 12;
        var x = Tensor.FromFlat([.. Enumerable.Range(0, n * 4).Select(_ => (float)random.NextDouble())], new Shape(n, 4));
        int[] ids = [.. Enumerable.Range(0, n).Select(i => i % 3)];
        // Smoothed one-hot rows (0.1 and 0.8): no label of 0, which mape would divide by ε.
        var oneHot = GraphDL.Data.OneHotEncoding.Encode(ids, 3).ToDoubles();
        Tensor y = name == "sparse_categorical_crossentropy" ? Tensor.FromArray(ids)
            : Tensor.FromFlat([.. oneHot.Select(v => (float)(0.1 + 0.7 * v))], new Shape(n, 3));
        // A softmax output suits every loss here: positive for the logs, and scores for the margins.
        var model = new Sequential([new Layers.Dense(3, activation: "softmax", inputShape: [4])]) { Seed = 4 };
        // mape is in percent, a hundred times the others' scale, and takes a hundredth of the step.
        model.Compile(new GradientDescentOptimizer(name == "mean_absolute_percentage_error" ? 0.005 : 0.5), loss: name);
        Assert.That(model.CompiledWith!.Value.Loss, Is.EqualTo(name));

        double before = model.Evaluate(x, y, batchSize: n, verbose: 0)["loss"];
        var g = new Graph();
        var direct = Losses.Get(name)(g.Constant(y), g.Constant(model.Predict(x)));
        Assert.That(before, Is.EqualTo(new Session(g).Run(direct).GetDouble(0)).Within(1e-5 * Math.Max(1, Math.Abs(before))));

        model.Fit(x, y, epochs: 5, batchSize: n, verbose: 0);
        Assert.That(model.Evaluate(x, y, batchSize: n, verbose: 0)["loss"], Is.LessThan(before), $"{name} goes down");
    }
}
