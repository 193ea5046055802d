using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

public class ConvolutionTests
{
    /// <summary>8 x 8 images with one bar, vertical (class 0) or horizontal (class 1), at any position.</summary>
    private static (Tensor X, Tensor Y) Bars()
    {
        var images = new List<float>();
        var labels = new List<int>();
        for (int position = 0; position < 8; position++)
            for (int orientation = 0; orientation < 2; orientation++)
            {
                for (int r = 0; r < 8; r++)
                    for (int c = 0; c < 8; c++)
                        images.Add((orientation == 0 ? c : r) == position ? 1f : 0f);
                labels.Add(orientation);
            }
        return (Tensor.FromFlat(images.ToArray(), new Shape(16, 8, 8, 1)), Tensor.FromFlat(labels.ToArray(), new Shape(16)));
    }

    [Test]
    public void ASmallConvNetTellsBarsApart()
    {
        var (x, y) = Bars();
        var model = new Sequential([
            new Layers.Conv2D(8, 3, padding: "same", activation: "relu", inputShape: [8, 8, 1]),
            new Layers.MaxPooling2D(2),
            new Layers.Conv2D(4, (3, 3), strides: (2, 2), padding: "same", activation: "relu"),
            new Layers.Flatten(),
            new Layers.Dense(2, activation: "softmax"),
        ]) { Seed = 5 };
        Assert.That(model.OutputShape, Is.EqualTo(new Shape(-1, 2)));
        Assert.That(model.Layers.Select(l => l.CountParams()), Is.EqualTo(new long[] { 3 * 3 * 1 * 8 + 8, 0, 3 * 3 * 8 * 4 + 4, 0, 2 * 2 * 4 * 2 + 2 }));
        Assert.That(model.Graph.FindNode("conv2d_1/Conv2D")!.OutputShapes[0], Is.EqualTo(new Shape(-1, 2, 2, 4)), "SAME: 4 / 2");
        model.Compile(new AdamOptimizer(0.05), "sparse_categorical_crossentropy", ["accuracy"]);
        var history = model.Fit(x, y, epochs: 40, batchSize: 8, verbose: 0);
        Assert.That(history.Last("accuracy"), Is.EqualTo(1.0));
        Assert.That(history.Last("loss"), Is.LessThan(history["loss"][0] / 4));

        var predicted = model.Predict(x, batchSize: 5);
        var manual = model.Session.Run(model.Output, new FeedDict { [model.Input] = x, [model.TrainingFlag] = 0f });
        Assert.That(predicted.ToDoubles(), Is.EqualTo(manual.ToDoubles()).Within(1e-6));
    }

    [Test]
    public void PoolingLayersAverageAndPickTheMaximum()
    {
        // Seed 000's pooling example: 2 x 2 windows, stride 2.
        float[] image = [1, 4, 8, 3, 6, 9, 2, 1, 11, 13, 6, 7, 8, 19, 8, 2];
        var x = Tensor.FromFlat(image, new Shape(1, 4, 4, 1));
        var max = new Sequential([new Layers.MaxPooling2D(2) { }]);
        max.Build(4, 4, 1);
        var average = new Sequential([new Layers.AveragePooling2D((2, 2))]);
        average.Build(4, 4, 1);
        Assert.That(max.Predict(x).ToDoubles(), Is.EqualTo(new[] { 9.0, 8, 19, 8 }));
        Assert.That(average.Predict(x).ToDoubles(), Is.EqualTo(new[] { 5.0, 3.5, 12.75, 5.75 }));
        Assert.That(max.OutputShape, Is.EqualTo(new Shape(-1, 2, 2, 1)));
    }
}
