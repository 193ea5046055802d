using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>Keras's Bidirectional: a forward and a backward copy of the layer, merged, checked against the two runs built by hand.</summary>
public class BidirectionalTests
{
    private const int Batch = 2, Steps = 4, Features = 3, Units = 2;

    private static Layers.RecurrentLayer Make(string kind, bool returnSequences, bool returnState = false) => kind switch
    {
        "SimpleRNN" => new Layers.SimpleRNN(Units, returnSequences: returnSequences, returnState: returnState),
        "GRU" => new Layers.GRU(Units, returnSequences: returnSequences, returnState: returnState),
        _ => new Layers.LSTM(Units, returnSequences: returnSequences, returnState: returnState),
    };

    /// <summary>x with its time axis reversed, as the backward copy reads it.</summary>
    private static float[] ReversedInTime(float[] x, int steps, int width)
    {
        var reversed = new float[x.Length];
        for (int n = 0; n < x.Length / (steps * width); n++)
            for (int t = 0; t < steps; t++)
                Array.Copy(x, (n * steps + t) * width, reversed, (n * steps + steps - 1 - t) * width, width);
        return reversed;
    }

    [TestCase("LSTM", "concat", false)]
    [TestCase("LSTM", "concat", true)]
    [TestCase("GRU", "sum", true)]
    [TestCase("SimpleRNN", "mul", true)]
    [TestCase("LSTM", "ave", false)]
    [TestCase("GRU", null, true)]
    public void TheOutputMergesAForwardRunAndARunOnTheReversedSequence(string kind, string? mergeMode, bool returnSequences)
    {
        var g = new Graph { Seed = 1 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Steps, Features), "x");
        var bidirectional = new Layers.Bidirectional(Make(kind, returnSequences), mergeMode);
        var outputs = bidirectional.Apply(g, [x]);
        Assert.That(outputs, Has.Count.EqualTo(mergeMode is null ? 2 : 1));
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var xs = LayerChecks.RandomValues(Batch * Steps * Features, 2);
        var ours = session.Run([.. outputs.Select(o => (Fetch)o)], new FeedDict { [x] = Tensor.FromFlat(xs, new Shape(Batch, Steps, Features)) });

        // The same layer kind, twice, with the wrapper's weights: once on x, once on x read from its last step.
        var reference = new Graph();
        var forwardX = reference.Placeholder(DType.Float32, new Shape(-1, Steps, Features), "forward_x");
        var backwardX = reference.Placeholder(DType.Float32, new Shape(-1, Steps, Features), "backward_x");
        Layers.RecurrentLayer forward = Make(kind, returnSequences), backward = Make(kind, returnSequences);
        var yf = forward.Apply(reference, forwardX);
        var yb = backward.Apply(reference, backwardX);
        using var referenceSession = new Session(reference);
        for (int i = 0; i < 3; i++)
        {
            referenceSession.SetValue(forward.Weights[i], session.GetValue(bidirectional.Forward.Weights[i]));
            referenceSession.SetValue(backward.Weights[i], session.GetValue(bidirectional.Backward.Weights[i]));
        }
        var expected = referenceSession.Run([yf, yb], new FeedDict
        {
            [forwardX] = Tensor.FromFlat(xs, new Shape(Batch, Steps, Features)),
            [backwardX] = Tensor.FromFlat(ReversedInTime(xs, Steps, Features), new Shape(Batch, Steps, Features)),
        });
        float[] f = expected[0].ToArray<float>(), b = expected[1].ToArray<float>();
        if (returnSequences) b = ReversedInTime(b, Steps, Units);

        int rows = f.Length / Units;
        var merged = mergeMode switch
        {
            "concat" => Enumerable.Range(0, rows).SelectMany(r => f.Skip(r * Units).Take(Units).Concat(b.Skip(r * Units).Take(Units))).ToArray(),
            "sum" => f.Zip(b, (p, q) => p + q).ToArray(),
            "mul" => f.Zip(b, (p, q) => p * q).ToArray(),
            "ave" => f.Zip(b, (p, q) => (p + q) / 2).ToArray(),
            _ => f,
        };
        Assert.That(ours[0].ToArray<float>(), Is.EqualTo(merged).Within(1e-5));
        if (mergeMode is null) Assert.That(ours[1].ToArray<float>(), Is.EqualTo(b).Within(1e-5), "the backward output, in time order");
        Assert.That(ours[0].Shape, Is.EqualTo(new Shape([Batch, .. returnSequences ? new[] { Steps } : [], mergeMode == "concat" ? 2 * Units : Units])));
    }

    [Test]
    public void ItHasTwiceTheWrappedLayersParametersNamedAsKerasNamesThem()
    {
        var model = new Sequential([new Layers.Bidirectional(new Layers.LSTM(10), inputShape: [5, 3])]);
        var layer = (Layers.Bidirectional)model.Layers[0];
        Assert.That(layer.Name, Is.EqualTo("bidirectional"));
        Assert.That(model.OutputShape, Is.EqualTo(new Shape(-1, 20)));
        Assert.That(model.CountParams(), Is.EqualTo(2 * 4 * 10 * (10 + 3 + 1)));
        Assert.That(layer.Weights.Select(w => w.Name), Is.EqualTo(new[]
        {
            "bidirectional/forward_lstm/kernel", "bidirectional/forward_lstm/recurrent_kernel", "bidirectional/forward_lstm/bias",
            "bidirectional/backward_lstm/kernel", "bidirectional/backward_lstm/recurrent_kernel", "bidirectional/backward_lstm/bias",
        }));
        Assert.That(layer.Backward.GoBackwards, Is.True);
        Assert.That(layer.Forward.GoBackwards, Is.False);
        Assert.That(model.Summary(TextWriter.Null), Does.Contain("(None, 20)").And.Contain("1,120").And.Contain("Trainable params: 1,120"));
    }

    [TestCase("LSTM")]
    [TestCase("GRU")]
    public void GradientsReachBothDirectionsWeights(string kind) =>
        Assert.That(LayerChecks.VerifyWeightGradients(new Shape(Batch, Steps, Features), 21, new Layers.Bidirectional(Make(kind, returnSequences: true))),
            Has.Count.EqualTo(6));

    [Test]
    public void WithReturnStateTheForwardStatesComeBeforeTheBackwardOnes()
    {
        var inputs = Layers.Input([Steps, Features]);
        var bidirectional = new Layers.Bidirectional(Make("LSTM", returnSequences: false, returnState: true));
        var outputs = bidirectional.ApplyAll([inputs]);
        Assert.That(outputs.Select(t => t.Shape), Is.EqualTo(new[]
            { new Shape(-1, 2 * Units), new Shape(-1, Units), new Shape(-1, Units), new Shape(-1, Units), new Shape(-1, Units) }));
        var model = new Model(inputs, outputs) { Seed = 22 };
        var values = model.PredictOutputs(LayerChecks.RandomTensor(new Shape(Batch, Steps, Features), 23));
        float[] merged = values[0].ToArray<float>(), forwardH = values[1].ToArray<float>(), backwardH = values[3].ToArray<float>();
        for (int n = 0; n < Batch; n++)
            for (int j = 0; j < Units; j++)
            {
                Assert.That(merged[n * 2 * Units + j], Is.EqualTo(forwardH[n * Units + j]), "the forward half is the forward layer's last h");
                Assert.That(merged[n * 2 * Units + Units + j], Is.EqualTo(backwardH[n * Units + j]), "the backward half is the backward layer's last h");
            }
        var e = Assert.Throws<InvalidOperationException>(() => new Layers.Bidirectional(new Layers.GRU(Units), mergeMode: null).Apply(inputs));
        Assert.That(e!.Message, Does.Contain("'bidirectional' (Bidirectional) has 2 outputs").And.Contain("ApplyAll"));
        Assert.Throws<ArgumentException>(() => new Layers.Bidirectional(new Layers.GRU(Units), mergeMode: "max"));
    }
}
