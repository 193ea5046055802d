using NUnit.Framework;
using static GraphDL.Tests.Engine.RecurrentData;

namespace GraphDL.Tests.Engine;

/// <summary>Stacked cells: the same numbers as calling the layers by hand, TF1's variable names, the flat state, gradients.</summary>
public class MultiRnnCellTests
{
    private const int Batch = 2, Time = 3, Features = 4, LstmUnits = 3, GruUnits = 2;

    [TestCase(true)]
    [TestCase(false)]
    public void AStackUnrolledEqualsItsLayersCalledByHand(bool withInitialState)
    {
        var rng = new Random(17);
        var xs = Random3(rng, Batch, Time, Features);
        var g = new Graph();
        var lstm = LstmCell.FromWeights(g.Constant(Random2(rng, Features, 4 * LstmUnits)), g.Constant(Random2(rng, LstmUnits, 4 * LstmUnits)),
            g.Constant(Random1(rng, 4 * LstmUnits)));
        var gru = GruCell.FromWeights(g.Constant(Random2(rng, LstmUnits, 3 * GruUnits)), g.Constant(Random2(rng, GruUnits, 3 * GruUnits)),
            g.Constant(Random1(rng, 3 * GruUnits)));
        Output[]? initial = withInitialState
            ? [g.Constant(Random2(rng, Batch, LstmUnits)), g.Constant(Random2(rng, Batch, LstmUnits)), g.Constant(Random2(rng, Batch, GruUnits))]
            : null;

        var stack = new MultiRnnCell([lstm, gru]);
        var result = g.StaticRnn(stack, g.Constant(xs), initial);

        // By hand: at each step the LSTM reads x_t, the GRU reads the LSTM's h; each keeps its own state.
        Output[]? lstmState = initial?[..2], gruState = initial?[2..];
        var expectedOutputs = new List<Output>();
        for (int t = 0; t < Time; t++)
        {
            var x = g.Constant(StepAt(xs, t));
            (var lstmOut, lstmState) = lstm.Call(x, lstmState);
            (var gruOut, gruState) = gru.Call(lstmOut, gruState);
            expectedOutputs.Add(gruOut);
        }

        using var sess = new Session(g);
        for (int t = 0; t < Time; t++)
            Assert.That(sess.Run(result.Outputs[t]).ToArray2D<double>(),
                Is.EqualTo(sess.Run(expectedOutputs[t]).ToArray2D<double>()).Within(1e-12), $"output {t}");
        Output[] expectedState = [.. lstmState!, .. gruState!];
        Assert.That(result.FinalState, Has.Length.EqualTo(3), "(c, h) of the LSTM, then h of the GRU");
        for (int k = 0; k < 3; k++)
            Assert.That(sess.Run(result.FinalState[k]).ToArray2D<double>(),
                Is.EqualTo(sess.Run(expectedState[k]).ToArray2D<double>()).Within(1e-12), $"state {k}");
    }

    [Test]
    public void ItCreatesEachLayersVariablesUnderTf1NamesWithTheWidthOfTheLayerBelow()
    {
        var g = new Graph { Seed = 1 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Time, Features), "x");
        var stack = new MultiRnnCell([new LstmCell(LstmUnits), new GruCell(GruUnits), new SimpleRnnCell(5)]);
        var result = g.StaticRnn(stack, x);

        Assert.That(stack.Units, Is.EqualTo(5), "the top layer's output");
        Assert.That(stack.StateCount, Is.EqualTo(4));
        Assert.That(stack.StateSizes, Is.EqualTo(new[] { LstmUnits, LstmUnits, GruUnits, 5 }));
        Assert.That(result.FinalState.Select(s => s.Shape[1]), Is.EqualTo(stack.StateSizes));
        Assert.That(result.LastOutput.Shape, Is.EqualTo(new Shape(-1, 5)));
        Assert.That(g.TrainableVariables.Select(v => v.Name), Is.EqualTo(new[]
        {
            "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel", "rnn/multi_rnn_cell/cell_0/lstm_cell/recurrent_kernel", "rnn/multi_rnn_cell/cell_0/lstm_cell/bias",
            "rnn/multi_rnn_cell/cell_1/gru_cell/kernel", "rnn/multi_rnn_cell/cell_1/gru_cell/recurrent_kernel", "rnn/multi_rnn_cell/cell_1/gru_cell/bias",
            "rnn/multi_rnn_cell/cell_2/simple_rnn_cell/kernel", "rnn/multi_rnn_cell/cell_2/simple_rnn_cell/recurrent_kernel", "rnn/multi_rnn_cell/cell_2/simple_rnn_cell/bias",
        }));
        Assert.That(stack.Cells[1].InputSize, Is.EqualTo(LstmUnits));
        Assert.That(stack.Cells[2].InputSize, Is.EqualTo(GruUnits));
        Assert.That(stack.Weights, Has.Count.EqualTo(9));

        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var feed = new FeedDict { [x] = Tensor.FromArray(new float[4, Time, Features]) };
        Assert.That(sess.Run(result.FinalState[2], feed).Shape, Is.EqualTo(new Shape(4, GruUnits)));
    }

    [Test]
    public void BadStacksAndStatesFailClearlyAndLeaveTheGraphAsItWas()
    {
        Assert.That(() => new MultiRnnCell([]), Throws.ArgumentException.With.Message.Contain("at least one cell"));
        var cell = new GruCell(GruUnits);
        Assert.That(() => new MultiRnnCell([cell, cell]), Throws.ArgumentException.With.Message.Contain("same cell more than once"));

        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, Time, Features), "x");
        var stack = new MultiRnnCell([new LstmCell(LstmUnits), new GruCell(GruUnits)]);
        var c = g.Placeholder(DType.Float32, new Shape(-1, LstmUnits), "c");
        var h = g.Placeholder(DType.Float32, new Shape(-1, LstmUnits), "h");
        int before = g.Nodes.Count;
        Assert.That(() => g.StaticRnn(stack, x, [c, h]), Throws.ArgumentException.With.Message.Contain("state of 3 tensor(s), got 2"));
        Assert.That(() => g.StaticRnn(stack, x, [c, h, h]),
            Throws.TypeOf<ShapeException>().With.Message.Contain("state 2 of shape (batch, 2)").And.Message.Contain("(?, 3)"));
        Assert.That(g.Nodes, Has.Count.EqualTo(before));
        Assert.That(stack.Weights, Is.Empty);

        // A layer built for other inputs than the layer below gives: its own check names it, and the stack's variables go.
        var g2 = new Graph();
        var wrongWidth = GruCell.FromWeights(g2.Constant(new float[LstmUnits + 1, 3 * GruUnits]),
            g2.Constant(new float[GruUnits, 3 * GruUnits]), g2.Constant(new float[3 * GruUnits]), name: "top");
        var lower = new LstmCell(LstmUnits);
        var x2 = g2.Placeholder(DType.Float32, new Shape(-1, Time, Features), "x");
        before = g2.Nodes.Count;
        Assert.That(() => g2.StaticRnn(new MultiRnnCell([lower, wrongWidth]), x2),
            Throws.TypeOf<ShapeException>().With.Message.Contain("'top' was built for 4 input features, got 3"));
        Assert.That(g2.Nodes, Has.Count.EqualTo(before));
        Assert.That(lower.Weights, Is.Empty, "the layer below forgets the variables the rollback removed");
        Assert.That(g2.GlobalVariables, Is.Empty);
    }

    private static IEnumerable<GradCase> BpttCases()
    {
        Shape[] weights =
        [
            new Shape(Features, 4 * LstmUnits), new Shape(LstmUnits, 4 * LstmUnits), new Shape(4 * LstmUnits),
            new Shape(LstmUnits, 3 * GruUnits), new Shape(GruUnits, 3 * GruUnits), new Shape(2, 3 * GruUnits),
        ];
        static MultiRnnCell Stack(Output[] x) => new(
        [
            LstmCell.FromWeights(x[1], x[2], x[3]),
            GruCell.FromWeights(x[4], x[5], x[6], resetAfter: true),
        ]);
        yield return new GradCase("LstmUnderGru_3steps_initialState",
            [new Shape(Batch, Time, Features), .. weights, new Shape(Batch, LstmUnits), new Shape(Batch, LstmUnits), new Shape(Batch, GruUnits)],
            (g, x) =>
            {
                var r = g.StaticRnn(Stack(x), x[0], [x[7], x[8], x[9]]);
                return Joined([.. r.Outputs, .. r.FinalState]);
            })
        { Sample = Small };
        yield return new GradCase("LstmUnderGru_3steps_zeroState",
            [new Shape(Batch, Time, Features), .. weights],
            (g, x) =>
            {
                var r = g.StaticRnn(Stack(x), x[0]);
                return Joined([.. r.Outputs, .. r.FinalState]);
            })
        { Sample = Small };
    }

    [TestCaseSource(nameof(BpttCases))]
    public void BackpropagationThroughTimeMatchesCentralDifferences(GradCase c) => NumericalGradientOracle.Check(c);

    [TestCaseSource(nameof(BpttCases))]
    public void SecondDerivativeMatchesCentralDifferencesOfTheFirst(GradCase c) => NumericalGradientOracle.CheckSecondOrder(c);
}
