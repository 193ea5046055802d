using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>Keras's BatchNormalization: batch statistics while training, moving ones in inference, the moving updates run by Fit alone.</summary>
public class BatchNormalizationTests
{
    private const double Epsilon = 1e-3;

    /// <summary>Per-feature mean and variance (over n or n − 1) of the rows of a (rows, features) array.</summary>
    private static (double[] Mean, double[] Variance) Statistics(float[] x, int features, bool unbiased)
    {
        int rows = x.Length / features;
        var mean = new double[features];
        var variance = new double[features];
        for (int i = 0; i < x.Length; i++) mean[i % features] += x[i] / (double)rows;
        for (int i = 0; i < x.Length; i++) variance[i % features] += Math.Pow(x[i] - mean[i % features], 2);
        for (int j = 0; j < features; j++) variance[j] /= unbiased ? rows - 1 : rows;
        return (mean, variance);
    }

    private static double Normalized(double x, double mean, double variance, double gamma, double beta) =>
        (x - mean) / Math.Sqrt(variance + Epsilon) * gamma + beta;

    [TestCase(true)]
    [TestCase(false)]
    public void TrainingUsesTheBatchsStatisticsAndInferenceTheMovingOnes(bool training)
    {
        const int rows = 5, features = 3;
        var g = new Graph { Seed = 1 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, features), "x");
        var layer = new Layers.BatchNormalization();
        var y = layer.Apply(g, x);
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        float[] gamma = [1.5f, -0.5f, 2f], beta = [0.1f, 0.2f, -0.3f], movingMean = [0.3f, -0.2f, 0.5f], movingVariance = [0.5f, 2f, 1.2f];
        foreach (var (w, v) in new[] { (layer.Gamma, gamma), (layer.Beta, beta), (layer.MovingMean, movingMean), (layer.MovingVariance, movingVariance) })
            session.SetValue(w, Tensor.FromFlat(v, new Shape(features)));
        var xs = LayerChecks.RandomValues(rows * features, 2);
        var ours = session.Run(y, new FeedDict
        {
            [x] = Tensor.FromFlat(xs, new Shape(rows, features)),
            [Layer.LearningPhase(g)] = Tensor.Scalar(training ? 1f : 0f),
        }).ToArray<float>();

        var (mean, variance) = training ? Statistics(xs, features, unbiased: false) : ([.. movingMean.Select(v => (double)v)], [.. movingVariance.Select(v => (double)v)]);
        for (int i = 0; i < xs.Length; i++)
        {
            int j = i % features;
            Assert.That(ours[i], Is.EqualTo(Normalized(xs[i], mean[j], variance[j], gamma[j], beta[j])).Within(1e-5), $"row {i / features}, feature {j}");
        }
    }

    /// <summary>
    /// A BatchNormalization first in a model sees the data itself, so after k full-batch steps its moving statistics are
    /// the recurrence on the data's own statistics: variance over n for Dense-like inputs, over n − 1 for feature maps
    /// (tf.keras 2.x's fused kernel). Evaluate and Predict leave them as they are, and Predict normalizes with them.
    /// </summary>
    [TestCase(new[] { 3 })]
    [TestCase(new[] { 2, 2, 3 })]
    public void FitMovesTheMovingStatisticsAndPredictUsesThem(int[] perExample)
    {
        const int rows = 4, steps = 3;
        const double momentum = 0.8;
        int features = perExample[^1], size = rows * perExample.Aggregate(1, (a, b) => a * b);
        var model = new Sequential([new Layers.BatchNormalization(momentum: momentum, inputShape: perExample)]) { Seed = 3 };
        model.Compile("sgd", "mse");
        var shape = new Shape([rows, .. perExample]);
        var xs = LayerChecks.RandomValues(size, 4);
        var x = Tensor.FromFlat(xs, shape);
        var target = LayerChecks.RandomTensor(shape, 5);
        model.Fit(x, target, epochs: steps, batchSize: rows, shuffle: false, verbose: 0);

        var (mean, variance) = Statistics(xs, features, unbiased: perExample.Length == 3);
        double[] movingMean = new double[features], movingVariance = [.. Enumerable.Repeat(1.0, features)];
        for (int step = 0; step < steps; step++)
            for (int j = 0; j < features; j++)
            {
                movingMean[j] = momentum * movingMean[j] + (1 - momentum) * mean[j];
                movingVariance[j] = momentum * movingVariance[j] + (1 - momentum) * variance[j];
            }
        var bn = (Layers.BatchNormalization)model.Layers[0];
        float[] AsArray(Output w) => model.Session.GetValue(w).ToArray<float>();
        Assert.That(AsArray(bn.MovingMean), Is.EqualTo(movingMean).Within(1e-5));
        Assert.That(AsArray(bn.MovingVariance), Is.EqualTo(movingVariance).Within(1e-5));

        model.Evaluate(x, target, verbose: 0);
        var predicted = model.Predict(x).ToArray<float>();
        Assert.That(AsArray(bn.MovingMean), Is.EqualTo(movingMean).Within(1e-5), "Evaluate and Predict do not move the statistics");
        Assert.That(AsArray(bn.MovingVariance), Is.EqualTo(movingVariance).Within(1e-5));
        float[] gamma = AsArray(bn.Gamma), beta = AsArray(bn.Beta);
        Assert.That(gamma, Is.Not.EqualTo(Enumerable.Repeat(1f, features)), "SGD trained gamma");
        for (int i = 0; i < xs.Length; i++)
        {
            int j = i % features;
            Assert.That(predicted[i], Is.EqualTo(Normalized(xs[i], movingMean[j], movingVariance[j], gamma[j], beta[j])).Within(1e-5), $"element {i}");
        }
    }

    [TestCase(1f)]
    [TestCase(0f)]
    public void GradientsReachTheLayerBeforeThroughTheStatistics(float training)
    {
        var g = new Graph { Seed = 6 };
        var x = g.Placeholder(DType.Float32, new Shape(5, 4), "x");
        var flag = g.Constant(Tensor.Scalar(training));
        var dense = new Layers.Dense(3, activation: "tanh");
        var bn = new Layers.BatchNormalization();
        var y = bn.Apply(g, dense.Apply(g, x, flag), flag);
        var loss = g.ReduceSum(y * g.Constant(LayerChecks.RandomTensor(y.Shape, 7)));
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        session.SetValue(bn.Gamma, LayerChecks.RandomTensor(new Shape(3), 8));
        session.SetValue(bn.Beta, LayerChecks.RandomTensor(new Shape(3), 9));
        session.SetValue(bn.MovingMean, LayerChecks.RandomTensor(new Shape(3), 10));
        var report = GradientCheck.VerifyGradients(session, loss, new FeedDict { [x] = LayerChecks.RandomTensor(x.Shape, 11) });
        Assert.That(report.Variables.Select(v => v.Variable), Is.EquivalentTo(new[] { "dense/kernel", "dense/bias", "batch_normalization/gamma", "batch_normalization/beta" }));
    }

    [Test]
    public void FourWeightsPerFeatureTwoOfThemNonTrainableAndSavedWithTheOthers()
    {
        var model = new Sequential([
            new Layers.Dense(8, inputShape: [5]),
            new Layers.BatchNormalization(),
            new Layers.Dense(1),
        ]) { Seed = 12 };
        Assert.That(model.CountParams(), Is.EqualTo(5 * 8 + 8 + 4 * 8 + 8 + 1));
        var bn = model.Layers[1];
        Assert.That(bn.Weights.Select(w => w.Name), Is.EqualTo(new[]
            { "batch_normalization/gamma", "batch_normalization/beta", "batch_normalization/moving_mean", "batch_normalization/moving_variance" }));
        Assert.That(bn.NonTrainableWeights, Has.Count.EqualTo(2));
        Assert.That(model.TrainableWeights, Has.Count.EqualTo(6));
        var summary = model.Summary(TextWriter.Null);
        Assert.That(summary, Does.Contain("Trainable params: 73\n").And.Contain("Non-trainable params: 16\n"));

        model.Compile("adam", "mse");
        var x = LayerChecks.RandomTensor(new Shape(16, 5), 13);
        model.Fit(x, LayerChecks.RandomTensor(new Shape(16, 1), 14), epochs: 2, batchSize: 8, verbose: 0);
        var saved = model.GetWeights();
        var dir = Directory.CreateTempSubdirectory("graphdl-bn-").FullName;
        try
        {
            var path = model.SaveWeights(Path.Combine(dir, "weights"));
            var copy = new Sequential([
                new Layers.Dense(8, inputShape: [5]),
                new Layers.BatchNormalization(),
                new Layers.Dense(1),
            ]) { Seed = 15 };
            Assert.That(copy.GetWeights()[4].ToArray<float>(), Is.Not.EqualTo(saved[4].ToArray<float>()), "a fresh moving mean differs before loading");
            copy.LoadWeights(path);
            var loaded = copy.GetWeights();
            for (int i = 0; i < saved.Length; i++)
                Assert.That(loaded[i].ToArray<float>(), Is.EqualTo(saved[i].ToArray<float>()), $"weight {model.Weights[i].Name}");
            Assert.That(copy.Predict(x).ToArray<float>(), Is.EqualTo(model.Predict(x).ToArray<float>()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// A sub-model used first on its own, then as a layer of a larger model: its BatchNormalization holds the updates of
    /// both calls, and each model's train step runs only those its own inputs feed.
    /// </summary>
    [Test]
    public void ANestedModelsMovingStatisticsFollowTheOuterModelsTraining()
    {
        var inner = new Sequential([new Layers.Dense(3, inputShape: [4]), new Layers.BatchNormalization()]) { Seed = 17 };
        var x = LayerChecks.RandomTensor(new Shape(8, 4), 18);
        _ = inner.Predict(x);
        var bn = (Layers.BatchNormalization)inner.Layers[1];
        var input = Layers.Input([4]);
        var outer = new Model(input, new Layers.Dense(1).Apply(inner.Apply(input)));
        outer.Compile("sgd", "mse");
        outer.Fit(x, LayerChecks.RandomTensor(new Shape(8, 1), 19), epochs: 2, batchSize: 4, verbose: 0);

        Assert.That(bn.Updates, Has.Count.EqualTo(4), "two calls, each with its mean and variance update");
        Assert.That(outer.Updates, Has.Count.EqualTo(2));
        Assert.That(inner.Updates, Has.Count.EqualTo(2));
        Assert.That(outer.Updates, Is.Not.EquivalentTo(inner.Updates), "each model runs its own call's updates");
        Assert.That(inner.Session.GetValue(bn.MovingMean).ToArray<float>(), Is.Not.EqualTo(new float[3]), "the outer model's training moved them");
    }

    [Test]
    public void AnAxisTheInputLacksIsNamed()
    {
        var e = Assert.Throws<ShapeException>(() => new Layers.BatchNormalization(axis: 3).Apply(Layers.Input([4])));
        Assert.That(e!.Message, Does.Contain("'batch_normalization' (BatchNormalization)").And.Contain("axis 3"));
    }

    [Test]
    public void AChannelsFirstAxisNormalizesEachChannel()
    {
        const int rows = 3, channels = 2, height = 2;
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, channels, height), "x");
        var layer = new Layers.BatchNormalization(axis: 1, center: false, scale: false);
        var y = layer.Apply(g, x, g.Constant(Tensor.Scalar(1f)));
        Assert.That(layer.Weights, Has.Count.EqualTo(2), "without center and scale only the moving statistics remain");
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var xs = LayerChecks.RandomValues(rows * channels * height, 16);
        var ours = session.Run(y, new FeedDict { [x] = Tensor.FromFlat(xs, new Shape(rows, channels, height)) }).ToArray<float>();
        for (int c = 0; c < channels; c++)
        {
            var values = Enumerable.Range(0, xs.Length).Where(i => i / height % channels == c).ToList();
            double mean = values.Average(i => xs[i]), variance = values.Average(i => Math.Pow(xs[i] - mean, 2));
            foreach (int i in values) Assert.That(ours[i], Is.EqualTo(Normalized(xs[i], mean, variance, 1, 0)).Within(1e-5), $"element {i}, channel {c}");
        }
    }
}
