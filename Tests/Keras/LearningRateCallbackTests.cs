using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>
/// ReduceLROnPlateau and LearningRateScheduler. The fits use labels far above a linear model's reach with the mae loss,
/// so the bias's gradient is exactly -1 at every step and one step over the whole batch raises the bias by the rate.
/// </summary>
public class LearningRateCallbackTests
{
    private static readonly Tensor X = new float[,] { { 0.5f, -1 }, { 1, 2 }, { -0.5f, 0.25f }, { 2, 1 } };
    private static readonly Tensor FarY = new float[,] { { 1e4f }, { 1e4f }, { 1e4f }, { 1e4f } };
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-lr-callbacks-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private static Sequential Linear(double rate)
    {
        var model = new Sequential([new Layers.Dense(1, inputShape: [2])]) { Seed = 4 };
        model.Compile(new GradientDescentOptimizer(rate), "mae");
        return model;
    }

    /// <summary>Fits one step per epoch and returns how much each epoch raised the bias, that is the rate it used.</summary>
    private static (double[] RatesUsed, History History) Fit(Sequential model, int epochs, int initialEpoch, params Callback[] callbacks)
    {
        var biases = new List<double>();
        var watch = new LambdaCallback(onEpochBegin: _ => biases.Add(model.GetWeights()[1].GetDouble(0)));
        var history = model.Fit(X, FarY, epochs: epochs, batchSize: 4, verbose: 0, initialEpoch: initialEpoch, callbacks: [.. callbacks, watch]);
        biases.Add(model.GetWeights()[1].GetDouble(0));
        return ([.. biases.Zip(biases.Skip(1), (before, after) => after - before)], history);
    }

    [Test]
    public void LearningRateSchedulerSetsEachEpochsRateFromInitialEpochOn()
    {
        var model = Linear(0.1);
        var seen = new List<(int Epoch, double Rate)>();
        var scheduler = new LearningRateScheduler((epoch, rate) =>
        {
            seen.Add((epoch, rate));
            return 0.01 * (epoch + 1);
        });
        var csv = Path.Combine(_dir, "log.csv");
        var (used, history) = Fit(model, epochs: 5, initialEpoch: 2, scheduler, new CsvLogger(csv));

        Assert.That(seen.Select(s => s.Epoch), Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(seen.Select(s => s.Rate), Is.EqualTo(new[] { 0.1, 0.03, 0.04 }).Within(1e-8), "each call gets the current rate");
        double[] expected = [0.03, 0.04, 0.05];
        Assert.That(used, Is.EqualTo(expected).Within(1e-6), "the step of each epoch ran at the rate set for it");
        Assert.That(history["lr"], Is.EqualTo(expected).Within(1e-8));
        var lines = File.ReadAllLines(csv);
        Assert.That(lines[0].Split(','), Does.Contain("lr"));
        int column = Array.IndexOf(lines[0].Split(','), "lr");
        Assert.That(lines.Skip(1).Select(l => double.Parse(l.Split(',')[column], System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo(expected).Within(1e-8));
    }

    [Test]
    public void ASchedulerOfTheEpochAloneSetsTheRateToo()
    {
        var model = Linear(0.1);
        var (used, _) = Fit(model, epochs: 3, initialEpoch: 0, new LearningRateScheduler(epoch => 0.1 / (epoch + 1)));
        Assert.That(used, Is.EqualTo(new[] { 0.1, 0.05, 0.1 / 3 }).Within(1e-6));
    }

    [Test]
    public void ReduceLROnPlateauLowersTheRateTheNextStepUses()
    {
        // In "max" mode a falling loss never improves after the first epoch, so with patience 1 every later epoch
        // halves the rate for the epoch after it.
        var model = Linear(0.1);
        var plateau = new ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, mode: "max");
        var (used, history) = Fit(model, epochs: 4, initialEpoch: 0, plateau);
        double[] expected = [0.1, 0.1, 0.05, 0.025];
        Assert.That(used, Is.EqualTo(expected).Within(1e-6));
        Assert.That(history["lr"], Is.EqualTo(expected).Within(1e-8), "each epoch logs the rate it trained at");
        Assert.That(model.Optimizer.LearningRate, Is.EqualTo(0.0125).Within(1e-8));
    }

    [Test]
    public void ReduceLROnPlateauKeepsPatienceCooldownAndMinLr()
    {
        var model = Linear(0.1);
        var plateau = new ReduceLROnPlateau(factor: 0.5, patience: 2, cooldown: 1, minLr: 0.02);
        plateau.Model = model;
        plateau.OnTrainBegin();
        // 1.0 and 0.9 improve; from then on nothing beats 0.9 by more than minDelta (1e-4), except 0.5 at epoch 9.
        double[] valLoss = [1.0, 0.9, 0.9, 0.9, 0.9, 0.89995, 0.9, 0.9, 0.9, 0.5, 0.6, 0.6, 0.6, 0.6];
        var logged = new List<double>();
        var waits = new List<int>();
        for (int epoch = 0; epoch < valLoss.Length; epoch++)
        {
            var logs = new Dictionary<string, double> { ["val_loss"] = valLoss[epoch] };
            plateau.OnEpochEnd(epoch, logs);
            logged.Add(logs["lr"]);
            waits.Add(plateau.Wait);
        }
        // Epoch 3 runs out of patience (2 epochs without improvement): 0.05, and epoch 4 is a cooldown epoch, which
        // counts down to zero and so already counts towards the patience: epoch 5 halves again, epoch 7 stops at
        // minLr (0.0125 would be below it), epoch 9 improves, and at minLr nothing more is lowered.
        Assert.That(logged, Is.EqualTo(new[] { 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02 }).Within(1e-8));
        Assert.That(waits, Is.EqualTo(new[] { 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 2, 3, 4 }));
        Assert.That(plateau.Best, Is.EqualTo(0.5));
        Assert.That(model.Optimizer.LearningRate, Is.EqualTo(0.02).Within(1e-8));
    }

    [Test]
    public void ReduceLROnPlateauWithoutCooldownReducesEveryPatienceEpochs()
    {
        var model = Linear(1.0);
        var plateau = new ReduceLROnPlateau(monitor: "val_accuracy", factor: 0.1, patience: 3);
        plateau.Model = model;
        plateau.OnTrainBegin();
        var logged = new List<double>();
        // "auto" watches an accuracy upwards: 0.5, then 0.6 improves, then nothing does.
        double[] accuracy = [0.5, 0.6, 0.6, 0.55, 0.6, 0.6, 0.6, 0.6];
        for (int epoch = 0; epoch < accuracy.Length; epoch++)
        {
            var logs = new Dictionary<string, double> { ["val_accuracy"] = accuracy[epoch] };
            plateau.OnEpochEnd(epoch, logs);
            logged.Add(logs["lr"]);
        }
        Assert.That(logged, Is.EqualTo(new[] { 1.0, 1.0, 1.0, 1.0, 1.0, 0.1, 0.1, 0.1 }).Within(1e-7));
        Assert.That(model.Optimizer.LearningRate, Is.EqualTo(0.01).Within(1e-8));
    }

    [Test]
    public void BadArgumentsAndAMissingFigureAreClearErrors()
    {
        Assert.That(() => new ReduceLROnPlateau(factor: 1.0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ReduceLROnPlateau(mode: "up"), Throws.ArgumentException.With.Message.Contains("mode"));
        var plateau = new ReduceLROnPlateau() { Model = Linear(0.1) };
        Assert.That(() => plateau.OnEpochEnd(0, new Dictionary<string, double> { ["loss"] = 1 }),
            Throws.InvalidOperationException.With.Message.Contains("val_loss").And.Message.Contains("validationSplit"));
        var schedule = new LearningRateScheduler((_, _) => double.NaN) { Model = Linear(0.1) };
        Assert.That(() => schedule.OnEpochBegin(0), Throws.InvalidOperationException.With.Message.Contains("epoch 0"));
    }
}
