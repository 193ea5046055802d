using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// The fused LSTM step (<see cref="LstmBlockCell"/> and <see cref="LstmBlockCellGrad"/>) against the same equations
/// unrolled from graph ops: values and gradients of whole unrolled sequences on random inputs, a step against the
/// formula written out, and the errors.
/// </summary>
public class LstmBlockCellTests
{
    private const int Batch = 4, Time = 5, Features = 3, Units = 6;

    /// <summary>
    /// The same Float32 LSTM unrolled over 5 steps, fused and unfused, from the zero state and from a given one: every h,
    /// the final c, and the gradients of a weighted loss with respect to the input, the weights and the initial state.
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void FusedAndUnfusedUnrollsGiveTheSameValuesAndGradients(bool withInitialState)
    {
        var rng = new Random(11);
        Tensor Random(params int[] dims)
        {
            var data = new float[dims.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
            return Tensor.FromFlat(data, new Shape(dims));
        }
        var values = new[] { Random(Batch, Time, Features), Random(Features, 4 * Units), Random(Units, 4 * Units), Random(4 * Units),
                             Random(Batch, Units), Random(Batch, Units), Random(Batch, Time * Units) };

        float[][] Run(bool fused)
        {
            var g = new Graph();
            var x = values.Select((v, k) => g.Placeholder(DType.Float32, v.Shape, $"x{k}")).ToArray();
            var cell = LstmCell.FromWeights(x[1], x[2], x[3], fused: fused);
            var result = g.StaticRnn(cell, x[0], withInitialState ? [x[4], x[5]] : null);
            var hs = g.Concat(result.Outputs, axis: 1);
            // A loss that weighs every h and the final c differently, so that a wrong gradient of any step shows.
            var loss = g.ReduceSum(hs * x[6]) + g.ReduceSum(g.Square(result.FinalState[0]));
            var grads = g.Gradients([loss], withInitialState ? x[..6] : x[..4]);
            using var sess = new Session(g);
            var feeds = new FeedDict();
            for (int k = 0; k < values.Length; k++) feeds[x[k]] = values[k];
            Fetch[] fetches = [hs, result.FinalState[0], .. grads.Select(d => (Fetch)d!.Value)];
            return [.. sess.Run(fetches, feeds).Select(t => t.ToArray<float>())];
        }

        var fusedValues = Run(fused: true);
        var unfusedValues = Run(fused: false);
        string[] names = ["every h", "c_T", "dx", "dkernel", "drecurrent_kernel", "dbias", "dc_0", "dh_0"];
        for (int k = 0; k < fusedValues.Length; k++)
        {
            double scale = unfusedValues[k].Max(v => Math.Abs(v));
            Assert.That(scale, Is.GreaterThan(1e-3), $"{names[k]} is not all zeros, so the comparison means something");
            Assert.That(fusedValues[k], Is.EqualTo(unfusedValues[k]).Within(1e-5 * Math.Max(1, scale)), names[k]);
        }
    }

    [Test]
    public void FusedCellsBuildOneNodePerStepAndOneGradientNodePerStep()
    {
        var g = new Graph { Seed = 2 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Time, Features), "x");
        var result = g.StaticRnn(new LstmCell(Units), x);
        g.Gradients([g.ReduceSum(result.LastOutput)], [x]);
        Assert.That(g.Nodes.Count(n => n.Op is LstmBlockCell), Is.EqualTo(Time));
        Assert.That(g.Nodes.Count(n => n.Op is LstmBlockCellGrad), Is.EqualTo(Time));
        Assert.That(g.Nodes.Count(n => n.Op is Sigmoid), Is.Zero, "no gate is unrolled into its own node");
    }

    /// <summary>One step from known numbers against the formula: c = σ(z_f) c_prev + σ(z_i) tanh(z_g), h = σ(z_o) tanh(c), and its gradient.</summary>
    [Test]
    public void OneStepMatchesTheFormulaAndItsDerivatives()
    {
        double[,] z = { { 0.5, -1.0, 2.0, 0.3, -0.7, 1.5, -0.2, 0.9 } };   // units = 2: i, f, g, o blocks of two
        double[,] cPrev = { { 0.4, -1.2 } }, dc = { { 0.3, -0.5 } }, dh = { { 1.1, 0.6 } };
        var g = new Graph();
        var (c, h) = g.LstmBlockCell(g.Constant(z), g.Constant(cPrev));
        var (dz, dcPrev) = g.LstmBlockCellGrad(g.Constant(z), g.Constant(cPrev), g.Constant(dc), g.Constant(dh));
        using var sess = new Session(g);
        var r = sess.Run([c, h, dz, dcPrev!.Value]);

        static double S(double v) => 1 / (1 + Math.Exp(-v));
        for (int j = 0; j < 2; j++)
        {
            double i = S(z[0, j]), f = S(z[0, 2 + j]), gate = Math.Tanh(z[0, 4 + j]), o = S(z[0, 6 + j]);
            double cj = f * cPrev[0, j] + i * gate, t = Math.Tanh(cj);
            Assert.That(r[0].GetDouble(j), Is.EqualTo(cj).Within(1e-12), $"c[{j}]");
            Assert.That(r[1].GetDouble(j), Is.EqualTo(o * t).Within(1e-12), $"h[{j}]");
            double dcTotal = dc[0, j] + dh[0, j] * o * (1 - t * t);
            Assert.That(r[2].GetDouble(j), Is.EqualTo(dcTotal * gate * i * (1 - i)).Within(1e-12), $"dz_i[{j}]");
            Assert.That(r[2].GetDouble(2 + j), Is.EqualTo(dcTotal * cPrev[0, j] * f * (1 - f)).Within(1e-12), $"dz_f[{j}]");
            Assert.That(r[2].GetDouble(4 + j), Is.EqualTo(dcTotal * i * (1 - gate * gate)).Within(1e-12), $"dz_g[{j}]");
            Assert.That(r[2].GetDouble(6 + j), Is.EqualTo(dh[0, j] * t * o * (1 - o)).Within(1e-12), $"dz_o[{j}]");
            Assert.That(r[3].GetDouble(j), Is.EqualTo(dcTotal * f).Within(1e-12), $"dc_prev[{j}]");
        }
    }

    [Test]
    public void ShapesThatDoNotFitFailNamingTheNode()
    {
        var g = new Graph();
        var z = g.Placeholder(DType.Float32, new Shape(-1, 10), "z");
        var e = Assert.Throws<ShapeException>(() => g.LstmBlockCell(z, name: "step"));
        Assert.That(e!.Message, Does.Contain("'step'").And.Contain("(batch, 4 * units)").And.Contain("(?, 10)"));

        var z8 = g.Placeholder(DType.Float32, new Shape(-1, 8), "z8");
        var cPrev = g.Placeholder(DType.Float32, new Shape(-1, 3), "c_prev");
        e = Assert.Throws<ShapeException>(() => g.LstmBlockCell(z8, cPrev, name: "step2"));
        Assert.That(e!.Message, Does.Contain("'step2'").And.Contain("(?, 2)").And.Contain("(?, 3)"));
    }
}
