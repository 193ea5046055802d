using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>Keras's TimeDistributed: one set of weights applied at every step, counted, saved and trained as the wrapper's.</summary>
public class TimeDistributedTests
{
    [Test]
    public void TheWrappedLayersWeightsAreTheWrappersAndCountedOnce()
    {
        var wrapped = new Layers.Dense(12, activation: "softmax");
        var model = new Sequential([
            new Layers.SimpleRNN(8, returnSequences: true, inputShape: [5, 3]),
            new Layers.TimeDistributed(wrapped),
        ]);
        var td = model.Layers[1];
        Assert.That(td.Name, Is.EqualTo("time_distributed"));
        Assert.That(model.OutputShape, Is.EqualTo(new Shape(-1, 5, 12)));
        Assert.That(td.CountParams(), Is.EqualTo(8 * 12 + 12), "Keras: the Dense's parameters, once for all steps");
        Assert.That(td.Weights, Is.EqualTo(wrapped.Weights));
        Assert.That(model.TrainableWeights, Has.Count.EqualTo(5));
        Assert.That(td.Weights.Select(w => w.Name), Is.EqualTo(new[] { "time_distributed/dense/kernel", "time_distributed/dense/bias" }));
        // The summary wraps a name longer than its column, as Keras's does.
        Assert.That(model.Summary(TextWriter.Null), Does.Contain(" time_distributed (TimeDistr  (None, 5, 12)            108       \n ibuted)  "));
    }

    [Test]
    public void EachStepIsTheWrappedLayerOnThatStep()
    {
        const int batch = 2, steps = 4, features = 3, units = 2;
        var model = new Sequential([new Layers.TimeDistributed(new Layers.Dense(units, activation: "tanh"), inputShape: [steps, features])]) { Seed = 2 };
        var w = model.GetWeights();
        var bias = LayerChecks.RandomValues(units, 3);
        model.SetWeights([w[0], Tensor.FromFlat(bias, w[1].Shape)]);
        var kernel = w[0].ToArray<float>();
        var x = LayerChecks.RandomValues(batch * steps * features, 4);
        var y = model.Predict(Tensor.FromFlat(x, new Shape(batch, steps, features)));
        Assert.That(y.Shape, Is.EqualTo(new Shape(batch, steps, units)));
        var ours = y.ToArray<float>();
        for (int n = 0; n < batch; n++)
            for (int t = 0; t < steps; t++)
                for (int j = 0; j < units; j++)
                {
                    double z = bias[j];
                    for (int k = 0; k < features; k++) z += x[(n * steps + t) * features + k] * kernel[k * units + j];
                    Assert.That(ours[(n * steps + t) * units + j], Is.EqualTo(Math.Tanh(z)).Within(1e-5), $"example {n}, step {t}, unit {j}");
                }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void AFrozenWrapperFreezesTheWrappedLayer(bool trainable)
    {
        var model = new Sequential([new Layers.TimeDistributed(new Layers.Dense(4), inputShape: [3, 2]) { Trainable = trainable }]);
        Assert.That(model.TrainableWeights, Has.Count.EqualTo(trainable ? 2 : 0));
        Assert.That(model.NonTrainableWeights, Has.Count.EqualTo(trainable ? 0 : 2));
    }

    [Test]
    public void ItWrapsLayersOfHigherRank()
    {
        var td = new Layers.TimeDistributed(new Layers.Conv1D(2, 3));
        var model = new Sequential([new Layers.Reshape([4, 6, 2], inputShape: [48]), td]);
        Assert.That(model.OutputShape, Is.EqualTo(new Shape(-1, 4, 4, 2)));
        Assert.That(td.CountParams(), Is.EqualTo(3 * 2 * 2 + 2));
    }

    [Test]
    public void TheSharedWeightsGetTheGradientSummedOverSteps() =>
        LayerChecks.VerifyWeightGradients(new Shape(2, 4, 3), 12, new Layers.TimeDistributed(new Layers.Dense(2, activation: "sigmoid")));

    [Test]
    public void ItNeedsATimeAxisAndAnUnbuiltLayer()
    {
        var e = Assert.Throws<ShapeException>(() => new Layers.TimeDistributed(new Layers.Dense(2)).Apply(Layers.Input([3])));
        Assert.That(e!.Message, Does.Contain("'time_distributed' (TimeDistributed)").And.Contain("(batch, time, ...)"));
        var dense = new Layers.Dense(2, inputShape: [3]);
        _ = new Sequential([dense]);
        Assert.Throws<ArgumentException>(() => new Layers.TimeDistributed(dense));
    }
}
