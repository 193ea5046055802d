using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>returnState on SimpleRNN, GRU and LSTM: Keras's [output, h] and [output, h, c], their values and their gradients.</summary>
public class RecurrentStateTests
{
    private const int Batch = 3, Steps = 4, Features = 2, Units = 3;

    private static Layers.RecurrentLayer Make(string kind, bool returnSequences) => kind switch
    {
        "SimpleRNN" => new Layers.SimpleRNN(Units, returnSequences: returnSequences, returnState: true),
        "GRU" => new Layers.GRU(Units, returnSequences: returnSequences, returnState: true),
        _ => new Layers.LSTM(Units, returnSequences: returnSequences, returnState: true),
    };

    [TestCase("SimpleRNN", false)]
    [TestCase("SimpleRNN", true)]
    [TestCase("GRU", false)]
    [TestCase("GRU", true)]
    [TestCase("LSTM", false)]
    [TestCase("LSTM", true)]
    public void TheStatesFollowTheOutputAndHIsTheLastOutput(string kind, bool returnSequences)
    {
        var g = new Graph { Seed = 1 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Steps, Features), "x");
        var layer = Make(kind, returnSequences);
        var outputs = layer.ApplyWithStates(g, x);

        Assert.That(outputs, Has.Length.EqualTo(kind == "LSTM" ? 3 : 2));
        Assert.That(outputs[0].Shape, Is.EqualTo(returnSequences ? new Shape(-1, Steps, Units) : new Shape(-1, Units)));
        Assert.That(outputs.Skip(1).Select(s => s.Shape), Has.All.EqualTo(new Shape(-1, Units)));

        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var values = session.Run([.. outputs.Select(o => (Fetch)o)], new FeedDict { [x] = LayerChecks.RandomTensor(new Shape(Batch, Steps, Features), 2) });
        var output = values[0].ToArray<float>();
        var h = values[1].ToArray<float>();
        for (int n = 0; n < Batch; n++)
            for (int j = 0; j < Units; j++)
            {
                float last = returnSequences ? output[(n * Steps + Steps - 1) * Units + j] : output[n * Units + j];
                Assert.That(h[n * Units + j], Is.EqualTo(last), $"h of example {n}, unit {j}");
            }
        if (kind == "LSTM")
            Assert.That(values[2].ToArray<float>(), Is.Not.EqualTo(h), "c is the cell state, not h again");
    }

    [Test]
    public void TheLstmCellStateIsTheRecurrencesC()
    {
        var g = new Graph { Seed = 3 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Steps, Features), "x");
        var layer = new Layers.LSTM(Units, returnState: true);
        var outputs = layer.ApplyWithStates(g, x);
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var bias = LayerChecks.RandomValues(4 * Units, 4);
        session.SetValue(layer.Bias, Tensor.FromFlat(bias, new Shape(4 * Units)));
        var xs = LayerChecks.RandomValues(Batch * Steps * Features, 5);
        var values = session.Run([outputs[1], outputs[2]], new FeedDict { [x] = Tensor.FromFlat(xs, new Shape(Batch, Steps, Features)) });
        float[] kernel = session.GetValue(layer.Kernel).ToArray<float>(), recurrent = session.GetValue(layer.RecurrentKernel).ToArray<float>();
        float[] ourH = values[0].ToArray<float>(), ourC = values[1].ToArray<float>();

        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        for (int n = 0; n < Batch; n++)
        {
            double[] h = new double[Units], c = new double[Units];
            for (int t = 0; t < Steps; t++)
            {
                // Column q * units + j of x W + h U + b, for block q in i, f, g, o (Keras's order).
                double Z(int q, int j)
                {
                    double s = bias[q * Units + j];
                    for (int k = 0; k < Features; k++) s += xs[(n * Steps + t) * Features + k] * kernel[k * 4 * Units + q * Units + j];
                    for (int k = 0; k < Units; k++) s += h[k] * recurrent[k * 4 * Units + q * Units + j];
                    return s;
                }
                var z = Enumerable.Range(0, 4).Select(q => Enumerable.Range(0, Units).Select(j => Z(q, j)).ToArray()).ToArray();
                for (int j = 0; j < Units; j++)
                {
                    c[j] = Sigmoid(z[1][j]) * c[j] + Sigmoid(z[0][j]) * Math.Tanh(z[2][j]);
                    h[j] = Sigmoid(z[3][j]) * Math.Tanh(c[j]);
                }
            }
            for (int j = 0; j < Units; j++)
            {
                Assert.That(ourH[n * Units + j], Is.EqualTo(h[j]).Within(1e-5), $"h of example {n}, unit {j}");
                Assert.That(ourC[n * Units + j], Is.EqualTo(c[j]).Within(1e-5), $"c of example {n}, unit {j}");
            }
        }
    }

    [TestCase("SimpleRNN")]
    [TestCase("GRU")]
    [TestCase("LSTM")]
    public void TheStatesCarryGradientsToTheWeights(string kind)
    {
        var g = new Graph { Seed = 5 };
        var x = g.Placeholder(DType.Float32, new Shape(2, Steps, Features), "x");
        var layer = Make(kind, returnSequences: true);
        var outputs = layer.ApplyWithStates(g, x);
        // Each of output, h (and c) is weighted by its own random tensor, so a gradient lost on any of them shows.
        var loss = g.AddN([.. outputs.Select((o, i) => g.ReduceSum(o * g.Constant(LayerChecks.RandomTensor(o.Shape, 10 + i))))]);
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var report = GradientCheck.VerifyGradients(session, loss, new FeedDict { [x] = LayerChecks.RandomTensor(x.Shape, 6) });
        Assert.That(report.Variables.Select(v => v.Variable), Is.EquivalentTo(layer.Weights.Select(w => w.Name)));
    }

    [Test]
    public void AChainOfLayersRefusesAReturnStateLayer()
    {
        var model = new Sequential([new Layers.Dense(2, inputShape: [Steps, Features])]);
        var e = Assert.Throws<InvalidOperationException>(() => model.Add(new Layers.LSTM(Units, returnState: true)));
        Assert.That(e!.Message, Does.Contain("'lstm' (LSTM) has 3 outputs (it has returnState: true, so it gives [output, h, c])").And.Contain("ApplyAll"));
        Assert.That(model.Layers, Has.Count.EqualTo(1));

        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, Steps, Features), "x");
        var plain = new Layers.GRU(Units);
        Assert.That(Assert.Throws<InvalidOperationException>(() => plain.ApplyWithStates(g, x))!.Message, Does.Contain("without returnState: true"));
        Assert.That(plain.Apply(g, x).Shape, Is.EqualTo(new Shape(-1, Units)));
    }
}
