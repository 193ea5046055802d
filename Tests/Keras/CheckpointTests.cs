using GraphDL.Data;
using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

public class CheckpointTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-checkpoint-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Two overlapping classes in the plane, learnt with a large step: validation accuracy climbs, then wanders as
    /// the boundary overshoots, so the best epoch is not the last.
    /// </summary>
    private static (Tensor X, Tensor Y, Tensor ValX, Tensor ValY) Blobs(int seed)
    {
        var random = new Random(seed);
        (Tensor, Tensor) Make(int n)
        {
            var x = new float[n, 2];
            var y = new int[n];
            for (int i = 0; i < n; i++)
            {
                y[i] = i % 2;
                double centre = y[i] == 0 ? -0.5 : 0.5;
                x[i, 0] = (float)(centre + Gaussian(random));
                x[i, 1] = (float)(centre + Gaussian(random));
            }
            return (x, OneHotEncoding.Encode(y, 2));
        }
        var (trainX, trainY) = Make(60);
        var (valX, valY) = Make(40);
        return (trainX, trainY, valX, valY);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static Sequential Classifier(int seed, int hidden = 8)
    {
        var model = new Sequential([
            new Layers.Dense(hidden, activation: "relu", inputShape: [2]),
            new Layers.Dense(2, activation: "softmax"),
        ]) { Seed = seed };
        model.Compile(new GradientDescentOptimizer(1.5), "categorical_crossentropy", ["accuracy"]);
        return model;
    }

    /// <summary>Keeps a copy of the weights at the end of every epoch.</summary>
    private sealed class WeightsRecorder : Callback
    {
        public readonly List<Tensor[]> Epochs = [];
        public readonly List<string> Calls = [];

        public override void OnTrainBegin() => Calls.Add($"train_begin:{Model?.Name}");
        public override void OnEpochBegin(int epoch) => Calls.Add($"epoch_begin:{epoch}");

        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
        {
            Calls.Add($"epoch_end:{epoch}:{string.Join(",", logs.Keys)}");
            Epochs.Add(Model!.GetWeights());
        }

        public override void OnTrainEnd() => Calls.Add("train_end");
    }

    private static Dictionary<string, Tensor> ByName(Model model, Tensor[] values) =>
        model.Weights.Select((w, i) => (w.Name, values[i])).ToDictionary(p => p.Name, p => p.Item2);

    private static void AssertSameWeights(IReadOnlyDictionary<string, Tensor> actual, IReadOnlyDictionary<string, Tensor> expected, string because)
    {
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys), because);
        foreach (var (name, value) in expected)
            Assert.That(actual[name].ToArray<float>(), Is.EqualTo(value.ToArray<float>()), $"{name}: {because}");
    }

    [Test]
    public void FitKeepsTheEpochWithTheBestValidationAccuracy()
    {
        int laterWorse = 0;
        foreach (int seed in new[] { 1, 3, 4 })
        {
            var (x, y, valX, valY) = Blobs(seed);
            var model = Classifier(seed);
            var recorder = new WeightsRecorder();
            string path = Path.Combine(_dir, $"best-of-{seed}.npz");
            var checkpoint = new ModelCheckpoint(path, monitor: "val_accuracy", saveBestOnly: true, verbose: 1);
            var console = new StringWriter();
            var stdout = Console.Out;
            Console.SetOut(console);
            History history;
            try { history = model.Fit(x, y, epochs: 20, batchSize: 4, validationData: (valX, valY), seed: seed, verbose: 0, callbacks: [recorder, checkpoint]); }
            finally { Console.SetOut(stdout); }

            var accuracy = history["val_accuracy"];
            double best = accuracy.Max();
            int bestEpoch = accuracy.ToList().IndexOf(best);   // the first of equals: a tie is no improvement
            if (accuracy.Skip(bestEpoch + 1).Any(a => a < best)) laterWorse++;
            Assert.That(checkpoint.Best, Is.EqualTo(best), $"seed {seed}");
            Assert.That(checkpoint.LastSaved, Is.EqualTo((bestEpoch, path)), $"seed {seed}");

            // One save per strict improvement, as the messages say.
            int improvements = accuracy.Select((a, i) => a > accuracy.Take(i).DefaultIfEmpty(double.NegativeInfinity).Max()).Count(b => b);
            var lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines.Count(l => l.Contains("val_accuracy improved from")), Is.EqualTo(improvements), $"seed {seed}");
            Assert.That(lines.Count(l => l.Contains("val_accuracy did not improve")), Is.EqualTo(20 - improvements), $"seed {seed}");
            Assert.That(lines, Has.Some.Contains($"Epoch {bestEpoch + 1}: val_accuracy improved from").And.Contains($"saving model to {path}"));

            var atBest = ByName(model, recorder.Epochs[bestEpoch]);
            AssertSameWeights(Npz.Load(path), atBest, $"seed {seed}: the file holds the weights of epoch {bestEpoch}");
            if (bestEpoch < 19)
                Assert.That(model.GetWeights()[0].ToArray<float>(), Is.Not.EqualTo(atBest["dense/kernel"].ToArray<float>()), "training went on after the best epoch");

            model.LoadWeights(path);
            AssertSameWeights(ByName(model, model.GetWeights()), atBest, $"seed {seed}: LoadWeights brings the best epoch back");
            Assert.That(model.Evaluate(valX, valY, verbose: 0)["accuracy"], Is.EqualTo(best).Within(1e-12));
        }
        Assert.That(laterWorse, Is.GreaterThan(0), "at least one run must get worse after its best epoch, or the test shows nothing; pick other seeds");
    }

    [Test]
    public void MonitoringALossKeepsTheLowest()
    {
        var (x, y, valX, valY) = Blobs(3);
        var model = Classifier(3);
        var recorder = new WeightsRecorder();
        var checkpoint = new ModelCheckpoint(Path.Combine(_dir, "low.npz"), saveBestOnly: true);
        Assert.That(checkpoint.Monitor, Is.EqualTo("val_loss"));
        var history = model.Fit(x, y, epochs: 12, batchSize: 4, validationData: (valX, valY), seed: 3, verbose: 0, callbacks: [recorder, checkpoint]);
        double lowest = history["val_loss"].Min();
        int epoch = history["val_loss"].ToList().IndexOf(lowest);
        Assert.That(checkpoint.LastSaved?.Epoch, Is.EqualTo(epoch));
        Assert.That(checkpoint.Best, Is.EqualTo(lowest));
        AssertSameWeights(Npz.Load(checkpoint.LastSaved!.Value.Path), ByName(model, recorder.Epochs[epoch]), "the lowest val_loss");

        // mode "max" on a loss keeps the highest instead.
        var highest = new ModelCheckpoint(Path.Combine(_dir, "high.npz"), monitor: "loss", saveBestOnly: true, mode: "max");
        var again = Classifier(3).Fit(x, y, epochs: 6, batchSize: 4, seed: 3, verbose: 0, callbacks: [highest]);
        Assert.That(highest.Best, Is.EqualTo(again["loss"].Max()));
    }

    [Test]
    public void WithoutSaveBestOnlyEveryEpochIsSavedUnderItsNumber()
    {
        var (x, y, valX, valY) = Blobs(1);
        var model = Classifier(1);
        var recorder = new WeightsRecorder();
        var checkpoint = new ModelCheckpoint(Path.Combine(_dir, "epochs", "weights-{epoch}.npz"));
        model.Fit(x, y, epochs: 3, batchSize: 4, validationData: (valX, valY), seed: 1, verbose: 0, callbacks: [recorder, checkpoint]);
        for (int epoch = 0; epoch < 3; epoch++)
            AssertSameWeights(Npz.Load(Path.Combine(_dir, "epochs", $"weights-{epoch + 1}.npz")), ByName(model, recorder.Epochs[epoch]), $"epoch {epoch}");
        Assert.That(Saver.Latest(Path.Combine(_dir, "epochs")), Is.EqualTo(Path.Combine(_dir, "epochs", "weights-3.npz")));
        Assert.That(checkpoint.LastSaved?.Epoch, Is.EqualTo(2));

        // A model loads the latest of a directory.
        var other = Classifier(99);
        other.LoadWeights(Path.Combine(_dir, "epochs"));
        AssertSameWeights(ByName(other, other.GetWeights()), ByName(model, recorder.Epochs[2]), "the directory's latest");
    }

    [Test]
    public void CallbacksSeeTheTrainingInOrder()
    {
        var (x, y, valX, valY) = Blobs(2);
        var model = Classifier(2);
        var recorder = new WeightsRecorder();
        var seen = new List<int>();
        model.Fit(x, y, epochs: 2, batchSize: 16, validationData: (valX, valY), verbose: 0, onEpochEnd: (e, _) => seen.Add(e), callbacks: [recorder]);
        Assert.That(recorder.Model, Is.SameAs(model));
        Assert.That(recorder.Calls, Is.EqualTo(new[]
        {
            "train_begin:sequential",
            "epoch_begin:0", "epoch_end:0:loss,accuracy,val_loss,val_accuracy",
            "epoch_begin:1", "epoch_end:1:loss,accuracy,val_loss,val_accuracy",
            "train_end",
        }));
        Assert.That(seen, Is.EqualTo(new[] { 0, 1 }), "onEpochEnd still works beside callbacks");
    }

    [Test]
    public void MisuseIsExplained()
    {
        var (x, y, _, _) = Blobs(2);
        var checkpoint = new ModelCheckpoint(Path.Combine(_dir, "best.npz"), monitor: "val_accuracy", saveBestOnly: true);
        var e = Assert.Throws<InvalidOperationException>(() => Classifier(2).Fit(x, y, epochs: 1, verbose: 0, callbacks: [checkpoint]));
        Assert.That(e!.Message, Does.Contain("'val_accuracy'").And.Contain("loss, accuracy").And.Contain("validationData"));
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
        Assert.Throws<ArgumentException>(() => _ = new ModelCheckpoint("x.npz", mode: "best"));
        Assert.Throws<InvalidOperationException>(() => checkpoint.OnEpochEnd(0, new Dictionary<string, double>()) , "outside Fit there is no model");
        var unbuilt = new Sequential([new Layers.Dense(2)]);
        Assert.Throws<InvalidOperationException>(() => unbuilt.SaveWeights(Path.Combine(_dir, "w")));
    }

    [Test]
    public void SaveWeightsAndLoadWeightsMoveWeightsBetweenModels()
    {
        var (x, y, valX, _) = Blobs(5);
        var trained = Classifier(5);
        trained.Fit(x, y, epochs: 3, batchSize: 4, seed: 5, verbose: 0);
        string path = trained.SaveWeights(Path.Combine(_dir, "weights"));
        Assert.That(path, Is.EqualTo(Path.Combine(_dir, "weights.npz")));
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }), "SaveWeights writes no index beside the file");
        Assert.That(Npz.Load(path).Keys, Is.EquivalentTo(new[] { "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias" }));

        // A model built the same way, uncompiled, with other first weights.
        var fresh = new Sequential([
            new Layers.Dense(8, activation: "relu", inputShape: [2]),
            new Layers.Dense(2, activation: "softmax"),
        ]) { Seed = 77 };
        Assert.That(fresh.Predict(valX).ToArray<float>(), Is.Not.EqualTo(trained.Predict(valX).ToArray<float>()));
        fresh.LoadWeights(path);
        Assert.That(fresh.Predict(valX).ToArray<float>(), Is.EqualTo(trained.Predict(valX).ToArray<float>()));

        // Another architecture: nothing changes, and the message says what does not fit.
        var wider = Classifier(6, hidden: 5);
        var before = wider.GetWeights();
        var e = Assert.Throws<InvalidDataException>(() => wider.LoadWeights(path));
        Assert.That(e!.Message, Does.Contain("variable 'dense/kernel' has shape (2, 8) in the file, (2, 5) in the graph")
            .And.Contain("variable 'dense_1/kernel' has shape (8, 2) in the file, (5, 2) in the graph"));
        var after = wider.GetWeights();
        for (int i = 0; i < before.Length; i++) Assert.That(after[i].ToArray<float>(), Is.EqualTo(before[i].ToArray<float>()), wider.Weights[i].Name);
    }
}
