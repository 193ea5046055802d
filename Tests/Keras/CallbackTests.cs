using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

public class CallbackTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-callbacks-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private static Sequential Regressor(int seed)
    {
        var model = new Sequential([
            new Layers.Dense(4, activation: "tanh", inputShape: [2]),
            new Layers.Dense(1),
        ]) { Seed = seed };
        model.Compile(new GradientDescentOptimizer(0.1), "mse");
        return model;
    }

    private static Sequential Classifier(int seed, double learningRate)
    {
        var model = new Sequential([
            new Layers.Dense(8, activation: "relu", inputShape: [2]),
            new Layers.Dense(1, activation: "sigmoid"),
        ]) { Seed = seed };
        model.Compile(new GradientDescentOptimizer(learningRate), "binary_crossentropy", ["accuracy"]);
        return model;
    }

    /// <summary>Rows i: x = (i / n, (i mod 3) / 3), y = x0 − x1 (a line a small net fits), or its sign as a class.</summary>
    private static (Tensor X, Tensor Y) Data(int n, bool classes = false)
    {
        var x = new float[n, 2];
        var y = new float[n, 1];
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = (float)i / n;
            x[i, 1] = i % 3 / 3f;
            float target = x[i, 0] - x[i, 1];
            y[i, 0] = classes ? (target > 0 ? 1 : 0) : target;
        }
        return (x, y);
    }

    /// <summary>Drives a callback through a scripted sequence of figures as Fit would, and returns the last epoch run.</summary>
    private static int RunScripted(Callback callback, Model model, string key, double[] values, Action<int>? beforeEpochEnd = null)
    {
        callback.Model = model;
        model.StopTraining = false;
        callback.OnTrainBegin();
        int epoch = 0;
        for (; epoch < values.Length; epoch++)
        {
            beforeEpochEnd?.Invoke(epoch);
            callback.OnEpochEnd(epoch, new Dictionary<string, double> { [key] = values[epoch] });
            if (model.StopTraining) break;
        }
        callback.OnTrainEnd();
        return Math.Min(epoch, values.Length - 1);
    }

    [Test]
    public void EarlyStoppingStopsWhenPatienceRunsOut()
    {
        var model = Regressor(1);
        double[] losses = [1.0, 0.8, 0.85, 0.79, 0.9, 0.95, 0.7];

        // 0.79 beats 0.8, so the waiting restarts at epoch 3; then 0.9 and 0.95 exhaust a patience of 2.
        var plain = new EarlyStopping(patience: 2);
        Assert.That(RunScripted(plain, model, "val_loss", losses), Is.EqualTo(5));
        Assert.That((plain.StoppedEpoch, plain.Best, plain.BestEpoch), Is.EqualTo(((int?)5, 0.79, 3)));

        // With minDelta 0.02, 0.79 is not enough better than 0.8: epochs 2 and 3 exhaust the patience.
        var strict = new EarlyStopping(minDelta: 0.02, patience: 2);
        Assert.That(RunScripted(strict, model, "val_loss", losses), Is.EqualTo(3));
        Assert.That((strict.StoppedEpoch, strict.Best, strict.BestEpoch), Is.EqualTo(((int?)3, 0.8, 1)));

        // Patience 0 stops at the first epoch that does not improve; it never stops at epoch 0.
        Assert.That(RunScripted(new EarlyStopping(), model, "val_loss", losses), Is.EqualTo(2));
        Assert.That(RunScripted(new EarlyStopping(mode: "max"), model, "val_loss", losses), Is.EqualTo(1));

        // A baseline not yet beaten keeps the count going even while the figure improves.
        var baseline = new EarlyStopping(monitor: "loss", patience: 2, baseline: 0.5);
        Assert.That(RunScripted(baseline, model, "loss", [0.9, 0.8, 0.7, 0.6]), Is.EqualTo(1));
        Assert.That(baseline.Best, Is.EqualTo(0.8));
        var beaten = new EarlyStopping(monitor: "loss", patience: 2, baseline: 0.85);
        Assert.That(RunScripted(beaten, model, "loss", [0.9, 0.8, 0.7, 0.6]), Is.EqualTo(3));
        Assert.That(beaten.StoppedEpoch, Is.Null, "it ran to the end");

        // NaN is never an improvement.
        Assert.That(RunScripted(new EarlyStopping(patience: 1), model, "val_loss", [1.0, double.NaN, 0.5]), Is.EqualTo(1));
    }

    [Test]
    public void EarlyStoppingMaximisesAccuracies()
    {
        var model = Regressor(1);
        double[] accuracy = [0.5, 0.7, 0.7, 0.65, 0.8];
        // auto reads "acc" as a figure to maximise: a tie at epoch 2 and a drop at 3 exhaust a patience of 2.
        var auto = new EarlyStopping(monitor: "val_accuracy", patience: 2);
        Assert.That(RunScripted(auto, model, "val_accuracy", accuracy), Is.EqualTo(3));
        Assert.That((auto.Best, auto.BestEpoch), Is.EqualTo((0.7, 1)));
        // Minimising it instead, epochs 1 and 2 are worse than 0.5.
        var min = new EarlyStopping(monitor: "val_accuracy", patience: 2, mode: "min");
        Assert.That(RunScripted(min, model, "val_accuracy", accuracy), Is.EqualTo(2));
        // An explicit max on a name without "acc".
        Assert.That(RunScripted(new EarlyStopping(monitor: "auc", patience: 2, mode: "max"), model, "auc", accuracy), Is.EqualTo(3));
    }

    [Test]
    public void RestoreBestWeightsEndsWithTheBestEpochsWeightsExactly()
    {
        var model = Regressor(2);
        var start = model.GetWeights();
        // Epoch e leaves every weight at e + 1, so the weights say which epoch they came from.
        void SetEpochWeights(int epoch) => model.SetWeights([.. start.Select(w => Filled(w, epoch + 1))]);

        var early = new EarlyStopping(patience: 2, restoreBestWeights: true);
        Assert.That(RunScripted(early, model, "val_loss", [3, 1, 2, 2.5, 0.5], SetEpochWeights), Is.EqualTo(3));
        AssertWeightsAre(model, 2, "epoch 1 had the lowest val_loss");

        // Without stopping early it still ends with the best, as Keras 3 does.
        var full = new EarlyStopping(patience: 10, restoreBestWeights: true);
        Assert.That(RunScripted(full, model, "val_loss", [3, 1, 2, 0.9, 1.5], SetEpochWeights), Is.EqualTo(4));
        AssertWeightsAre(model, 4, "epoch 3 had the lowest val_loss");

        // Nothing better than the first epoch: its weights come back.
        RunScripted(new EarlyStopping(patience: 1, restoreBestWeights: true), model, "val_loss", [double.NaN, double.NaN, 1], SetEpochWeights);
        AssertWeightsAre(model, 1, "no epoch improved, so the first is the best");

        // Without restoreBestWeights the last epoch's weights stay.
        RunScripted(new EarlyStopping(patience: 2), model, "val_loss", [3, 1, 2, 2.5, 0.5], SetEpochWeights);
        AssertWeightsAre(model, 4, "the weights of the last epoch run");
    }

    private static Tensor Filled(Tensor like, float value) =>
        Tensor.FromFlat(Enumerable.Repeat(value, like.Size).ToArray(), like.Shape);

    private static void AssertWeightsAre(Model model, float value, string because)
    {
        foreach (var w in model.GetWeights()) Assert.That(w.ToArray<float>(), Has.All.EqualTo(value), because);
    }

    [Test]
    public void EarlyStoppingInsideFitRestoresTheBestEpoch()
    {
        // A step too large for the data: the validation loss wanders, so the best epoch is not the last.
        var (x, y) = Data(40, classes: true);
        var model = Classifier(seed: 3, learningRate: 8);
        var weights = new List<Tensor[]>();
        var recorder = new LambdaCallback(onEpochEnd: (_, _) => weights.Add(model.GetWeights()));
        var early = new EarlyStopping(patience: 3, restoreBestWeights: true);
        var history = model.Fit(x, y, epochs: 30, batchSize: 4, validationSplit: 0.25, seed: 3, verbose: 0, callbacks: [recorder, early]);

        var valLoss = history["val_loss"].ToList();
        int best = valLoss.IndexOf(valLoss.Min());
        Assert.That(history.Epochs, Has.Count.EqualTo(best + 4), "stopped three epochs after the best");
        Assert.That(early.StoppedEpoch, Is.EqualTo(history.Epochs[^1]));
        var final = model.GetWeights();
        for (int i = 0; i < final.Length; i++)
            Assert.That(final[i].ToArray<float>(), Is.EqualTo(weights[best][i].ToArray<float>()), model.Weights[i].Name);
        Assert.That(final.SelectMany(w => w.ToArray<float>()), Is.Not.EqualTo(weights[^1].SelectMany(w => w.ToArray<float>())), "training moved on after the best epoch");
        Assert.That(model.Evaluate(SliceRows(x, 30, 10), SliceRows(y, 30, 10), batchSize: 4, verbose: 0)["loss"], Is.EqualTo(valLoss[best]).Within(1e-12));
    }

    [Test]
    public void EarlyStoppingExplainsAMissingFigure()
    {
        var (x, y) = Data(8);
        var e = Assert.Throws<InvalidOperationException>(() => Regressor(1).Fit(x, y, epochs: 2, verbose: 0, callbacks: [new EarlyStopping()]));
        Assert.That(e!.Message, Does.Contain("'val_loss'").And.Contain("only loss").And.Contain("validationSplit"));
        Assert.Throws<ArgumentException>(() => _ = new EarlyStopping(mode: "lowest"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new EarlyStopping(patience: -1));
    }

    [Test]
    public void LambdaCallbackIsCalledInFitsOrder()
    {
        var (x, y) = Data(8);
        var calls = new List<string>();
        var model = Regressor(1);
        var lambda = new LambdaCallback(
            onEpochBegin: e => calls.Add($"epoch_begin:{e}"),
            onEpochEnd: (e, logs) => calls.Add($"epoch_end:{e}:{string.Join(",", logs.Keys)}"),
            onTrainBegin: () => calls.Add("train_begin"),
            onTrainEnd: () => calls.Add("train_end"));
        var second = new LambdaCallback(onEpochEnd: (e, _) => calls.Add($"second:{e}"));
        model.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0, onEpochEnd: (e, _) => calls.Add($"fit_hook:{e}"), callbacks: [lambda, second]);
        Assert.That(calls, Is.EqualTo(new[]
        {
            "train_begin",
            "epoch_begin:0", "fit_hook:0", "epoch_end:0:loss", "second:0",
            "epoch_begin:1", "fit_hook:1", "epoch_end:1:loss", "second:1",
            "train_end",
        }));
        Assert.That(lambda.Model, Is.SameAs(model));

        // Null delegates do nothing.
        Assert.DoesNotThrow(() => model.Fit(x, y, epochs: 1, verbose: 0, callbacks: [new LambdaCallback()]));
    }

    [Test]
    public void CsvLoggerWritesAHeaderAndARowPerEpoch()
    {
        var (x, y) = Data(20, classes: true);
        string path = Path.Combine(_dir, "logs", "training.csv");
        var model = Classifier(seed: 1, learningRate: 0.5);
        var history = model.Fit(x, y, epochs: 3, batchSize: 5, validationSplit: 0.25, verbose: 0, callbacks: [new CsvLogger(path)]);

        var lines = File.ReadAllLines(path);
        Assert.That(lines[0], Is.EqualTo("epoch,accuracy,loss,val_accuracy,val_loss"), "Keras sorts the columns");
        Assert.That(lines, Has.Length.EqualTo(4));
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var fields = lines[epoch + 1].Split(',');
            Assert.That(fields[0], Is.EqualTo(epoch.ToString()));
            string[] keys = ["accuracy", "loss", "val_accuracy", "val_loss"];
            for (int k = 0; k < keys.Length; k++)
                Assert.That(double.Parse(fields[k + 1], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(history[keys[k]][epoch]),
                    $"{keys[k]} of epoch {epoch}, written to round-trip");
        }

        // append adds rows under the same header; initialEpoch numbers them on.
        var more = model.Fit(x, y, epochs: 5, initialEpoch: 3, batchSize: 5, validationSplit: 0.25, verbose: 0, callbacks: [new CsvLogger(path, append: true)]);
        lines = File.ReadAllLines(path);
        Assert.That(lines, Has.Length.EqualTo(6));
        Assert.That(lines.Count(l => l.StartsWith("epoch")), Is.EqualTo(1));
        Assert.That(lines[4], Does.StartWith("3,"));
        Assert.That(lines[5], Is.EqualTo("4," + string.Join(",", new[] { "accuracy", "loss", "val_accuracy", "val_loss" }
            .Select(k => more[k][1].ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));

        // Without append the file starts over, here with another separator and without validation.
        model.Fit(x, y, epochs: 1, batchSize: 5, verbose: 0, callbacks: [new CsvLogger(path, separator: ";")]);
        lines = File.ReadAllLines(path);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Is.EqualTo("epoch;accuracy;loss"));
        Assert.That(lines[1], Does.StartWith("0;"));
    }

    [Test]
    public void StopTrainingEndsFitAfterTheCurrentEpoch()
    {
        var (x, y) = Data(8);
        var model = Regressor(1);
        var begun = new List<int>();
        var stopper = new LambdaCallback(onEpochBegin: begun.Add, onEpochEnd: (e, _) => { if (e == 1) model.StopTraining = true; });
        var after = new List<int>();
        var later = new LambdaCallback(onEpochEnd: (e, _) => after.Add(e));
        var history = model.Fit(x, y, epochs: 10, batchSize: 4, verbose: 0, callbacks: [stopper, later]);
        Assert.That(history.Epochs, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(begun, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(after, Is.EqualTo(new[] { 0, 1 }), "the callbacks after the one that stops still see the epoch");
        Assert.That(model.StopTraining, Is.True);

        // The next Fit clears the flag and runs all its epochs.
        Assert.That(model.Fit(x, y, epochs: 3, verbose: 0).Epochs, Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(model.StopTraining, Is.False);
    }

    [Test]
    public void ValidationSplitHoldsOutTheLastRowsBeforeShuffling()
    {
        var (x, y) = Data(20);
        foreach (bool shuffle in new[] { true, false })
        {
            var model = Regressor(4);
            var history = model.Fit(x, y, epochs: 1, batchSize: 3, validationSplit: 0.25, shuffle: shuffle, seed: 4, verbose: 0);
            double last = model.Evaluate(SliceRows(x, 15, 5), SliceRows(y, 15, 5), batchSize: 3, verbose: 0)["loss"];
            double first = model.Evaluate(SliceRows(x, 0, 5), SliceRows(y, 0, 5), batchSize: 3, verbose: 0)["loss"];
            Assert.That(history.Last("val_loss"), Is.EqualTo(last).Within(1e-12), $"shuffle {shuffle}: the last 5 of 20 rows");
            Assert.That(history.Last("val_loss"), Is.Not.EqualTo(first).Within(1e-6), "and not the first");

            // The same model trained on the first 15 rows alone takes the same steps.
            var alone = Regressor(4);
            var aloneHistory = alone.Fit(SliceRows(x, 0, 15), SliceRows(y, 0, 15), epochs: 1, batchSize: 3, shuffle: shuffle, seed: 4, verbose: 0);
            Assert.That(history.Last("loss"), Is.EqualTo(aloneHistory.Last("loss")));
            Assert.That(model.GetWeights()[0].ToArray<float>(), Is.EqualTo(alone.GetWeights()[0].ToArray<float>()));
        }
    }

    [Test]
    public void InitialEpochNumbersTheEpochsOn()
    {
        var (x, y) = Data(8);
        var model = Regressor(1);
        var seen = new List<int>();
        var console = new StringWriter();
        var stdout = Console.Out;
        Console.SetOut(console);
        History history;
        try { history = model.Fit(x, y, epochs: 5, initialEpoch: 3, batchSize: 4, verbose: 2, callbacks: [new LambdaCallback(onEpochBegin: seen.Add)]); }
        finally { Console.SetOut(stdout); }
        Assert.That(history.Epochs, Is.EqualTo(new[] { 3, 4 }), "epochs is where to end, not how many to run");
        Assert.That(history["loss"], Has.Count.EqualTo(2));
        Assert.That(seen, Is.EqualTo(new[] { 3, 4 }));
        Assert.That(console.ToString(), Does.Contain("Epoch 4/5").And.Contain("Epoch 5/5").And.Not.Contain("Epoch 3/5"));

        Assert.That(model.Fit(x, y, epochs: 2, initialEpoch: 2, verbose: 0).Epochs, Is.Empty, "nothing left to run");
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y, initialEpoch: -1, verbose: 0));
    }

    private static Tensor SliceRows(Tensor t, int start, int count)
    {
        int rowSize = t.Size / t.Shape[0];
        return Tensor.FromFlat(t.ToArray<float>().Skip(start * rowSize).Take(count * rowSize).ToArray(), t.Shape.WithDim(0, count));
    }
}
