using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

public class LayerTests
{
    [Test]
    public void DenseCountsInputsTimesUnitsPlusUnits()
    {
        var model = new Sequential([
            new Layers.Dense(32, inputShape: [784]),
            new Layers.Dense(10),
            new Layers.Dense(20, useBias: false),
        ]);
        Assert.That(model.Layers.Select(l => l.CountParams()), Is.EqualTo(new long[] { 784 * 32 + 32, 32 * 10 + 10, 10 * 20 }));
        Assert.That(model.CountParams(), Is.EqualTo(25_120 + 330 + 200));
        Assert.That(model.Weights.Select(w => w.Name), Is.EqualTo(new[] { "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias", "dense_2/kernel" }));
    }

    [Test]
    public void LayersAreNamedPerModelInKerasSnakeCase()
    {
        var model = new Sequential([
            new Layers.Conv2D(4, 3, inputShape: [8, 8, 1]),
            new Layers.MaxPooling2D(),
            new Layers.Conv2D(4, 3, padding: "same", name: "my_conv"),
            new Layers.AveragePooling2D(),
            new Layers.Flatten(),
            new Layers.Dropout(0.5),
            new Layers.Dense(2),
            new Layers.Dense(2),
        ]);
        Assert.That(model.Layers.Select(l => l.Name), Is.EqualTo(new[]
            { "conv2d", "max_pooling2d", "my_conv", "average_pooling2d", "flatten", "dropout", "dense", "dense_1" }));

        // Another model counts from the start again, whatever was built before it.
        var other = new Sequential([new Layers.Dense(1, inputShape: [3])]);
        Assert.That(other.Layers[0].Name, Is.EqualTo("dense"));
    }

    [Test]
    public void OutputShapesFollowTheSlidesFormulas()
    {
        var inputs = Layers.Input([28, 28, 1]);
        var c1 = new Layers.Conv2D(32, 5, padding: "same").Apply(inputs);
        var p1 = new Layers.MaxPooling2D(2).Apply(c1);
        var c2 = new Layers.Conv2D(64, 5).Apply(p1);
        var p2 = new Layers.MaxPooling2D(2, padding: "same").Apply(c2);
        var c3 = new Layers.Conv2D(8, (3, 1), strides: (2, 1)).Apply(p2);
        var flat = new Layers.Flatten().Apply(c3);
        Assert.That(c1.Shape, Is.EqualTo(new Shape(-1, 28, 28, 32)));
        Assert.That(p1.Shape, Is.EqualTo(new Shape(-1, 14, 14, 32)));
        Assert.That(c2.Shape, Is.EqualTo(new Shape(-1, 10, 10, 64)), "(14 - 5) / 1 + 1");
        Assert.That(p2.Shape, Is.EqualTo(new Shape(-1, 5, 5, 64)));
        Assert.That(c3.Shape, Is.EqualTo(new Shape(-1, 2, 5, 8)), "(5 - 3) / 2 + 1 = 2 rows, 5 columns");
        Assert.That(flat.Shape, Is.EqualTo(new Shape(-1, 80)));

        var words = Layers.Input([5], DType.Int32);
        var embedded = new Layers.Embedding(12, 10).Apply(words);
        Assert.That(embedded.Shape, Is.EqualTo(new Shape(-1, 5, 10)));
        Assert.That(new Layers.Dense(7).Apply(embedded).Shape, Is.EqualTo(new Shape(-1, 5, 7)), "Dense acts on the last axis");
    }

    [Test]
    public void ConvAndEmbeddingParameters()
    {
        var model = new Sequential([
            new Layers.Conv2D(64, 3, padding: "same", inputShape: [224, 224, 3]),
            new Layers.Conv2D(64, 3, padding: "same", useBias: false),
        ]);
        Assert.That(model.Layers.Select(l => l.CountParams()), Is.EqualTo(new long[] { 3 * 3 * 3 * 64 + 64, 3 * 3 * 64 * 64 }));
        Assert.That(model.Weights[0].Shape, Is.EqualTo(new Shape(3, 3, 3, 64)), "kernel (kh, kw, in, out)");

        var words = new Sequential([new Layers.Embedding(12, 10, inputLength: 5)]);
        Assert.That(words.CountParams(), Is.EqualTo(120));
        Assert.That(words.Input.DType, Is.EqualTo(DType.Int32), "an embedding takes word ids");
        Assert.That(words.OutputShape, Is.EqualTo(new Shape(-1, 5, 10)));
    }

    [Test]
    public void WrongRankNamesTheLayerAndBothShapes()
    {
        var model = new Sequential([new Layers.Dense(784, inputShape: [100])]);
        var e = Assert.Throws<ShapeException>(() => model.Add(new Layers.Conv2D(32, 3)));
        Assert.That(e!.Message, Is.EqualTo(
            "Layer 'conv2d' (Conv2D) expects an input of rank 4, (batch, height, width, channels), but got an input of shape (None, 784) (rank 2)."));
        Assert.That(model.Layers, Has.Count.EqualTo(1), "the layer that failed did not join");

        var inputs = Layers.Input([28, 28, 1]);
        var pooled = Assert.Throws<ShapeException>(() => new Layers.Dense(10, name: "classifier").Apply(Layers.Input([])));
        Assert.That(pooled!.Message, Does.Contain("'classifier' (Dense)").And.Contain("(None,)"));
        var tooSmall = Assert.Throws<ShapeException>(() => new Layers.Conv2D(8, 5).Apply(Layers.Input([3, 3, 1])));
        Assert.That(tooSmall!.Message, Does.Contain("a window of 5 does not fit an input of 3"));
        Assert.That(new Layers.Conv2D(8, 5).Apply(inputs).Shape, Is.EqualTo(new Shape(-1, 24, 24, 8)));
    }

    [Test]
    public void ABuiltLayerRejectsAnInputOfAnotherShape()
    {
        var g = new Graph();
        var dense = new Layers.Dense(3);
        var a = g.Placeholder(DType.Float32, new Shape(-1, 4), "a");
        var b = g.Placeholder(DType.Float32, new Shape(-1, 5), "b");
        var y = dense.Apply(g, a);
        Assert.That(y.Shape, Is.EqualTo(new Shape(-1, 3)));
        Assert.That(dense.Kernel.Name, Is.EqualTo("dense/kernel"));
        var e = Assert.Throws<ShapeException>(() => dense.Apply(g, b));
        Assert.That(e!.Message, Is.EqualTo("Layer 'dense' (Dense) was built for inputs of shape (None, 4), but got an input of shape (None, 5)."));
    }

    [Test]
    public void ALayerUsedInATf1StyleGraphComputesXWPlusB()
    {
        var g = new Graph { Seed = 3 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 2), "x");
        var dense = new Layers.Dense(2, activation: "relu");
        var y = dense.Apply(g, x);
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        sess.SetValue(dense.Kernel, new float[,] { { 1, -2 }, { 3, 4 } });
        sess.SetValue(dense.Bias, new float[] { 0.5f, -100 });
        var r = sess.Run(y, new FeedDict { [x] = new float[,] { { 1, 1 }, { -1, 2 } } });
        Assert.That(r.ToDoubles(), Is.EqualTo(new[] { 4.5, 0, 5.5, 0 }));
    }

    [Test]
    public void UnknownNamesListTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => new Layers.Dense(2, activation: "rulu"));
        Assert.That(e!.Message, Does.StartWith("Unknown activation 'rulu'. Known: linear, relu, sigmoid"));
        Assert.Throws<ArgumentException>(() => new Layers.Conv2D(2, 3, padding: "full"));
        var model = new Sequential([new Layers.Dense(1, inputShape: [2])]);
        Assert.That(Assert.Throws<ArgumentException>(() => model.Compile("adamw", "mse"))!.Message, Does.StartWith("Unknown optimizer 'adamw'"));
        Assert.That(Assert.Throws<ArgumentException>(() => model.Compile("adam", "cross_entropy"))!.Message, Does.StartWith("Unknown loss 'cross_entropy'"));
        Assert.That(Assert.Throws<ArgumentException>(() => model.Compile("adam", "mse", ["f1"]))!.Message, Does.StartWith("Unknown metric 'f1'"));
    }

    [Test]
    public void AFrozenLayerCountsAsNonTrainable()
    {
        var model = new Sequential([new Layers.Dense(4, inputShape: [3]) { Trainable = false }, new Layers.Dense(1)]);
        Assert.That(model.NonTrainableWeights.Sum(w => w.Shape.Size), Is.EqualTo(16));
        Assert.That(model.TrainableWeights.Sum(w => w.Shape.Size), Is.EqualTo(5));
        string summary = model.Summary(TextWriter.Null);
        Assert.That(summary, Does.Contain("Total params: 21\nTrainable params: 5\nNon-trainable params: 16\n"));
    }

    [Test]
    public void ALayerInTwoModelsSharesItsWeights()
    {
        // As in Keras, a layer may serve several models; they share its weights, and so one graph and session.
        var shared = new Layers.Dense(2, inputShape: [3]);
        var first = new Sequential([shared]);
        var second = new Sequential([shared, new Layers.Dense(1)]);
        Assert.That(second.Weights.Take(2), Is.EqualTo(first.Weights));
        Assert.That(second.Graph, Is.SameAs(first.Graph));
        var kernel = Tensor.FromFlat([1f, 2, 3, 4, 5, 6], new Shape(3, 2));
        first.SetWeights([kernel, Tensor.FromFlat([0f, 0f], new Shape(2))]);
        Assert.That(second.GetWeights()[0].ToDoubles(), Is.EqualTo(kernel.ToDoubles()));
    }

    [Test]
    public void SequentialWithoutInputShapeWaitsForBuildOrData()
    {
        var model = new Sequential { new Layers.Dense(3), new Layers.Dense(1) };
        Assert.That(model.InputShape, Is.Null);
        var e = Assert.Throws<InvalidOperationException>(() => model.Summary(TextWriter.Null));
        Assert.That(e!.Message, Does.Contain("has not been built yet"));
        model.Build(5);
        Assert.That(model.CountParams(), Is.EqualTo(5 * 3 + 3 + 3 + 1));

        var fromData = new Sequential { new Layers.Dense(2) };
        var x = Tensor.FromFlat(Enumerable.Range(0, 24).Select(i => (float)i / 24).ToArray(), new Shape(4, 6));
        Assert.That(fromData.Predict(x).Shape, Is.EqualTo(new Shape(4, 2)));
        Assert.That(fromData.InputShape, Is.EqualTo(new Shape(-1, 6)));

        // A layer added later goes on top of the weights the session already holds.
        var kernel = fromData.GetWeights()[0];
        fromData.Add(new Layers.Dense(1));
        Assert.That(fromData.Predict(x).Shape, Is.EqualTo(new Shape(4, 1)));
        Assert.That(fromData.GetWeights()[0].ToDoubles(), Is.EqualTo(kernel.ToDoubles()));
    }
}
