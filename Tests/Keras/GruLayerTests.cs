using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>Keras's GRU layer: its weights and parameter counts in both reset placements, and its output against the formula.</summary>
public class GruLayerTests
{
    [TestCase(false, 1, 1)]
    [TestCase(false, 7, 3)]
    [TestCase(true, 7, 3)]
    [TestCase(true, 16, 40)]
    public void ParametersFollowKerasFormulas(bool resetAfter, int units, int features)
    {
        var gru = new Layers.GRU(units, resetAfter: resetAfter);
        new Sequential([new Layers.Dense(features, inputShape: [6, 2]), gru]);
        // Keras: 3 * units * (units + features + 1), and one more bias of 3 * units with reset_after.
        Assert.That(gru.CountParams(), Is.EqualTo(3 * units * (units + features + (resetAfter ? 2 : 1))));
        Assert.That(gru.Weights.Select(w => w.Name), Is.EqualTo(new[] { "gru/kernel", "gru/recurrent_kernel", "gru/bias" }));
        Assert.That(gru.Weights.Select(w => w.Shape), Is.EqualTo(new[]
        {
            new Shape(features, 3 * units), new Shape(units, 3 * units), resetAfter ? new Shape(2, 3 * units) : new Shape(3 * units),
        }));
    }

    [Test]
    public void TheSummaryOfAnEmbeddingGruModelHasKerasCounts()
    {
        var model = new Sequential([
            new Layers.Embedding(12, 10, inputLength: 5),
            new Layers.GRU(128),
            new Layers.Dense(12, activation: "softmax"),
        ]);
        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[] { "embedding", "gru", "dense" }));
        Assert.That(model.Layers[1].CountParams(), Is.EqualTo(53_376));
        Assert.That(model.OutputShape, Is.EqualTo(new Shape(-1, 12)));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TheOutputIsTheGruRecurrenceOverTheLayersWeights(bool resetAfter)
    {
        const int batch = 3, steps = 4, features = 2, units = 3;
        var model = new Sequential([new Layers.GRU(units, returnSequences: true, resetAfter: resetAfter, inputShape: [steps, features])]) { Seed = 4 };
        var random = new Random(2);
        var x = new float[batch, steps, features];
        for (int n = 0; n < batch; n++) for (int t = 0; t < steps; t++) for (int k = 0; k < features; k++) x[n, t, k] = (float)(random.NextDouble() * 2 - 1);
        // The bias starts at zeros; random values make its blocks and rows matter.
        var w = model.GetWeights();
        var bias = new float[w[2].Size];
        for (int k = 0; k < bias.Length; k++) bias[k] = (float)(random.NextDouble() - 0.5);
        model.SetWeights([w[0], w[1], Tensor.FromFlat(bias, w[2].Shape)]);
        var ours = model.Predict(Tensor.FromArray(x)).ToArray<float>();

        float[] kernel = w[0].ToArray<float>(), recurrent = w[1].ToArray<float>();
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        for (int n = 0; n < batch; n++)
        {
            var h = new double[units];
            for (int t = 0; t < steps; t++)
            {
                // Column q * units + j of x W + b, and of h' U (+ b' with reset_after), for block q in z, r, h.
                double FromX(int q, int j)
                {
                    double s = bias[q * units + j];
                    for (int k = 0; k < features; k++) s += x[n, t, k] * kernel[k * 3 * units + q * units + j];
                    return s;
                }
                double FromH(int q, int j, Func<int, double> hk)
                {
                    double s = resetAfter ? bias[3 * units + q * units + j] : 0;
                    for (int k = 0; k < units; k++) s += hk(k) * recurrent[k * 3 * units + q * units + j];
                    return s;
                }
                var r = Enumerable.Range(0, units).Select(j => Sigmoid(FromX(1, j) + FromH(1, j, k => h[k]))).ToArray();
                var next = new double[units];
                for (int j = 0; j < units; j++)
                {
                    double z = Sigmoid(FromX(0, j) + FromH(0, j, k => h[k]));
                    double candidate = resetAfter
                        ? Math.Tanh(FromX(2, j) + r[j] * FromH(2, j, k => h[k]))
                        : Math.Tanh(FromX(2, j) + FromH(2, j, k => r[k] * h[k]));
                    next[j] = z * h[j] + (1 - z) * candidate;
                    Assert.That(ours[(n * steps + t) * units + j], Is.EqualTo(next[j]).Within(1e-5), $"example {n}, step {t}, unit {j}");
                }
                h = next;
            }
        }
    }
}
