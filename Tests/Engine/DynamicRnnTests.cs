using GraphDL.Tests.Gpu;
using NUnit.Framework;
using static GraphDL.Tests.Engine.RecurrentData;

namespace GraphDL.Tests.Engine;

/// <summary>
/// DynamicRnn with sequence lengths: a padded row ends where it would end alone (its final state), its outputs past
/// its length are zero, the gradients ignore the padding, and a bad sequenceLength is refused by name.
/// </summary>
public class DynamicRnnTests
{
    private const int Time = 4, Features = 3, Units = 3, TopUnits = 2;

    /// <summary>Draws a cell's weights from <paramref name="rng"/> once; the factory builds that cell (Float64) in any graph.</summary>
    private static Func<Graph, RnnCell> CellOf(string kind, Random rng)
    {
        switch (kind)
        {
            case "SimpleRnn":
            {
                var (w, u, b) = (Random2(rng, Features, Units), Random2(rng, Units, Units), Random1(rng, Units));
                return g => SimpleRnnCell.FromWeights(g.Constant(w), g.Constant(u), g.Constant(b));
            }
            case "Lstm":
            {
                var (w, u, b) = (Random2(rng, Features, 4 * Units), Random2(rng, Units, 4 * Units), Random1(rng, 4 * Units));
                return g => LstmCell.FromWeights(g.Constant(w), g.Constant(u), g.Constant(b));
            }
            case "Gru":
            {
                var (w, u, b) = (Random2(rng, Features, 3 * Units), Random2(rng, Units, 3 * Units), Random1(rng, 3 * Units));
                return g => GruCell.FromWeights(g.Constant(w), g.Constant(u), g.Constant(b));
            }
            case "LstmUnderGru":
            {
                var lstm = CellOf("Lstm", rng);
                var (w, u, b) = (Random2(rng, Units, 3 * TopUnits), Random2(rng, TopUnits, 3 * TopUnits), Random2(rng, 2, 3 * TopUnits));
                return g => new MultiRnnCell([lstm(g), GruCell.FromWeights(g.Constant(w), g.Constant(u), g.Constant(b), resetAfter: true)]);
            }
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    [Test]
    public void EachRowEndsWithTheStateItHasWhenRunAloneForItsLengthAndOutputsZerosAfter(
        [Values("SimpleRnn", "Lstm", "Gru", "LstmUnderGru")] string kind, [Values] bool withInitialState)
    {
        int[] lengths = [2, 4, 0, 1, 6];   // 0: the row keeps its initial state; 6 > Time: all the steps
        int batch = lengths.Length;
        var rng = new Random(23);
        var xs = Random3(rng, batch, Time, Features);
        var g = new Graph();
        var makeCell = CellOf(kind, rng);
        var cell = makeCell(g);
        var initial = withInitialState ? cell.StateSizes.Select(size => Random2(rng, batch, size)).ToArray() : null;

        // The batch size and the lengths are left to run time, as TF1 programs feed them.
        var x = g.Placeholder(DType.Float64, new Shape(-1, Time, Features), "x");
        var sequenceLength = g.Placeholder(DType.Int32, new Shape(-1), "sequence_length");
        var initialState = initial?.Select((s, k) => g.Placeholder(DType.Float64, new Shape(-1, s.GetLength(1)), $"state_{k}")).ToArray();
        var (outputs, finalState) = g.DynamicRnn(cell, x, sequenceLength, initialState);
        Assert.That(outputs.Shape, Is.EqualTo(new Shape(-1, Time, cell.Units)));

        var feed = new FeedDict { [x] = Tensor.FromArray(xs), [sequenceLength] = Tensor.FromArray(lengths) };
        for (int k = 0; initialState is not null && k < initialState.Length; k++) feed[initialState[k]] = Tensor.FromArray(initial![k]);
        using var sess = new Session(g);
        var outputValues = sess.Run(outputs, feed).ToDoubles();
        var finalValues = finalState.Select(s => sess.Run(s, feed).ToArray2D<double>()).ToArray();

        for (int n = 0; n < batch; n++)
        {
            int steps = Math.Min(lengths[n], Time);
            double[][] expectedFinal;
            double[][] expectedOutputs = new double[Time][];
            if (steps == 0)
            {
                expectedFinal = [.. cell.StateSizes.Select((size, k) => initial is null ? new double[size] : Enumerable.Range(0, size).Select(j => initial[k][n, j]).ToArray())];
            }
            else
            {
                var alone = new Graph();
                var result = alone.StaticRnn(makeCell(alone), alone.Constant(Row(xs, n, steps)), initial?.Select(s => alone.Constant(Row(s, n))).ToArray());
                using var aloneSession = new Session(alone);
                expectedFinal = [.. result.FinalState.Select(s => aloneSession.Run(s).ToDoubles())];
                for (int t = 0; t < steps; t++) expectedOutputs[t] = aloneSession.Run(result.Outputs[t]).ToDoubles();
            }

            for (int k = 0; k < finalValues.Length; k++)
                Assert.That(Enumerable.Range(0, finalValues[k].GetLength(1)).Select(j => finalValues[k][n, j]),
                    Is.EqualTo(expectedFinal[k]).Within(1e-12), $"row {n} (length {lengths[n]}): final state {k}");
            for (int t = 0; t < Time; t++)
            {
                var output = Enumerable.Range(0, cell.Units).Select(j => outputValues[(n * Time + t) * cell.Units + j]).ToArray();
                if (t < steps) Assert.That(output, Is.EqualTo(expectedOutputs[t]).Within(1e-12), $"row {n}: output {t}");
                else Assert.That(output, Has.All.EqualTo(0.0), $"row {n} (length {lengths[n]}): output {t} is past its end");
            }
        }
    }

    [Test]
    public void WithoutLengthsItIsTheStaticUnrollStackedAlongTime()
    {
        var rng = new Random(29);
        var xs = Random3(rng, 2, Time, Features);
        var g = new Graph();
        var cell = CellOf("Lstm", rng)(g);
        var (outputs, finalState) = g.DynamicRnn(cell, g.Constant(xs));
        var unrolled = g.StaticRnn(cell, g.Constant(xs));

        using var sess = new Session(g);
        Assert.That(sess.Run(outputs).ToDoubles(), Is.EqualTo(sess.Run(unrolled.OutputSequence()).ToDoubles()).Within(1e-15));
        for (int k = 0; k < 2; k++)
            Assert.That(sess.Run(finalState[k]).ToDoubles(), Is.EqualTo(sess.Run(unrolled.FinalState[k]).ToDoubles()).Within(1e-15));
    }

    /// <summary>
    /// The masking needs no kernel of its own, but it leans on an Int32 comparison broadcast against a column and a
    /// Where broadcast over the units: the emulated device must give the CPU's outputs, state and gradients in Float32.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void TheEmulatedDeviceGivesTheCpusValuesAndGradients(bool resetAfter)
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable("emulated");
        const int batch = 3;
        var rng = new Random(31);
        var values = new Dictionary<string, Tensor>
        {
            ["x"] = Tensor.FromArray(ToFloat(Random3(rng, batch, Time, Features))),
            ["kernel"] = Tensor.FromArray(ToFloat(Random2(rng, Features, 3 * Units))),
            ["recurrent_kernel"] = Tensor.FromArray(ToFloat(Random2(rng, Units, 3 * Units))),
            ["bias"] = resetAfter ? Tensor.FromArray(ToFloat(Random2(rng, 2, 3 * Units))) : Tensor.FromArray(Random1(rng, 3 * Units).Select(v => (float)v).ToArray()),
            ["h0"] = Tensor.FromArray(ToFloat(Random2(rng, batch, Units))),
        };

        double[][] Run(string device)
        {
            var g = new Graph();
            var inputs = values.ToDictionary(v => v.Key, v => g.Placeholder(DType.Float32, v.Value.Shape, v.Key));
            var cell = GruCell.FromWeights(inputs["kernel"], inputs["recurrent_kernel"], inputs["bias"], resetAfter);
            var (outputs, state) = g.DynamicRnn(cell, inputs["x"], g.Constant(new[] { 3, 1, 0 }), [inputs["h0"]]);
            var loss = g.ReduceSum(outputs * outputs) + g.ReduceSum(state[0]);
            var grads = g.Gradients([loss], [.. inputs.Values]);
            var feed = new FeedDict();
            foreach (var (name, placeholder) in inputs) feed[placeholder] = values[name];
            using var sess = new Session(g, Devices.Get(device));
            return [.. new[] { outputs, state[0] }.Concat(grads.Select(d => d!.Value)).Select(t => sess.Run(t, feed).ToDoubles())];
        }

        var cpu = Run("cpu");
        var emulated = Run("emulated");
        for (int k = 0; k < cpu.Length; k++)
            Assert.That(emulated[k], Is.EqualTo(cpu[k]).Within(1e-5), k < 2 ? (k == 0 ? "outputs" : "final state") : $"gradient {k - 2}");
        Assert.That(cpu[1].Skip(2 * Units), Is.EqualTo(values["h0"].ToDoubles().Skip(2 * Units)).Within(1e-7), "the row of length 0 keeps h0");
    }

    private static float[,,] ToFloat(double[,,] a)
    {
        var f = new float[a.GetLength(0), a.GetLength(1), a.GetLength(2)];
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) for (int k = 0; k < a.GetLength(2); k++) f[i, j, k] = (float)a[i, j, k];
        return f;
    }

    private static float[,] ToFloat(double[,] a)
    {
        var f = new float[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) f[i, j] = (float)a[i, j];
        return f;
    }

    [Test]
    public void ABadSequenceLengthIsRefusedByNameAndTheGraphStaysAsItWas()
    {
        var g = new Graph();
        var cell = new GruCell(Units);
        var x = g.Placeholder(DType.Float32, new Shape(2, Time, Features), "x");
        var asFloats = g.Placeholder(DType.Float32, new Shape(2), "lengths_f");
        var asColumn = g.Placeholder(DType.Int32, new Shape(2, 1), "lengths_column");
        var tooMany = g.Placeholder(DType.Int32, new Shape(3), "lengths_3");
        int before = g.Nodes.Count;

        Assert.That(() => g.DynamicRnn(cell, x, asFloats),
            Throws.ArgumentException.With.Message.Contain("Int32 sequenceLength").And.Message.Contain("'lengths_f' of Float32"));
        Assert.That(() => g.DynamicRnn(cell, x, asColumn),
            Throws.TypeOf<ShapeException>().With.Message.Contain("shape (batch)").And.Message.Contain("'lengths_column' has shape (2, 1)"));
        Assert.That(() => g.DynamicRnn(cell, x, tooMany),
            Throws.TypeOf<ShapeException>().With.Message.Contain("inputs (2, 4, 3)").And.Message.Contain("'lengths_3' has shape (3,)"));
        Assert.That(g.Nodes, Has.Count.EqualTo(before));
        Assert.That(cell.Weights, Is.Empty);

        // An unknown batch on either side is left to run time.
        var anyBatch = g.Placeholder(DType.Int32, new Shape(-1), "lengths_any");
        Assert.That(g.DynamicRnn(cell, x, anyBatch).Outputs.Shape, Is.EqualTo(new Shape(2, Time, Units)));
    }

    private static IEnumerable<GradCase> BpttCases()
    {
        // Lengths 2, 3 and 0 over 3 steps: a row that ends early, one that runs to the end, one that never starts.
        const int batch = 3, time = 3;
        static Output Lengths(Graph g) => g.Constant(new[] { 2, 3, 0 });
        static Output Joined(DynamicRnnResult r) => RecurrentData.Joined([r.Outputs, .. r.FinalState]);

        yield return new GradCase("DynamicLstm_lengths_initialState",
            [new Shape(batch, time, Features), new Shape(Features, 4 * Units), new Shape(Units, 4 * Units), new Shape(4 * Units),
             new Shape(batch, Units), new Shape(batch, Units)],
            (g, x) => Joined(g.DynamicRnn(LstmCell.FromWeights(x[1], x[2], x[3]), x[0], Lengths(g), [x[4], x[5]])))
        { Sample = Small };
        yield return new GradCase("DynamicGru_lengths_zeroState",
            [new Shape(batch, time, Features), new Shape(Features, 3 * Units), new Shape(Units, 3 * Units), new Shape(3 * Units)],
            (g, x) => Joined(g.DynamicRnn(GruCell.FromWeights(x[1], x[2], x[3]), x[0], Lengths(g))))
        { Sample = Small };
        yield return new GradCase("DynamicLstmUnderGru_lengths_initialState",
            [new Shape(batch, time, Features), new Shape(Features, 4 * Units), new Shape(Units, 4 * Units), new Shape(4 * Units),
             new Shape(Units, 3 * TopUnits), new Shape(TopUnits, 3 * TopUnits), new Shape(3 * TopUnits),
             new Shape(batch, Units), new Shape(batch, Units), new Shape(batch, TopUnits)],
            (g, x) => Joined(g.DynamicRnn(
                new MultiRnnCell([LstmCell.FromWeights(x[1], x[2], x[3]), GruCell.FromWeights(x[4], x[5], x[6])]),
                x[0], Lengths(g), [x[7], x[8], x[9]])))
        { Sample = Small };
    }

    [TestCaseSource(nameof(BpttCases))]
    public void BackpropagationThroughTimeMatchesCentralDifferences(GradCase c) => NumericalGradientOracle.Check(c);

    [TestCaseSource(nameof(BpttCases))]
    public void SecondDerivativeMatchesCentralDifferencesOfTheFirst(GradCase c) => NumericalGradientOracle.CheckSecondOrder(c);
}
