using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

public class TrainingTests
{
    private static readonly Tensor XorX = new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    private static readonly Tensor XorY = new float[,] { { 0 }, { 1 }, { 1 }, { 0 } };

    private static Sequential XorModel(int seed)
    {
        var model = new Sequential([
            new Layers.Dense(8, activation: "tanh", inputShape: [2]),
            new Layers.Dense(1, activation: "sigmoid"),
        ]) { Seed = seed };
        model.Compile(new AdamOptimizer(0.05), loss: "binary_crossentropy", metrics: ["accuracy"]);
        return model;
    }

    [Test]
    public void FitLearnsXorAndRepeatsItselfWithTheSameSeed()
    {
        var history = XorModel(seed: 7).Fit(XorX, XorY, epochs: 150, batchSize: 4, verbose: 0);
        Assert.That(history.Keys, Is.EqualTo(new[] { "loss", "accuracy" }));
        Assert.That(history.Epochs, Has.Count.EqualTo(150));
        Assert.That(history["loss"][0], Is.GreaterThan(0.5), "a fresh network is no better than a coin");
        Assert.That(history.Last("loss"), Is.LessThan(0.05));
        Assert.That(history.Last("accuracy"), Is.EqualTo(1.0));

        var again = XorModel(seed: 7).Fit(XorX, XorY, epochs: 150, batchSize: 4, verbose: 0);
        Assert.That(again["loss"], Is.EqualTo(history["loss"]), "same seed, same run");
        var other = XorModel(seed: 8).Fit(XorX, XorY, epochs: 150, batchSize: 4, verbose: 0);
        Assert.That(other["loss"][0], Is.Not.EqualTo(history["loss"][0]), "another seed, other first weights");
    }

    [Test]
    public void LinearRegressionWithSgdFindsTheLine()
    {
        // y = 2 x1 - 3 x2 + 1 on a grid: seed 004's Linear Regression (Dense(1, 'linear'), sgd, mse).
        var rows = new List<float[]>();
        for (int i = 0; i < 10; i++)
            for (int j = 0; j < 10; j++) rows.Add([i / 9f, j / 9f]);
        var x = Tensor.FromFlat(rows.SelectMany(r => r).ToArray(), new Shape(rows.Count, 2));
        var y = Tensor.FromFlat(rows.Select(r => 2 * r[0] - 3 * r[1] + 1).ToArray(), new Shape(rows.Count, 1));
        var inputs = Layers.Input([2]);
        var model = new Model(inputs, new Layers.Dense(1, activation: "linear").Apply(inputs)) { Seed = 1 };
        model.Compile(new GradientDescentOptimizer(0.1), "mse");
        var history = model.Fit(x, y, epochs: 60, batchSize: 10, seed: 3, verbose: 0);
        Assert.That(history["loss"][10], Is.LessThan(history["loss"][0]));
        Assert.That(history.Last("loss"), Is.LessThan(1e-4 * history["loss"][0]));
        var w = model.GetWeights();
        Assert.That(w[0].ToDoubles(), Is.EqualTo(new[] { 2.0, -3.0 }).Within(0.01));
        Assert.That(w[1].GetDouble(0), Is.EqualTo(1.0).Within(0.01));
    }

    [Test]
    public void PredictAndEvaluateAgreeWithAManualSessionRun()
    {
        var random = new Random(5);
        int n = 50;
        var x = Tensor.FromFlat(Enumerable.Range(0, n * 4).Select(_ => (float)random.NextDouble()).ToArray(), new Shape(n, 4));
        var ids = Enumerable.Range(0, n).Select(_ => random.Next(3)).ToArray();
        var y = GraphDL.Data.OneHotEncoding.Encode(ids, 3);
        var model = new Sequential([
            new Layers.Dense(6, activation: "relu", inputShape: [4]),
            new Layers.Dropout(0.5),
            new Layers.Dense(3, activation: "softmax"),
        ]) { Seed = 2 };
        model.Compile("adam", "categorical_crossentropy", ["accuracy"]);

        var feed = new FeedDict { [model.Input] = x, [model.TrainingFlag] = 0f, [model.Labels] = y };
        var manual = model.Session.Run(model.Output, feed);
        var predicted = model.Predict(x, batchSize: 7);
        Assert.That(predicted.Shape, Is.EqualTo(new Shape(n, 3)));
        Assert.That(predicted.ToDoubles(), Is.EqualTo(manual.ToDoubles()), "dropout is off in Predict, and batches change nothing");

        double manualLoss = model.Session.Run(model.Loss, feed).GetDouble(0);
        var probabilities = manual.ToArray2D<float>();
        double manualAccuracy = Enumerable.Range(0, n).Average(i => Enumerable.Range(0, 3).MaxBy(k => probabilities[i, k]) == ids[i] ? 1.0 : 0.0);
        foreach (int batchSize in new[] { 7, 50, 64 })
        {
            var result = model.Evaluate(x, y, batchSize, verbose: 0);
            Assert.That(result.Keys, Is.EqualTo(new[] { "loss", "accuracy" }));
            Assert.That(result["loss"], Is.EqualTo(manualLoss).Within(1e-6), $"batches of {batchSize} weigh each example once");
            Assert.That(result["accuracy"], Is.EqualTo(manualAccuracy).Within(1e-9));
        }
        Assert.That(manualLoss, Is.EqualTo(-Enumerable.Range(0, n).Average(i => Math.Log(probabilities[i, ids[i]]))).Within(1e-5));
    }

    [Test]
    public void TheFunctionalModelIsTheSequentialOne()
    {
        var sequential = new Sequential([
            new Layers.Dense(5, activation: "relu", inputShape: [4]),
            new Layers.Dense(10, activation: "relu"),
            new Layers.Dense(3, activation: "softmax"),
        ]) { Seed = 11 };
        var inputs = Layers.Input([4]);
        var h = new Layers.Dense(5, activation: "relu").Apply(inputs);
        h = new Layers.Dense(10, activation: "relu").Apply(h);
        var functional = new Model(inputs, new Layers.Dense(3, activation: "softmax").Apply(h)) { Seed = 11 };

        Assert.That(functional.CountParams(), Is.EqualTo(sequential.CountParams()).And.EqualTo(118));
        Assert.That(functional.Layers.Skip(1).Select(l => l.Name), Is.EqualTo(sequential.Layers.Select(l => l.Name)));
        Assert.That(functional.GetWeights().Select(w => w.ToDoubles()), Is.EqualTo(sequential.GetWeights().Select(w => w.ToDoubles())),
            "the same graph, node for node, draws the same first weights");

        var random = new Random(1);
        var x = Tensor.FromFlat(Enumerable.Range(0, 40 * 4).Select(_ => (float)random.NextDouble()).ToArray(), new Shape(40, 4));
        var y = Tensor.FromFlat(Enumerable.Range(0, 40).Select(i => (float)(i % 3)).ToArray(), new Shape(40));
        foreach (var model in new Model[] { sequential, functional })
            model.Compile("rmsprop", "sparse_categorical_crossentropy", ["accuracy"]);
        var a = sequential.Fit(x, y, epochs: 5, batchSize: 8, seed: 4, verbose: 0);
        var b = functional.Fit(x, y, epochs: 5, batchSize: 8, seed: 4, verbose: 0);
        Assert.That(b["loss"], Is.EqualTo(a["loss"]));
        Assert.That(b["accuracy"], Is.EqualTo(a["accuracy"]));
        Assert.That(functional.Predict(x).ToDoubles(), Is.EqualTo(sequential.Predict(x).ToDoubles()));
    }

    [Test]
    public void DropoutDropsOnlyWhileTraining()
    {
        var model = new Sequential([new Layers.Dropout(0.25, inputShape: [4000])]) { Seed = 3 };
        var x = Tensor.FromFlat(Enumerable.Repeat(1f, 4000).ToArray(), new Shape(1, 4000));
        Assert.That(model.Predict(x).ToDoubles(), Is.All.EqualTo(1.0), "identity when not training");
        Assert.That(model.CountParams(), Is.Zero);

        var trained = model.Session.Run(model.Output, new FeedDict { [model.Input] = x, [model.TrainingFlag] = 1f }).ToDoubles();
        Assert.That(trained.Distinct().Order(), Is.EqualTo(new[] { 0.0, 1 / 0.75 }).Within(1e-6), "survivors are scaled by 1 / (1 - rate)");
        Assert.That(trained.Count(v => v == 0) / 4000.0, Is.EqualTo(0.25).Within(0.03));
    }

    [Test]
    public void ValidationFiguresAndHistoryForThePlots()
    {
        var model = XorModel(seed: 1);
        var x = Tensor.FromFlat(Enumerable.Range(0, 40).Select(i => (float)(i % 2)).ToArray(), new Shape(20, 2));
        var y = Tensor.FromFlat(Enumerable.Range(0, 20).Select(i => 0f).ToArray(), new Shape(20));   // a vector for a one-column output
        var history = model.Fit(x, y, epochs: 3, batchSize: 5, validationData: (XorX, XorY), verbose: 0);
        Assert.That(history.Keys, Is.EqualTo(new[] { "loss", "accuracy", "val_loss", "val_accuracy" }));
        IReadOnlyDictionary<string, IReadOnlyList<double>> curves = history.AsDictionary();
        Assert.That(curves.Values, Has.All.Count.EqualTo(3));
        string png = Path.Combine(TestContext.CurrentContext.WorkDirectory, "out", "keras", "history.png");
        GraphDL.Plots.TrainingCurves.Save(history.AsDictionary(), png);
        Assert.That(new FileInfo(png).Length, Is.GreaterThan(1000), "the plots draw the history as it is");
        Assert.That(File.Exists(Path.ChangeExtension(png, ".svg")), Is.True, "and its SVG");
        Assert.That(model.History, Is.SameAs(history));
        var evaluation = model.Evaluate(XorX, XorY, verbose: 0);
        Assert.That(history.Last("val_loss"), Is.EqualTo(evaluation["loss"]).Within(1e-7), "validation is evaluation after the epoch");

        var batches = new List<(int, int)>();
        var split = XorModel(seed: 1).Fit(x, y, epochs: 2, batchSize: 4, validationSplit: 0.25, verbose: 0, onBatchEnd: (e, b) => batches.Add((e, b)));
        Assert.That(split.Keys, Does.Contain("val_loss"));
        Assert.That(batches, Is.EqualTo(new[] { (0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3) }), "15 of 20 rows kept: batches of 4, 4, 4 and 3");
        var e = Assert.Throws<ShapeException>(() => model.Fit(XorX, new Tensor(new Shape(4, 2)), verbose: 0));
        Assert.That(e!.Message, Is.EqualTo("Model 'sequential' with loss 'binary_crossentropy' takes labels of shape (None, 1), but y has shape (4, 2)."));
        var rows = Assert.Throws<ShapeException>(() => model.Fit(XorX, new Tensor(new Shape(3, 1)), verbose: 0));
        Assert.That(rows!.Message, Does.StartWith("x and y need one row per example each, but x has 4 rows"));
        var inputs = Assert.Throws<ShapeException>(() => model.Predict(new Tensor(new Shape(4, 3))));
        Assert.That(inputs!.Message, Is.EqualTo("Model 'sequential' takes inputs of shape (None, 2), but x has shape (4, 3)."));
    }

    [Test]
    public void AnEmbeddingLearnsThroughItsGather()
    {
        var model = new Sequential([
            new Layers.Embedding(5, 3, inputLength: 2),
            new Layers.Flatten(),
            new Layers.Dense(2, activation: "softmax"),
        ]) { Seed = 4 };
        model.Compile(new AdamOptimizer(0.05), "sparse_categorical_crossentropy", ["accuracy"]);
        var x = new int[,] { { 0, 1 }, { 2, 3 }, { 1, 0 }, { 3, 2 } };
        var y = new int[] { 0, 1, 0, 1 };
        var before = model.GetWeights()[0].ToDoubles();
        var history = model.Fit(x, y, epochs: 60, batchSize: 2, verbose: 0);
        var after = model.GetWeights()[0].ToDoubles();
        Assert.That(history.Last("accuracy"), Is.EqualTo(1.0));
        Assert.That(after.Skip(12), Is.EqualTo(before.Skip(12)), "word 4 never appears, so its row gets no gradient");
        Assert.That(after.Take(12), Is.Not.EqualTo(before.Take(12)));
    }

    [Test]
    public void ATrainingStepAllocatesNothing()
    {
        var model = new Sequential([
            new Layers.Dense(16, activation: "relu", inputShape: [8]),
            new Layers.Dropout(0.2),
            new Layers.Dense(4, activation: "softmax"),
        ]) { Seed = 1 };
        model.Compile("adam", "categorical_crossentropy", ["accuracy"]);
        var feed = new FeedDict
        {
            [model.Input] = new Tensor(new Shape(32, 8)),
            [model.Labels] = GraphDL.Data.OneHotEncoding.Encode(Enumerable.Range(0, 32).Select(i => i % 4).ToArray(), 4),
            [model.TrainingFlag] = 1f,
        };
        var session = model.Session;
        for (int i = 0; i < 3; i++) session.Run(model.TrainStep, feed);
        Assert.That(StepAllocations.FewestBytesInAWindow(() => session.Run(model.TrainStep, feed), stepsPerWindow: 100), Is.Zero);
    }

    [Test]
    public void VerboseFitPrintsKerasLines()
    {
        var model = XorModel(seed: 1);
        var output = new StringWriter();
        var console = Console.Out;
        var redrawing = Model.ConsoleShowsRedraws;
        Console.SetOut(output);
        Model.ConsoleShowsRedraws = () => false;   // as into a log file: no redraws, each epoch's final line only
        try
        {
            model.Fit(XorX, XorY, epochs: 2, batchSize: 2, verbose: 1);
            model.Fit(XorX, XorY, epochs: 1, batchSize: 4, verbose: 2);
        }
        finally
        {
            Console.SetOut(console);
            Model.ConsoleShowsRedraws = redrawing;
        }
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("Epoch 1/2"));
        Assert.That(lines[1], Does.Match(@"^2/2 \[={30}\] - \d+s \d+(s|ms|us)/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}$"));
        Assert.That(lines[2], Is.EqualTo("Epoch 2/2"));
        Assert.That(lines[4], Is.EqualTo("Epoch 1/1"));
        Assert.That(lines[5], Does.Match(@"^1/1 - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - \d+(s|ms|us)/epoch - \d+(s|ms|us)/step$"));
    }
}
