using NUnit.Framework;
using static GraphDL.Tests.Engine.RecurrentData;

namespace GraphDL.Tests.Engine;

/// <summary>The GRU cell: Keras's weights and gate order z, r, h, both reset placements, values and gradients.</summary>
public class GruCellTests
{
    private const int Batch = 2, Time = 3, Features = 4, Units = 3;

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    [Test]
    public void OneStepOfOneUnitMatchesTheFormulaWithTheNumbersWrittenOut()
    {
        // x = (0.5, -1), h_0 = 0.3; W's columns and U's entries are the blocks z, r, h.
        var g = new Graph();
        var cell = GruCell.FromWeights(
            g.Constant(new double[,] { { 0.1, 0.2, 0.3 }, { 0.4, 0.5, 0.6 } }),
            g.Constant(new double[,] { { 0.7, -0.8, 0.9 } }),
            g.Constant(new[] { 0.1, -0.1, 0.2 }));
        var (h, state) = cell.Call(g.Constant(new double[,] { { 0.5, -1 } }), [g.Constant(new double[,] { { 0.3 } })]);
        using var sess = new Session(g);

        double z = Sigmoid(0.5 * 0.1 - 1 * 0.4 + 0.3 * 0.7 + 0.1);
        double r = Sigmoid(0.5 * 0.2 - 1 * 0.5 + 0.3 * -0.8 - 0.1);
        double candidate = Math.Tanh(0.5 * 0.3 - 1 * 0.6 + r * 0.3 * 0.9 + 0.2);
        double expected = z * 0.3 + (1 - z) * candidate;
        Assert.That(sess.Run(h).ToDoubles()[0], Is.EqualTo(expected).Within(1e-15));
        Assert.That(state, Has.Length.EqualTo(1));
        Assert.That(state[0], Is.EqualTo(h), "a GRU's state is its output");

        // reset_after: the bias row 1 (b') joins U's product, and r multiplies h U_h + b'_h rather than h.
        var after = GruCell.FromWeights(cell.Kernel, cell.RecurrentKernel,
            g.Constant(new double[,] { { 0.1, -0.1, 0.2 }, { -0.3, 0.25, 0.05 } }), resetAfter: true);
        var (hAfter, _) = after.Call(g.Constant(new double[,] { { 0.5, -1 } }), [g.Constant(new double[,] { { 0.3 } })]);
        z = Sigmoid(0.5 * 0.1 - 1 * 0.4 + 0.1 + 0.3 * 0.7 - 0.3);
        r = Sigmoid(0.5 * 0.2 - 1 * 0.5 - 0.1 + 0.3 * -0.8 + 0.25);
        candidate = Math.Tanh(0.5 * 0.3 - 1 * 0.6 + 0.2 + r * (0.3 * 0.9 + 0.05));
        Assert.That(sess.Run(hAfter).ToDoubles()[0], Is.EqualTo(z * 0.3 + (1 - z) * candidate).Within(1e-15));
    }

    [TestCase(false, true)]
    [TestCase(false, false)]
    [TestCase(true, true)]
    [TestCase(true, false)]
    public void GruMatchesAHandWrittenLoop(bool resetAfter, bool withInitialState)
    {
        var rng = new Random(11);
        var xs = Random3(rng, Batch, Time, Features);
        var kernel = Random2(rng, Features, 3 * Units);
        var recurrent = Random2(rng, Units, 3 * Units);
        var bias = Random2(rng, 2, 3 * Units);
        var h0 = withInitialState ? Random2(rng, Batch, Units) : new double[Batch, Units];

        var g = new Graph();
        var biasNode = resetAfter ? g.Constant(bias) : g.Constant(Enumerable.Range(0, 3 * Units).Select(k => bias[0, k]).ToArray());
        var cell = GruCell.FromWeights(g.Constant(kernel), g.Constant(recurrent), biasNode, resetAfter);
        var result = g.StaticRnn(cell, g.Constant(xs), withInitialState ? [g.Constant(h0)] : null);
        using var sess = new Session(g);

        var h = h0;
        for (int t = 0; t < Time; t++)
        {
            var next = new double[Batch, Units];
            for (int n = 0; n < Batch; n++)
            {
                // Block q of x W (with the input bias) and of h U (with the recurrent bias under reset_after), column j.
                double FromX(int q, int j)
                {
                    int col = q * Units + j;
                    double s = bias[0, col];
                    for (int k = 0; k < Features; k++) s += xs[n, t, k] * kernel[k, col];
                    return s;
                }
                double FromH(int q, int j, Func<int, double> hk)
                {
                    int col = q * Units + j;
                    double s = resetAfter ? bias[1, col] : 0;
                    for (int k = 0; k < Units; k++) s += hk(k) * recurrent[k, col];
                    return s;
                }
                var r = new double[Units];
                for (int j = 0; j < Units; j++) r[j] = Sigmoid(FromX(1, j) + FromH(1, j, k => h[n, k]));
                for (int j = 0; j < Units; j++)
                {
                    double z = Sigmoid(FromX(0, j) + FromH(0, j, k => h[n, k]));
                    double candidate = resetAfter
                        ? Math.Tanh(FromX(2, j) + r[j] * FromH(2, j, k => h[n, k]))
                        : Math.Tanh(FromX(2, j) + FromH(2, j, k => r[k] * h[n, k]));
                    next[n, j] = z * h[n, j] + (1 - z) * candidate;
                }
            }
            h = next;
            Assert.That(sess.Run(result.Outputs[t]).ToArray2D<double>(), Is.EqualTo(h).Within(1e-12), $"h_{t + 1}");
        }
    }

    [TestCase(false, 3)]
    [TestCase(true, 6)]
    public void ItsVariablesAreKerasGruWeights(bool resetAfter, int biasCount)
    {
        var g = new Graph { Seed = 1 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Time, Features), "x");
        var cell = new GruCell(Units, resetAfter: resetAfter);
        var result = g.StaticRnn(cell, x);

        Assert.That(result.FinalState, Has.Length.EqualTo(1));
        Assert.That(result.FinalState[0], Is.EqualTo(result.LastOutput));
        Assert.That(g.TrainableVariables.Select(v => v.Name),
            Is.EqualTo(new[] { "rnn/gru_cell/kernel", "rnn/gru_cell/recurrent_kernel", "rnn/gru_cell/bias" }));
        Assert.That(cell.Weights.Select(w => w.Shape), Is.EqualTo(new[]
        {
            new Shape(Features, 3 * Units), new Shape(Units, 3 * Units), resetAfter ? new Shape(2, 3 * Units) : new Shape(3 * Units),
        }));
        // Keras's parameter count: 3 * units * (units + features) + the bias, 3 * units or 6 * units with reset_after.
        Assert.That(cell.Weights.Sum(w => w.Shape.Size), Is.EqualTo(3 * Units * (Units + Features) + biasCount * Units));

        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        Assert.That(sess.Run(cell.Bias).ToDoubles(), Has.All.EqualTo(0.0), "Keras's GRU bias starts at zeros");
        var feed = new FeedDict { [x] = Tensor.FromArray(new float[5, Time, Features]) };
        Assert.That(sess.Run(result.LastOutput, feed).Shape, Is.EqualTo(new Shape(5, Units)));
    }

    [Test]
    public void FromWeightsRefusesWeightsThatDoNotFitTogether()
    {
        var g = new Graph();
        var kernel = g.Constant(new double[Features, 3 * Units]);
        var recurrent = g.Constant(new double[Units, 3 * Units]);
        Assert.That(() => GruCell.FromWeights(g.Constant(new double[Features, 4]), recurrent, g.Constant(new double[3 * Units])),
            Throws.TypeOf<ShapeException>().With.Message.Contain("(features, 3 * units)"));
        Assert.That(() => GruCell.FromWeights(kernel, g.Constant(new double[Units, Units]), g.Constant(new double[3 * Units])),
            Throws.TypeOf<ShapeException>().With.Message.Contain("recurrent kernel"));
        Assert.That(() => GruCell.FromWeights(kernel, recurrent, g.Constant(new double[3 * Units]), resetAfter: true),
            Throws.TypeOf<ShapeException>().With.Message.Contain("(2, 9)"));
        Assert.That(() => GruCell.FromWeights(kernel, recurrent, g.Constant(new double[2, 3 * Units])),
            Throws.TypeOf<ShapeException>().With.Message.Contain("should have shape (9,)"));
    }

    private static IEnumerable<GradCase> BpttCases()
    {
        foreach (bool resetAfter in new[] { false, true })
        {
            var bias = resetAfter ? new Shape(2, 3 * Units) : new Shape(3 * Units);
            string form = resetAfter ? "resetAfter" : "resetBefore";
            yield return new GradCase($"Gru_{form}_3steps_initialState",
                [new Shape(Batch, Time, Features), new Shape(Features, 3 * Units), new Shape(Units, 3 * Units), bias, new Shape(Batch, Units)],
                (g, x) => Joined(g.StaticRnn(GruCell.FromWeights(x[1], x[2], x[3], resetAfter), x[0], [x[4]]).Outputs))
            { Sample = Small };
            yield return new GradCase($"Gru_{form}_3steps_zeroState",
                [new Shape(Batch, Time, Features), new Shape(Features, 3 * Units), new Shape(Units, 3 * Units), bias],
                (g, x) => Joined(g.StaticRnn(GruCell.FromWeights(x[1], x[2], x[3], resetAfter), x[0]).Outputs))
            { Sample = Small };
        }
    }

    [TestCaseSource(nameof(BpttCases))]
    public void BackpropagationThroughTimeMatchesCentralDifferences(GradCase c) => NumericalGradientOracle.Check(c);

    [TestCaseSource(nameof(BpttCases))]
    public void SecondDerivativeMatchesCentralDifferencesOfTheFirst(GradCase c) => NumericalGradientOracle.CheckSecondOrder(c);
}
