using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>The recurrent cells and their unrolling: shapes, values against plain loops, and backpropagation through time.</summary>
public class RecurrentTests
{
    private const int Batch = 2, Time = 3, Features = 4, Units = 3;

    [Test]
    public void SimpleRnnUnrollsToOneOutputPerStepAndSharesItsWeights()
    {
        var g = new Graph { Seed = 1 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Time, Features), "x");
        var cell = new SimpleRnnCell(Units);
        var (outputs, state) = g.StaticRnn(cell, x);

        Assert.That(outputs, Has.Length.EqualTo(Time));
        Assert.That(outputs.Select(h => h.Shape), Has.All.EqualTo(new Shape(-1, Units)));
        Assert.That(state, Has.Length.EqualTo(1));
        Assert.That(state[0], Is.EqualTo(outputs[^1]), "a simple RNN's state is its last output");
        Assert.That(new RnnResult(outputs, state).OutputSequence().Shape, Is.EqualTo(new Shape(-1, Time, Units)));

        // Three variables for all steps, named as TF1 names a cell's variables inside static_rnn.
        Assert.That(g.TrainableVariables.Select(v => v.Name),
            Is.EqualTo(new[] { "rnn/simple_rnn_cell/kernel", "rnn/simple_rnn_cell/recurrent_kernel", "rnn/simple_rnn_cell/bias" }));
        Assert.That(cell.Weights.Select(w => w.Shape), Is.EqualTo(new[] { new Shape(Features, Units), new Shape(Units, Units), new Shape(Units) }));
        Assert.That(cell.InputSize, Is.EqualTo(Features));
    }

    [Test]
    public void LstmStateIsCellAndHiddenAndItsWeightsHoldFourGates()
    {
        var g = new Graph { Seed = 1 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Time, Features), "x");
        var cell = new LstmCell(Units);
        var result = g.StaticRnn(cell, x);

        Assert.That(result.Outputs.Select(h => h.Shape), Has.All.EqualTo(new Shape(-1, Units)));
        Assert.That(result.FinalState.Select(s => s.Shape), Has.All.EqualTo(new Shape(-1, Units)));
        Assert.That(result.FinalState[1], Is.EqualTo(result.LastOutput), "state (c, h): h is the last output");
        Assert.That(cell.Weights.Select(w => w.Shape),
            Is.EqualTo(new[] { new Shape(Features, 4 * Units), new Shape(Units, 4 * Units), new Shape(4 * Units) }));
        // Keras's parameter count: 4 * units * (units + features + 1).
        Assert.That(cell.Weights.Sum(w => w.Shape.Size), Is.EqualTo(4 * Units * (Units + Features + 1)));

        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var bias = sess.Run(cell.Bias).ToDoubles();
        Assert.That(bias, Is.EqualTo(Enumerable.Range(0, 4 * Units).Select(k => k / Units == 1 ? 1.0 : 0.0)),
            "blocks i, f, g, o: only the forget gate starts at 1");
    }

    [TestCase(3, 3)]
    [TestCase(3, 12)]
    [TestCase(12, 3)]
    public void OrthogonalInitGivesOrthonormalRowsOrColumns(int rows, int cols)
    {
        var g = new Graph { Seed = 7 };
        var w = g.Variable(new OrthogonalInit(new Shape(rows, cols)) { DType = DType.Float64 }, "w");
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var m = sess.Run(w).ToArray2D<double>();

        // The shorter side's vectors are orthonormal: W Wᵀ = I for a wide matrix, Wᵀ W = I for a tall one.
        int n = Math.Min(rows, cols), len = Math.Max(rows, cols);
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                double dot = 0;
                for (int k = 0; k < len; k++) dot += rows <= cols ? m[a, k] * m[b, k] : m[k, a] * m[k, b];
                Assert.That(dot, Is.EqualTo(a == b ? 1.0 : 0.0).Within(1e-12), $"({a}, {b})");
            }
        Assert.That(m.Cast<double>().Distinct().Count(), Is.EqualTo(rows * cols), "random, not an identity");
    }

    [Test]
    public void SimpleRnnMatchesAHandWrittenLoop()
    {
        var rng = new Random(3);
        var xs = Random3(rng, Batch, Time, Features);
        var wxh = Random2(rng, Features, Units);
        var whh = Random2(rng, Units, Units);
        var b = Random1(rng, Units);
        var h0 = Random2(rng, Batch, Units);

        var g = new Graph();
        var cell = SimpleRnnCell.FromWeights(g.Constant(wxh), g.Constant(whh), g.Constant(b));
        var result = g.StaticRnn(cell, g.Constant(xs), [g.Constant(h0)]);
        using var sess = new Session(g);
        var ours = result.Outputs.Select(h => sess.Run(h).ToArray2D<double>()).ToArray();

        // h_t = tanh(x_t W_xh + h_{t-1} W_hh + b), element by element.
        var h = h0;
        for (int t = 0; t < Time; t++)
        {
            var next = new double[Batch, Units];
            for (int n = 0; n < Batch; n++)
                for (int j = 0; j < Units; j++)
                {
                    double z = b[j];
                    for (int k = 0; k < Features; k++) z += xs[n, t, k] * wxh[k, j];
                    for (int k = 0; k < Units; k++) z += h[n, k] * whh[k, j];
                    next[n, j] = Math.Tanh(z);
                }
            h = next;
            Assert.That(ours[t], Is.EqualTo(h).Within(1e-12), $"h_{t + 1}");
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void LstmMatchesAHandWrittenLoop(bool withInitialState)
    {
        var rng = new Random(5);
        var xs = Random3(rng, Batch, Time, Features);
        var kernel = Random2(rng, Features, 4 * Units);
        var recurrent = Random2(rng, Units, 4 * Units);
        var bias = Random1(rng, 4 * Units);
        var c0 = withInitialState ? Random2(rng, Batch, Units) : new double[Batch, Units];
        var h0 = withInitialState ? Random2(rng, Batch, Units) : new double[Batch, Units];

        var g = new Graph();
        var cell = LstmCell.FromWeights(g.Constant(kernel), g.Constant(recurrent), g.Constant(bias));
        var result = g.StaticRnn(cell, g.Constant(xs), withInitialState ? [g.Constant(c0), g.Constant(h0)] : null);
        using var sess = new Session(g);

        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        double[,] c = c0, h = h0;
        for (int t = 0; t < Time; t++)
        {
            var (cNext, hNext) = (new double[Batch, Units], new double[Batch, Units]);
            for (int n = 0; n < Batch; n++)
                for (int j = 0; j < Units; j++)
                {
                    // Gate q's pre-activation uses column q * Units + j: blocks in the order i, f, g, o.
                    double Pre(int q)
                    {
                        int col = q * Units + j;
                        double z = bias[col];
                        for (int k = 0; k < Features; k++) z += xs[n, t, k] * kernel[k, col];
                        for (int k = 0; k < Units; k++) z += h[n, k] * recurrent[k, col];
                        return z;
                    }
                    double i = Sigmoid(Pre(0)), f = Sigmoid(Pre(1)), candidate = Math.Tanh(Pre(2)), o = Sigmoid(Pre(3));
                    cNext[n, j] = f * c[n, j] + i * candidate;
                    hNext[n, j] = o * Math.Tanh(cNext[n, j]);
                }
            (c, h) = (cNext, hNext);
            Assert.That(sess.Run(result.Outputs[t]).ToArray2D<double>(), Is.EqualTo(h).Within(1e-12), $"h_{t + 1}");
        }
        Assert.That(sess.Run(result.FinalState[0]).ToArray2D<double>(), Is.EqualTo(c).Within(1e-12), "c_T");
    }

    private static IEnumerable<GradCase> BpttCases()
    {
        Func<Random, double> small = r => r.NextDouble() * 2 - 1;
        yield return new GradCase("SimpleRnn_3steps_initialState",
            [new Shape(Batch, Time, Features), new Shape(Features, Units), new Shape(Units, Units), new Shape(Units), new Shape(Batch, Units)],
            (g, x) => Outputs(g.StaticRnn(SimpleRnnCell.FromWeights(x[1], x[2], x[3]), x[0], [x[4]])))
        { Sample = small };
        yield return new GradCase("SimpleRnn_3steps_zeroState",
            [new Shape(Batch, Time, Features), new Shape(Features, Units), new Shape(Units, Units), new Shape(Units)],
            (g, x) => Outputs(g.StaticRnn(SimpleRnnCell.FromWeights(x[1], x[2], x[3]), x[0])))
        { Sample = small };
        yield return new GradCase("Lstm_3steps_initialState",
            [new Shape(Batch, Time, Features), new Shape(Features, 4 * Units), new Shape(Units, 4 * Units), new Shape(4 * Units),
             new Shape(Batch, Units), new Shape(Batch, Units)],
            (g, x) => Outputs(g.StaticRnn(LstmCell.FromWeights(x[1], x[2], x[3]), x[0], [x[4], x[5]])))
        { Sample = small };
        yield return new GradCase("Lstm_3steps_zeroState",
            [new Shape(Batch, Time, Features), new Shape(Features, 4 * Units), new Shape(Units, 4 * Units), new Shape(4 * Units)],
            (g, x) => Outputs(g.StaticRnn(LstmCell.FromWeights(x[1], x[2], x[3]), x[0])))
        { Sample = small };
    }

    /// <summary>Every step's output and the final state in one tensor, so each gets its own random dout.</summary>
    private static Output Outputs(RnnResult r)
    {
        var g = r.LastOutput.Graph;
        return g.Concat([r.OutputSequence(), .. r.FinalState.Select(s => g.ExpandDims(s, 1))], axis: 1);
    }

    [TestCaseSource(nameof(BpttCases))]
    public void BackpropagationThroughTimeMatchesCentralDifferences(GradCase c) => NumericalGradientOracle.Check(c);

    [Test]
    public void TheGradientReachesTheFirstStepThroughTheRecurrence()
    {
        // d h_3 / d x_1 exists only through W_hh: with W_hh = 0 it vanishes, otherwise it does not.
        foreach (double recurrence in new[] { 0.0, 0.5 })
        {
            var g = new Graph();
            var x = g.Placeholder(DType.Float64, new Shape(1, Time, 1), "x");
            var cell = SimpleRnnCell.FromWeights(g.Constant(new double[,] { { 1.0 } }), g.Constant(new double[,] { { recurrence } }), g.Constant(new[] { 0.0 }));
            var result = g.StaticRnn(cell, x);
            var dx = g.Gradients([result.LastOutput], [x])[0]!.Value;
            using var sess = new Session(g);
            var grad = sess.Run(dx, new FeedDict { [x] = Tensor.FromArray(new double[,,] { { { 0.1 }, { 0.2 }, { 0.3 } } }) }).ToDoubles();
            if (recurrence == 0) Assert.That(grad[0], Is.EqualTo(0.0));
            else Assert.That(Math.Abs(grad[0]), Is.GreaterThan(0.1));
        }
    }

    [Test]
    public void ACellRefusesInputsOfTheWrongShapeAndTheGraphStaysAsItWas()
    {
        var g = new Graph();
        var cell = new LstmCell(Units);
        var flat = g.Placeholder(DType.Float32, new Shape(-1, Features), "flat");
        var ex = Assert.Throws<ShapeException>(() => g.StaticRnn(cell, flat))!;
        Assert.That(ex.Message, Does.Contain("lstm_cell").And.Contain("(batch, time, features)"));

        var x = g.Placeholder(DType.Float32, new Shape(-1, Time, Features), "x");
        var h0 = g.Placeholder(DType.Float32, new Shape(-1, Units), "h0");
        int before = g.Nodes.Count;
        Assert.Throws<ArgumentException>(() => g.StaticRnn(cell, x, [h0]), "an LSTM's state is (c, h)");
        Assert.That(g.Nodes, Has.Count.EqualTo(before));
        Assert.That(cell.Weights, Is.Empty);

        // Steps of different widths fail at the second step, after the first created the variables: they go too.
        var narrow = g.Placeholder(DType.Float32, new Shape(-1, Features), "narrow");
        var wide = g.Placeholder(DType.Float32, new Shape(-1, Features + 1), "wide");
        before = g.Nodes.Count;
        Assert.Throws<ShapeException>(() => g.StaticRnn(cell, [narrow, wide]));
        Assert.That(g.Nodes, Has.Count.EqualTo(before));
        Assert.That(cell.Weights, Is.Empty);
        Assert.That(g.GlobalVariables, Is.Empty);

        // Once built for 4 features the cell refuses 5.
        g.StaticRnn(cell, x);
        Assert.That(() => g.StaticRnn(cell, [wide]), Throws.TypeOf<ShapeException>().With.Message.Contain("built for 4 input features"));
    }

    private static double[,,] Random3(Random rng, int a, int b, int c)
    {
        var v = new double[a, b, c];
        for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) for (int k = 0; k < c; k++) v[i, j, k] = rng.NextDouble() * 2 - 1;
        return v;
    }

    private static double[,] Random2(Random rng, int a, int b)
    {
        var v = new double[a, b];
        for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) v[i, j] = rng.NextDouble() * 2 - 1;
        return v;
    }

    private static double[] Random1(Random rng, int a) => [.. Enumerable.Range(0, a).Select(_ => rng.NextDouble() * 2 - 1)];
}
