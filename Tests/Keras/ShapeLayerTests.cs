using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>The layers that reshape or transform without weights of their own (Activation, Reshape, RepeatVector), and Dense on inputs of rank 3 and 4.</summary>
public class ShapeLayerTests
{
    [Test]
    public void ActivationAppliesTheNamedFunctionAndKeepsTheShape()
    {
        var model = new Sequential([new Layers.Activation("tanh", inputShape: [2, 3]), new Layers.Activation("softmax")]);
        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[] { "activation", "activation_1" }));
        Assert.That(model.OutputShape, Is.EqualTo(new Shape(-1, 2, 3)));
        Assert.That(model.CountParams(), Is.Zero);

        var x = LayerChecks.RandomValues(4 * 6, 1);
        var ours = model.Predict(Tensor.FromFlat(x, new Shape(4, 2, 3))).ToArray<float>();
        for (int row = 0; row < 8; row++)
        {
            var e = Enumerable.Range(0, 3).Select(k => Math.Exp(Math.Tanh(x[row * 3 + k]))).ToArray();
            for (int k = 0; k < 3; k++) Assert.That(ours[row * 3 + k], Is.EqualTo(e[k] / e.Sum()).Within(1e-6), $"row {row}, element {k}");
        }
        Assert.Throws<ArgumentException>(() => new Layers.Activation("swishy"));
    }

    [Test]
    public void ActivationPassesTheGradientToTheWeightsBeforeIt() =>
        LayerChecks.VerifyWeightGradients(new Shape(5, 4), 3, new Layers.Dense(3), new Layers.Activation("sigmoid"));

    [TestCase(new[] { 3, -1 }, new[] { 3, 4 })]
    [TestCase(new[] { -1, 2, 3 }, new[] { 2, 2, 3 })]
    [TestCase(new[] { 12 }, new[] { 12 })]
    [TestCase(new[] { 2, 3, 2 }, new[] { 2, 3, 2 })]
    public void ReshapeGivesEachExampleTheTargetShapeInRowMajorOrder(int[] target, int[] expected)
    {
        var model = new Sequential([new Layers.Reshape(target, inputShape: [2, 6])]);
        Assert.That(model.OutputShape, Is.EqualTo(new Shape([-1, .. expected])));
        Assert.That(model.CountParams(), Is.Zero);
        var x = LayerChecks.RandomValues(3 * 12, 2);
        var y = model.Predict(Tensor.FromFlat(x, new Shape(3, 2, 6)));
        Assert.That(y.Shape, Is.EqualTo(new Shape([3, .. expected])));
        Assert.That(y.ToArray<float>(), Is.EqualTo(x));
    }

    [Test]
    public void ReshapeRefusesTargetsThatDoNotFit()
    {
        Assert.Throws<ArgumentException>(() => new Layers.Reshape([-1, -1]));
        Assert.Throws<ArgumentException>(() => new Layers.Reshape([0, 4]));
        var model = new Sequential([new Layers.Dense(10, inputShape: [3])]);
        var e = Assert.Throws<ShapeException>(() => model.Add(new Layers.Reshape([3, -1])));
        Assert.That(e!.Message, Is.EqualTo("Layer 'reshape' (Reshape) cannot give an input of shape (None, 10) (10 elements per example) the target shape (3, -1)."));
        Assert.Throws<ShapeException>(() => model.Add(new Layers.Reshape([4, 2])));
        Assert.That(model.Layers, Has.Count.EqualTo(1));
    }

    [Test]
    public void ReshapePassesTheGradientToTheWeightsBeforeIt() =>
        LayerChecks.VerifyWeightGradients(new Shape(2, 3), 4, new Layers.Dense(6), new Layers.Reshape([3, -1]), new Layers.Dense(2));

    [Test]
    public void RepeatVectorCopiesEachVectorAlongANewTimeAxis()
    {
        var alone = new Sequential([new Layers.Dense(4, inputShape: [2]), new Layers.RepeatVector(3)]);
        Assert.That(alone.OutputShape, Is.EqualTo(new Shape(-1, 3, 4)));
        Assert.That(alone.Layers[1].Name, Is.EqualTo("repeat_vector"));
        Assert.That(alone.Layers[1].CountParams(), Is.Zero);

        var inputs = Layers.Input([5]);
        var repeated = new Model(inputs, new Layers.RepeatVector(3).Apply(inputs));
        var x = LayerChecks.RandomValues(2 * 5, 5);
        var y = repeated.Predict(Tensor.FromFlat(x, new Shape(2, 5)));
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 3, 5)));
        var values = y.ToArray<float>();
        for (int n = 0; n < 2; n++) for (int t = 0; t < 3; t++) for (int k = 0; k < 5; k++)
            Assert.That(values[(n * 3 + t) * 5 + k], Is.EqualTo(x[n * 5 + k]));

        Assert.Throws<ShapeException>(() => new Layers.RepeatVector(2).Apply(Layers.Input([2, 5])));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Layers.RepeatVector(0));
    }

    [Test]
    public void RepeatVectorSumsTheGradientOverItsCopies() =>
        LayerChecks.VerifyWeightGradients(new Shape(3, 2), 6, new Layers.Dense(4), new Layers.RepeatVector(3), new Layers.SimpleRNN(2));

    [Test]
    public void TheSummaryListsTheNewLayersWithKerasCounts()
    {
        var model = new Sequential([
            new Layers.Dense(12, inputShape: [6]),
            new Layers.Reshape([3, 4]),
            new Layers.Conv1D(5, 2, activation: "relu"),
            new Layers.TimeDistributed(new Layers.Dense(2)),
            new Layers.Flatten(),
            new Layers.RepeatVector(3),
            new Layers.Activation("tanh"),
        ]);
        string table = model.Summary(TextWriter.Null);
        // Keras's counts: 6 × 12 + 12, none, 2 × 4 × 5 + 5, 5 × 2 + 2, then none.
        Assert.That(table, Does.Contain(" dense (Dense)               (None, 12)                84        "));
        Assert.That(table, Does.Contain(" reshape (Reshape)           (None, 3, 4)              0         "));
        Assert.That(table, Does.Contain(" conv1d (Conv1D)             (None, 2, 5)              45        "));
        Assert.That(table, Does.Contain(" time_distributed (TimeDistr  (None, 2, 2)             12        "));
        Assert.That(table, Does.Contain(" flatten (Flatten)           (None, 4)                 0         "));
        Assert.That(table, Does.Contain(" repeat_vector (RepeatVector  (None, 3, 4)             0         "));
        Assert.That(table, Does.Contain(" activation (Activation)     (None, 3, 4)              0         "));
        Assert.That(table, Does.Contain("Total params: 141"));
    }

    [TestCase(new[] { 4, 3 })]
    [TestCase(new[] { 2, 4, 3 })]
    public void DenseActsOnTheLastAxisOfAnyRank(int[] perExample)
    {
        const int units = 5;
        var dense = new Layers.Dense(units, inputShape: perExample);
        var model = new Sequential([dense]) { Seed = 7 };
        Assert.That(model.OutputShape, Is.EqualTo(new Shape([-1, .. perExample[..^1], units])));
        Assert.That(dense.CountParams(), Is.EqualTo(3 * units + units), "Keras: the kernel is (last axis, units) whatever the rank");

        var w = model.GetWeights();
        var bias = LayerChecks.RandomValues(units, 8);
        model.SetWeights([w[0], Tensor.FromFlat(bias, w[1].Shape)]);
        var kernel = w[0].ToArray<float>();
        int rows = 2 * perExample[..^1].Aggregate(1, (a, d) => a * d);
        var x = LayerChecks.RandomValues(rows * 3, 9);
        var ours = model.Predict(Tensor.FromFlat(x, new Shape([2, .. perExample]))).ToArray<float>();
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < units; j++)
            {
                double z = bias[j];
                for (int k = 0; k < 3; k++) z += x[r * 3 + k] * kernel[k * units + j];
                Assert.That(ours[r * units + j], Is.EqualTo(z).Within(1e-5), $"row {r}, unit {j}");
            }
    }

    [Test]
    public void DenseOnARank3InputHasTheRightWeightGradients() =>
        LayerChecks.VerifyWeightGradients(new Shape(2, 4, 3), 10, new Layers.Dense(5, activation: "tanh"));
}
