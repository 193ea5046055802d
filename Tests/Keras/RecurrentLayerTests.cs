using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

public class RecurrentLayerTests
{
    [Test]
    public void TheSlidesModelsHaveKerasParameterCounts()
    {
        // seed 004: Embedding(12, 10, input_length=5) -> SimpleRNN(32) / LSTM(128) -> Dense(12, softmax).
        var simple = new Sequential([
            new Layers.Embedding(12, 10, inputLength: 5),
            new Layers.SimpleRNN(32),
            new Layers.Dense(12, activation: "softmax"),
        ]);
        Assert.That(simple.Layers.Select(l => l.Name), Is.EqualTo(new[] { "embedding", "simple_rnn", "dense" }));
        Assert.That(simple.Layers.Select(l => l.CountParams()), Is.EqualTo(new long[] { 120, 32 * (32 + 10 + 1), 32 * 12 + 12 }));
        Assert.That(simple.CountParams(), Is.EqualTo(1_892));
        Assert.That(simple.OutputShape, Is.EqualTo(new Shape(-1, 12)));

        var lstm = new Sequential([
            new Layers.Embedding(12, 10, inputLength: 5),
            new Layers.LSTM(128),
            new Layers.Dense(12, activation: "softmax"),
        ]);
        Assert.That(lstm.Layers.Select(l => l.Name), Is.EqualTo(new[] { "embedding", "lstm", "dense" }));
        Assert.That(lstm.Layers[1].CountParams(), Is.EqualTo(4 * 128 * (128 + 10 + 1)));
        Assert.That(lstm.CountParams(), Is.EqualTo(72_836));

        string table = simple.Summary(TextWriter.Null);
        Assert.That(table, Does.Contain("simple_rnn (SimpleRNN)      (None, 32)                1376"));
    }

    [TestCase(1, 1)]
    [TestCase(7, 3)]
    [TestCase(16, 40)]
    public void ParametersFollowKerasFormulas(int units, int features)
    {
        var simple = new Layers.SimpleRNN(units);
        var lstm = new Layers.LSTM(units);
        new Sequential([new Layers.Dense(features, inputShape: [6, 2]), simple]);
        new Sequential([new Layers.Dense(features, inputShape: [6, 2]), lstm]);
        Assert.That(simple.CountParams(), Is.EqualTo(units * (units + features + 1)));
        Assert.That(lstm.CountParams(), Is.EqualTo(4 * units * (units + features + 1)));
        Assert.That(simple.Weights.Select(w => w.Shape), Is.EqualTo(new[] { new Shape(features, units), new Shape(units, units), new Shape(units) }));
        Assert.That(lstm.Weights.Select(w => w.Name), Is.EqualTo(new[] { "lstm/kernel", "lstm/recurrent_kernel", "lstm/bias" }));
    }

    [Test]
    public void ReturnSequencesKeepsTheTimeAxisSoLayersStack()
    {
        var inputs = Layers.Input([7, 3]);
        var all = new Layers.SimpleRNN(8, returnSequences: true).Apply(inputs);
        var last = new Layers.LSTM(4).Apply(all);
        var lstmAll = new Layers.LSTM(5, returnSequences: true).Apply(all);
        Assert.That(all.Shape, Is.EqualTo(new Shape(-1, 7, 8)));
        Assert.That(last.Shape, Is.EqualTo(new Shape(-1, 4)));
        Assert.That(lstmAll.Shape, Is.EqualTo(new Shape(-1, 7, 5)));

        var model = new Model(inputs, last);
        Assert.That(model.CountParams(), Is.EqualTo(8 * (8 + 3 + 1) + 4 * 4 * (4 + 8 + 1)));
        var y = model.Predict(Tensor.FromFlat(new float[2 * 7 * 3], new Shape(2, 7, 3)));
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 4)));
    }

    [Test]
    public void TheOutputIsTheRecurrenceOverTheLayersWeights()
    {
        var model = new Sequential([new Layers.SimpleRNN(3, returnSequences: true, inputShape: [4, 2])]) { Seed = 2 };
        var random = new Random(1);
        var x = new float[5, 4, 2];
        for (int n = 0; n < 5; n++) for (int t = 0; t < 4; t++) for (int k = 0; k < 2; k++) x[n, t, k] = (float)(random.NextDouble() * 2 - 1);
        var ours = model.Predict(Tensor.FromArray(x)).ToArray<float>();

        var w = model.GetWeights();
        float[] wxh = w[0].ToArray<float>(), whh = w[1].ToArray<float>(), b = w[2].ToArray<float>();
        for (int n = 0; n < 5; n++)
        {
            var h = new double[3];
            for (int t = 0; t < 4; t++)
            {
                var next = new double[3];
                for (int j = 0; j < 3; j++)
                {
                    double z = b[j];
                    for (int k = 0; k < 2; k++) z += x[n, t, k] * wxh[k * 3 + j];
                    for (int k = 0; k < 3; k++) z += h[k] * whh[k * 3 + j];
                    next[j] = Math.Tanh(z);
                    Assert.That(ours[(n * 4 + t) * 3 + j], Is.EqualTo(next[j]).Within(1e-5), $"example {n}, step {t}, unit {j}");
                }
                h = next;
            }
        }
    }

    [Test]
    public void StartingValuesAreKeras()
    {
        var model = new Sequential([new Layers.LSTM(4, inputShape: [3, 2])]) { Seed = 5 };
        var w = model.GetWeights();
        var bias = w[2].ToDoubles();
        Assert.That(bias, Is.EqualTo(Enumerable.Range(0, 16).Select(k => k is >= 4 and < 8 ? 1.0 : 0.0)), "unit_forget_bias");

        // The recurrent kernel (4, 16) has orthonormal rows.
        var r = w[1].ToArray<float>();
        for (int a = 0; a < 4; a++)
            for (int c = 0; c < 4; c++)
                Assert.That(Enumerable.Range(0, 16).Sum(k => (double)r[a * 16 + k] * r[c * 16 + k]), Is.EqualTo(a == c ? 1.0 : 0.0).Within(1e-5));

        var noForgetBias = new Sequential([new Layers.LSTM(4, unitForgetBias: false, inputShape: [3, 2])]);
        Assert.That(noForgetBias.GetWeights()[2].ToDoubles(), Has.All.EqualTo(0.0));
    }

    [Test]
    public void AnInputWithoutATimeAxisOrWithUnknownStepsIsRefused()
    {
        var model = new Sequential([new Layers.Dense(8, inputShape: [5])]);
        var e = Assert.Throws<ShapeException>(() => model.Add(new Layers.SimpleRNN(4)));
        Assert.That(e!.Message, Is.EqualTo(
            "Layer 'simple_rnn' (SimpleRNN) expects an input of rank 3, (batch, time, features), but got an input of shape (None, 8) (rank 2)."));
        Assert.That(model.Layers, Has.Count.EqualTo(1));

        var unknownSteps = Assert.Throws<ShapeException>(() => new Layers.LSTM(4).Apply(Layers.Input([-1, 3])));
        Assert.That(unknownSteps!.Message, Does.Contain("'lstm' (LSTM)").And.Contain("number of time steps").And.Contain("(None, None, 3)"));
    }

    [TestCase("SimpleRNN")]
    [TestCase("LSTM")]
    [TestCase("GRU")]
    public void ItLearnsToRememberTheFirstStep(string kind)
    {
        // The label is the sign of the first of six random inputs: only a state carried through time can know it.
        var random = new Random(3);
        const int count = 64, steps = 6;
        var x = new float[count, steps, 1];
        var y = new int[count];
        for (int n = 0; n < count; n++)
        {
            for (int t = 0; t < steps; t++) x[n, t, 0] = random.Next(2) == 0 ? -1 : 1;
            y[n] = x[n, 0, 0] > 0 ? 1 : 0;
        }
        Layer recurrent = kind switch
        {
            "SimpleRNN" => new Layers.SimpleRNN(8, inputShape: [steps, 1]),
            "LSTM" => new Layers.LSTM(8, inputShape: [steps, 1]),
            _ => new Layers.GRU(8, inputShape: [steps, 1]),
        };
        var model = new Sequential([recurrent, new Layers.Dense(2, activation: "softmax")]) { Seed = 1 };
        model.Compile(new AdamOptimizer(0.02), "sparse_categorical_crossentropy", ["accuracy"]);
        var history = model.Fit(Tensor.FromArray(x), Tensor.FromArray(y), epochs: 40, batchSize: 32, verbose: 0);
        Assert.That(history["accuracy"][0], Is.LessThan(0.8));
        Assert.That(history.Last("accuracy"), Is.EqualTo(1.0));
    }
}
