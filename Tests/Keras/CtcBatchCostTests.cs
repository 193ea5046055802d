using GraphDL.Keras;
using GraphDL.Tests.Engine;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>keras.backend.ctc_batch_cost against the brute-force CTC sum of <see cref="CtcLossTests"/>.</summary>
public class CtcBatchCostTests
{
    [Test]
    public void KerasCtcBatchCostTakesTheLogOfTheSoftmaxOutputPlusEpsilon()
    {
        // Softmax outputs [batch 2, 4 steps, 3 classes], blank last; float labels and lengths as Keras models feed them.
        var g = new Graph();
        var logits = CtcLossTests.RandomLogits(new Shape(2, 4, 3), 41);
        var yPred = g.Softmax(g.Cast(g.Constant(logits), DType.Float32));
        var cost = Losses.CtcBatchCost(g.Constant(new[,] { { 0f, 1f }, { 1f, 1f } }), yPred,
            g.Constant(new[,] { { 4f }, { 3f } }), g.Constant(new[,] { { 2f }, { 2f } }));
        Assert.That(cost.Shape, Is.EqualTo(new Shape(2, 1)));
        using var sess = new Session(g);
        var values = sess.Run(cost).ToDoubles();

        int[][] labels = [[0, 1], [1, 1]];
        int[] times = [4, 3];
        for (int b = 0; b < 2; b++)
        {
            // log(p + ε) as logits: the op's softmax renormalises p + ε.
            var p = CtcLossTests.Probabilities(logits, b, times[b], timeMajor: false)
                .Select(row => row.Select(v => (v + 1e-7) / (1 + 3e-7)).ToArray()).ToArray();
            Assert.That(values[b], Is.EqualTo(CtcLossTests.BruteForceLoss(p, labels[b], 2, true)).Within(1e-5), $"example {b}");
        }
    }

    /// <summary>Through the softmax, log(p + ε) and the CTC op, the gradient with respect to the logits is checked numerically (first order: the op's gradient has none).</summary>
    [Test]
    public void KerasCtcBatchCostGradientMatchesCentralDifferences() =>
        NumericalGradientOracle.Check(new GradCase("ctc_batch_cost", [new Shape(2, 4, 3)], (g, x) => Losses.CtcBatchCost(
            g.Constant(new[,] { { 0, 1 }, { 1, 1 } }), g.Softmax(x[0]), g.Constant(new[,] { { 4 }, { 3 } }), g.Constant(new[,] { { 2 }, { 2 } }))));

    [Test]
    public void KerasCtcBatchCostIsNotACompileLossName()
    {
        Assert.That(Losses.Names.Where(name => name.Contains("ctc")), Is.Empty);
        Assert.That(() => Losses.Get("ctc_batch_cost"), Throws.ArgumentException);
    }
}
