using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>Each loss by name against the formula worked out here in double precision.</summary>
public class LossTests
{
    private static readonly double[,] Logits = { { 2.0, 1.0, 0.1 }, { 0.5, 2.5, -1.0 }, { -0.3, 0.2, 0.4 } };
    private static readonly double[,] OneHot = { { 1, 0, 0 }, { 0, 0, 1 }, { 0, 1, 0 } };
    private static readonly int[] ClassIds = [0, 2, 1];

    private static double Evaluate(string loss, Func<Graph, Output> labels, Func<Graph, Output> predictions)
    {
        var g = new Graph();
        var value = Losses.Get(loss)(labels(g), predictions(g));
        Assert.That(value.Shape.Rank, Is.EqualTo(0), "a loss is the batch's mean");
        using var sess = new Session(g);
        return sess.Run(value).GetDouble(0);
    }

    private static Output Const(Graph g, double[,] values) => g.Constant(Tensor.FromArray(ToFloat(values)));

    private static float[,] ToFloat(double[,] a)
    {
        var f = new float[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) f[i, j] = (float)a[i, j];
        return f;
    }

    private static double[] SoftmaxRow(double[,] z, int row)
    {
        var e = Enumerable.Range(0, z.GetLength(1)).Select(k => Math.Exp(z[row, k])).ToArray();
        double sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    [Test]
    public void CategoricalCrossentropyOfASoftmaxOutput()
    {
        double expected = Enumerable.Range(0, 3).Average(i => -Enumerable.Range(0, 3).Sum(k => OneHot[i, k] * Math.Log(SoftmaxRow(Logits, i)[k])));
        double ours = Evaluate("categorical_crossentropy", g => Const(g, OneHot), g => g.Softmax(Const(g, Logits)));
        Assert.That(ours, Is.EqualTo(expected).Within(1e-6));
        double sparse = Evaluate("sparse_categorical_crossentropy", g => g.Constant(Tensor.FromArray(ClassIds)), g => g.Softmax(Const(g, Logits)));
        Assert.That(sparse, Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void CrossentropyOfOtherProbabilitiesRescalesAndClipsLikeKeras()
    {
        // Rows that do not sum to 1 are rescaled first; the label's probability in row 3 is 0, clipped to 1e-7.
        double[,] p = { { 0.6, 0.2, 0.2 }, { 0.5, 0.5, 1.0 }, { 0.7, 0.0, 0.3 } };
        double expected = (-Math.Log(0.6) - Math.Log(0.5) - Math.Log(1e-7)) / 3;
        double ours = Evaluate("categorical_crossentropy", g => Const(g, OneHot), g => Const(g, p));
        Assert.That(ours, Is.EqualTo(expected).Within(1e-4));
        double sparse = Evaluate("sparse_categorical_crossentropy", g => g.Constant(Tensor.FromArray(ClassIds)),
            g => Const(g, new double[,] { { 0.6, 0.2, 0.2 }, { 0.25, 0.25, 0.5 }, { 0.7, 0.0, 0.3 } }));
        Assert.That(sparse, Is.EqualTo(expected).Within(1e-4));
    }

    [Test]
    public void SoftmaxCrossentropyStaysFiniteForLargeLogits()
    {
        // Confidently wrong: log softmax of the labelled class is -2000. The fused node says so; log(softmax) would be -inf.
        double ours = Evaluate("categorical_crossentropy", g => g.Constant(Tensor.FromArray(new float[,] { { 0, 0, 1 } })),
            g => g.Softmax(g.Constant(Tensor.FromArray(new float[,] { { 1000, 0, -1000 } }))));
        Assert.That(ours, Is.EqualTo(2000).Within(1e-3));
    }

    [Test]
    public void BinaryCrossentropyOfASigmoidOutputAndOfProbabilities()
    {
        double[,] z = { { 1.5 }, { -0.5 }, { 3.0 }, { -2.0 } };
        double[,] y = { { 1 }, { 1 }, { 0 }, { 0 } };
        double expected = Enumerable.Range(0, 4).Average(i =>
        {
            double p = 1 / (1 + Math.Exp(-z[i, 0]));
            return -(y[i, 0] * Math.Log(p) + (1 - y[i, 0]) * Math.Log(1 - p));
        });
        Assert.That(Evaluate("binary_crossentropy", g => Const(g, y), g => g.Sigmoid(Const(g, z))), Is.EqualTo(expected).Within(1e-6));

        double[,] probabilities = { { 0.9 }, { 0.3 }, { 0.2 }, { 0.6 } };
        double expectedP = -(Math.Log(0.9) + Math.Log(0.3) + Math.Log(0.8) + Math.Log(0.4)) / 4;
        Assert.That(Evaluate("binary_crossentropy", g => Const(g, y), g => Const(g, probabilities)), Is.EqualTo(expectedP).Within(1e-6));

        // A certain, wrong probability is clipped to 1e-7 rather than giving log 0, and tf.keras adds another 1e-7
        // inside the log: -log(2e-7) = 15.4 (float32 rounds 1 - 1e-7).
        double clipped = Evaluate("binary_crossentropy", g => Const(g, new double[,] { { 1 } }), g => Const(g, new double[,] { { 0 } }));
        Assert.That(clipped, Is.EqualTo(-Math.Log(2e-7)).Within(0.01));
    }

    [Test]
    public void RegressionLosses()
    {
        double[,] y = { { 1.0, -2.0 }, { 0.5, 3.0 } };
        double[,] p = { { 1.5, -2.0 }, { -1.5, 3.25 } };
        double[] e = [0.5, 0.0, -2.0, 0.25];
        Assert.That(Evaluate("mse", g => Const(g, y), g => Const(g, p)), Is.EqualTo(e.Average(v => v * v)).Within(1e-6));
        Assert.That(Evaluate("mean_squared_error", g => Const(g, y), g => Const(g, p)), Is.EqualTo(e.Average(v => v * v)).Within(1e-6));
        Assert.That(Evaluate("mae", g => Const(g, y), g => Const(g, p)), Is.EqualTo(e.Average(Math.Abs)).Within(1e-6));
        // Huber, δ = 1: ½e² inside, |e| - ½ outside (only the error of 2 is outside).
        double huber = (0.5 * 0.25 + 0 + (2 - 0.5) + 0.5 * 0.0625) / 4;
        Assert.That(Evaluate("huber", g => Const(g, y), g => Const(g, p)), Is.EqualTo(huber).Within(1e-6));
    }

    [Test]
    public void HingeTakesZeroOneOrPlusMinusOneLabels()
    {
        double[,] scores = { { 0.3 }, { -2.0 }, { 1.5 }, { -0.4 } };
        double[] t = [1, -1, -1, 1];
        double expected = Enumerable.Range(0, 4).Average(i => Math.Max(0, 1 - t[i] * scores[i, 0]));
        Assert.That(expected, Is.EqualTo((0.7 + 0 + 2.5 + 1.4) / 4).Within(1e-12));
        Assert.That(Evaluate("hinge", g => Const(g, new double[,] { { 1 }, { 0 }, { 0 }, { 1 } }), g => Const(g, scores)), Is.EqualTo(expected).Within(1e-6));
        Assert.That(Evaluate("hinge", g => Const(g, new double[,] { { 1 }, { -1 }, { -1 }, { 1 } }), g => Const(g, scores)), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void AccuracyPicksItsKindFromTheShapes()
    {
        double Run(Func<Graph, Output> labels, Func<Graph, Output> predictions, string? loss = null)
        {
            var g = new Graph();
            var perExample = Metrics.Compute("accuracy", labels(g), predictions(g), loss);
            Assert.That(perExample.Shape.Rank, Is.EqualTo(1), "one value per example");
            return new Session(g).Run(perExample).ToDoubles().Average();
        }

        // Row 1's argmax is 0 (right), row 2's is 1 (label 2: wrong), row 3's is 2 (label 1: wrong).
        Assert.That(Run(g => Const(g, OneHot), g => g.Softmax(Const(g, Logits))), Is.EqualTo(1.0 / 3).Within(1e-9));
        Assert.That(Run(g => g.Constant(Tensor.FromArray(ClassIds)), g => Const(g, Logits)), Is.EqualTo(1.0 / 3).Within(1e-9));
        Assert.That(Run(g => Const(g, new double[,] { { 1 }, { 0 }, { 1 }, { 0 } }), g => Const(g, new double[,] { { 0.7 }, { 0.2 }, { 0.4 }, { 0.51 } })),
            Is.EqualTo(0.5).Within(1e-9), "p > 0.5 against the labels");
        Assert.That(Run(g => Const(g, new double[,] { { 1, 0 }, { 0, 0 } }), g => Const(g, new double[,] { { 0.9, 0.6 }, { 0.1, 0.2 } }), "binary_crossentropy"),
            Is.EqualTo(0.75).Within(1e-9), "binary cross entropy makes accuracy elementwise");
    }
}
