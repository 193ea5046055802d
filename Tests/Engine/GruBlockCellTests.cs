using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// The fused GRU step (<see cref="GruBlockCell"/> and <see cref="GruBlockCellGrad"/>) against the same equations
/// unrolled from graph ops: values, gradients and second derivatives of whole sequences through StaticRnn and DynamicRnn
/// on random inputs, a step against the formula written out, which cells fuse, and the errors.
/// </summary>
public class GruBlockCellTests
{
    private const int Time = 5, Features = 3;

    private static Func<int[], Tensor> RandomTensors(int seed)
    {
        var rng = new Random(seed);
        return dims =>
        {
            var data = new float[dims.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
            return Tensor.FromFlat(data, new Shape(dims));
        };
    }

    /// <summary>Fetches of the fused and the unfused build agree within float rounding, and are not all zeros.</summary>
    private static void AssertSame(float[][] fused, float[][] unfused, string[] names)
    {
        Assert.That(fused, Has.Length.EqualTo(names.Length));
        for (int k = 0; k < fused.Length; k++)
        {
            double scale = unfused[k].Max(v => Math.Abs(v));
            Assert.That(scale, Is.GreaterThan(1e-3), $"{names[k]} is not all zeros, so the comparison means something");
            Assert.That(fused[k], Is.EqualTo(unfused[k]).Within(1e-5 * Math.Max(1, scale)), names[k]);
        }
    }

    /// <summary>
    /// The same Float32 GRU unrolled over 5 steps, fused and unfused, from the zero state and from a given one, for
    /// several batch sizes and numbers of units: every h, the final state, and the gradients of a weighted loss with
    /// respect to the input, the three weights and the initial state.
    /// </summary>
    [TestCase(4, 6, true)]
    [TestCase(4, 6, false)]
    [TestCase(1, 1, true)]
    [TestCase(7, 13, true)]
    [TestCase(32, 40, false)]
    public void FusedAndUnfusedUnrollsGiveTheSameValuesAndGradients(int batch, int units, bool withInitialState)
    {
        var random = RandomTensors(11);
        var values = new[] { random([batch, Time, Features]), random([Features, 3 * units]), random([units, 3 * units]), random([3 * units]),
                             random([batch, units]), random([batch, Time * units]) };

        float[][] Run(bool fused)
        {
            var g = new Graph();
            var x = values.Select((v, k) => g.Placeholder(DType.Float32, v.Shape, $"x{k}")).ToArray();
            var cell = GruCell.FromWeights(x[1], x[2], x[3], fused: fused);
            var result = g.StaticRnn(cell, x[0], withInitialState ? [x[4]] : null);
            var hs = g.Concat(result.Outputs, axis: 1);
            // A loss that weighs every h and the final state differently, so that a wrong gradient of any step shows.
            var loss = g.ReduceSum(hs * x[5]) + g.ReduceSum(g.Square(result.FinalState[0]));
            var grads = g.Gradients([loss], withInitialState ? x[..5] : x[..4]);
            using var sess = new Session(g);
            var feeds = new FeedDict();
            for (int k = 0; k < values.Length; k++) feeds[x[k]] = values[k];
            Fetch[] fetches = [hs, result.FinalState[0], .. grads.Select(d => (Fetch)d!.Value)];
            return [.. sess.Run(fetches, feeds).Select(t => t.ToArray<float>())];
        }

        string[] names = ["every h", "h_T", "dx", "dkernel", "drecurrent_kernel", "dbias", .. withInitialState ? ["dh_0"] : Array.Empty<string>()];
        AssertSame(Run(fused: true), Run(fused: false), names);
    }

    /// <summary>
    /// A DynamicRnn over rows of different lengths (one of them 0), fused and unfused: the outputs (zeros after each
    /// row's end), each row's final state, and the gradients with respect to the input, the weights and the initial state.
    /// </summary>
    [Test]
    public void DynamicRnnWithRowsOfDifferentLengthsGivesTheSameValuesAndGradients()
    {
        const int batch = 4, units = 5;
        var random = RandomTensors(23);
        var values = new[] { random([batch, Time, Features]), random([Features, 3 * units]), random([units, 3 * units]), random([3 * units]),
                             random([batch, units]), random([batch, Time, units]) };
        var lengths = Tensor.FromFlat(new[] { 5, 2, 0, 4 }, new Shape(batch));

        float[][] Run(bool fused)
        {
            var g = new Graph();
            var x = values.Select((v, k) => g.Placeholder(DType.Float32, v.Shape, $"x{k}")).ToArray();
            var sequenceLength = g.Placeholder(DType.Int32, new Shape(batch), "lengths");
            var (outputs, state) = g.DynamicRnn(GruCell.FromWeights(x[1], x[2], x[3], fused: fused), x[0], sequenceLength, [x[4]]);
            var loss = g.ReduceSum(outputs * x[5]) + g.ReduceSum(g.Square(state[0]));
            var grads = g.Gradients([loss], x[..5]);
            using var sess = new Session(g);
            var feeds = new FeedDict { [sequenceLength] = lengths };
            for (int k = 0; k < values.Length; k++) feeds[x[k]] = values[k];
            Fetch[] fetches = [outputs, state[0], .. grads.Select(d => (Fetch)d!.Value)];
            return [.. sess.Run(fetches, feeds).Select(t => t.ToArray<float>())];
        }

        AssertSame(Run(fused: true), Run(fused: false), ["outputs", "final state", "dx", "dkernel", "drecurrent_kernel", "dbias", "dh_0"]);
    }

    /// <summary>
    /// The second derivative through a fused unroll: the gradient, with respect to the weights, of the squared norm of
    /// dloss/dx, in Float64 so that the rounding of two passes of differentiation stays far below the tolerance.
    /// </summary>
    [Test]
    public void SecondDerivativesThroughAnUnrollAgree()
    {
        const int batch = 3, units = 4;
        var rng = new Random(5);
        Tensor Random(params int[] dims)
        {
            var t = new Tensor(new Shape(dims), DType.Float64);
            for (int i = 0; i < t.Size; i++) t.SetDouble(i, rng.NextDouble() * 2 - 1);
            return t;
        }
        var values = new[] { Random(batch, Time, Features), Random(Features, 3 * units), Random(units, 3 * units), Random(3 * units) };

        double[][] Run(bool fused)
        {
            var g = new Graph();
            var x = values.Select((v, k) => g.Placeholder(DType.Float64, v.Shape, $"x{k}")).ToArray();
            var result = g.StaticRnn(GruCell.FromWeights(x[1], x[2], x[3], fused: fused), x[0]);
            var loss = g.ReduceSum(g.Square(g.Concat(result.Outputs, axis: 1)));
            var dx = g.Gradients([loss], [x[0]])[0]!.Value;
            var second = g.Gradients([g.ReduceSum(g.Square(dx))], x[1..4]);
            using var sess = new Session(g);
            var feeds = new FeedDict();
            for (int k = 0; k < values.Length; k++) feeds[x[k]] = values[k];
            return [.. sess.Run([.. second.Select(d => (Fetch)d!.Value)], feeds).Select(t => t.ToArray<double>())];
        }

        var fused = Run(fused: true);
        var unfused = Run(fused: false);
        string[] names = ["d/dkernel", "d/drecurrent_kernel", "d/dbias"];
        for (int k = 0; k < names.Length; k++)
        {
            double scale = unfused[k].Max(v => Math.Abs(v));
            Assert.That(scale, Is.GreaterThan(1e-3), $"{names[k]} is not all zeros");
            Assert.That(fused[k], Is.EqualTo(unfused[k]).Within(1e-10 * Math.Max(1, scale)), names[k]);
        }
    }

    [Test]
    public void FusedCellsBuildOneNodePerStepAndOneGradientNodePerStep()
    {
        var g = new Graph { Seed = 2 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Time, Features), "x");
        var result = g.StaticRnn(new GruCell(6), x);
        g.Gradients([g.ReduceSum(result.LastOutput)], [x]);
        Assert.That(g.Nodes.Count(n => n.Op is GruBlockCell), Is.EqualTo(Time));
        Assert.That(g.Nodes.Count(n => n.Op is GruBlockCellGrad), Is.EqualTo(Time));
        Assert.That(g.Nodes.Count(n => n.Op is Sigmoid), Is.Zero, "no gate is unrolled into its own node");
    }

    /// <summary>reset_after's reset gate multiplies the recurrent product and its own bias, a formula GruBlockCell does not have.</summary>
    [Test]
    public void ResetAfterAndUnfusedCellsStayUnrolled()
    {
        foreach (var cell in new[] { new GruCell(4, resetAfter: true), new GruCell(4, fused: false) })
        {
            var g = new Graph { Seed = 2 };
            var x = g.Placeholder(DType.Float32, new Shape(-1, Time, Features), "x");
            g.StaticRnn(cell, x);
            Assert.That(g.Nodes.Count(n => n.Op is GruBlockCell), Is.Zero, $"resetAfter {cell.ResetAfter}, fused {cell.Fused}");
            // z and r of every step, but the reset-before form's first step from the zero state, which has no r.
            Assert.That(g.Nodes.Count(n => n.Op is Sigmoid), Is.EqualTo(cell.ResetAfter ? 2 * Time : 2 * Time - 1));
        }
    }

    /// <summary>
    /// One step from known numbers against the formula: z = σ(s_z), r = σ(s_r), c = tanh(a + (r h) U_h),
    /// h' = z h + (1 - z) c, and its gradient written out.
    /// </summary>
    [Test]
    public void OneStepMatchesTheFormulaAndItsDerivatives()
    {
        double[,] gates = { { 0.5, -1.0, 2.0, 0.3 } };   // units = 2: z, r blocks of two
        double[,] candidateFromX = { { -0.7, 0.4 } }, hPrev = { { 0.4, -1.2 } }, kernel = { { 0.3, -0.8 }, { 1.1, 0.25 } }, dh = { { 1.1, 0.6 } };
        var g = new Graph();
        var (z, r, c, h) = g.GruBlockCell(g.Constant(gates), g.Constant(candidateFromX), g.Constant(hPrev), g.Constant(kernel));
        var (dGates, dCandidate, dhPrev) = g.GruBlockCellGrad(z, r, c, g.Constant(dh), g.Constant(hPrev), g.Constant(kernel));
        using var sess = new Session(g);
        var v = sess.Run([z, r, c, h, dGates, dCandidate, dhPrev!.Value]);

        static double S(double x) => 1 / (1 + Math.Exp(-x));
        double[] zs = [S(gates[0, 0]), S(gates[0, 1])], rs = [S(gates[0, 2]), S(gates[0, 3])];
        double[] cs = new double[2], dcs = new double[2], dResetProduct = new double[2];
        for (int j = 0; j < 2; j++)
            cs[j] = Math.Tanh(candidateFromX[0, j] + rs[0] * hPrev[0, 0] * kernel[0, j] + rs[1] * hPrev[0, 1] * kernel[1, j]);
        for (int j = 0; j < 2; j++) dcs[j] = dh[0, j] * (1 - zs[j]) * (1 - cs[j] * cs[j]);
        for (int i = 0; i < 2; i++) dResetProduct[i] = dcs[0] * kernel[i, 0] + dcs[1] * kernel[i, 1];
        for (int j = 0; j < 2; j++)
        {
            Assert.That(v[0].GetDouble(j), Is.EqualTo(zs[j]).Within(1e-12), $"z[{j}]");
            Assert.That(v[1].GetDouble(j), Is.EqualTo(rs[j]).Within(1e-12), $"r[{j}]");
            Assert.That(v[2].GetDouble(j), Is.EqualTo(cs[j]).Within(1e-12), $"c[{j}]");
            Assert.That(v[3].GetDouble(j), Is.EqualTo(zs[j] * hPrev[0, j] + (1 - zs[j]) * cs[j]).Within(1e-12), $"h[{j}]");
            Assert.That(v[4].GetDouble(j), Is.EqualTo(dh[0, j] * (hPrev[0, j] - cs[j]) * zs[j] * (1 - zs[j])).Within(1e-12), $"dz̄[{j}]");
            Assert.That(v[4].GetDouble(2 + j), Is.EqualTo(dResetProduct[j] * hPrev[0, j] * rs[j] * (1 - rs[j])).Within(1e-12), $"dr̄[{j}]");
            Assert.That(v[5].GetDouble(j), Is.EqualTo(dcs[j]).Within(1e-12), $"dc̄[{j}]");
            Assert.That(v[6].GetDouble(j), Is.EqualTo(dh[0, j] * zs[j] + dResetProduct[j] * rs[j]).Within(1e-12), $"dh_prev[{j}]");
        }
    }

    [Test]
    public void ShapesThatDoNotFitFailNamingTheNode()
    {
        var g = new Graph();
        var odd = g.Placeholder(DType.Float32, new Shape(-1, 5), "odd");
        var candidate = g.Placeholder(DType.Float32, new Shape(-1, 2), "candidate");
        var e = Assert.Throws<ShapeException>(() => g.GruBlockCell(odd, candidate, name: "step"));
        Assert.That(e!.Message, Does.Contain("'step'").And.Contain("(batch, 2 * units)").And.Contain("(?, 5)"));

        var gates = g.Placeholder(DType.Float32, new Shape(-1, 4), "gates");
        var hPrev = g.Placeholder(DType.Float32, new Shape(-1, 2), "h_prev");
        var wrongKernel = g.Placeholder(DType.Float32, new Shape(2, 3), "u_h");
        e = Assert.Throws<ShapeException>(() => g.GruBlockCell(gates, candidate, hPrev, wrongKernel, name: "step2"));
        Assert.That(e!.Message, Does.Contain("'step2'").And.Contain("U_h").And.Contain("(2, 3)"));

        var wide = g.Placeholder(DType.Float32, new Shape(-1, 3), "wide");
        e = Assert.Throws<ShapeException>(() => g.GruBlockCell(gates, wide, name: "step3"));
        Assert.That(e!.Message, Does.Contain("'step3'").And.Contain("x W_h + b_h").And.Contain("(?, 3)"));

        var a = Assert.Throws<ArgumentException>(() => g.GruBlockCell(gates, candidate, hPrev, name: "step4"));
        Assert.That(a!.Message, Does.Contain("'step4'").And.Contain("together"));
    }
}
