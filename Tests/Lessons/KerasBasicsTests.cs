using GraphDL.Summaries;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// One epoch of the MNIST quickstart instead of five (Tour checks the 0.97 the five reach); every other model of the
/// lesson trains in full, so its counts, its falling losses and the four ways agreeing to the bit are all checked here.
/// </summary>
public class KerasBasicsTests
{
    [Test]
    public void ShortRunBuildsAndTrainsEverySlidesModel()
    {
        var result = LessonHarness.RunAndExpectPass("KerasBasics", "--steps", "1");
        Assert.That(result.Steps, Is.EqualTo(1));

        // The slides' parameter counts, worked out here from the layers' sizes: inputs × units + units per Dense,
        // 4 × units × (inputs + units + 1) for the LSTM.
        static long Dense(long inputs, long units) => inputs * units + units;
        Assert.That(result.Figure("quickstart: total params").Ours, Is.EqualTo((double)(Dense(28 * 28, 128) + Dense(128, 10))).And.EqualTo(101_770.0));
        Assert.That(result.Figure("Dense(64) + Dense(10): total params").Ours, Is.EqualTo((double)(Dense(100, 64) + Dense(64, 10))).And.EqualTo(7_114.0));
        Assert.That(result.Figure("Iris Dense(3): total params").Ours, Is.EqualTo((double)Dense(4, 3)));
        Assert.That(result.Figure("functional 10-64-64-1: total params").Ours, Is.EqualTo((double)(Dense(10, 64) + Dense(64, 64) + Dense(64, 1))).And.EqualTo(4_929.0));
        Assert.That(result.Figure("functional 10-8-4-1: total params").Ours, Is.EqualTo((double)(Dense(10, 8) + Dense(8, 4) + Dense(4, 1))).And.EqualTo(129.0));
        long twoInputs = Dense(64, 16) + Dense(16, 8) + Dense(128, 64) + Dense(64, 32) + Dense(32, 8) + Dense(8 + 8, 2) + Dense(2, 1);
        Assert.That(result.Figure("two inputs: total params").Ours, Is.EqualTo((double)twoInputs).And.EqualTo(11_813.0));
        Assert.That(result.Figure("LSTM: total params").Ours, Is.EqualTo((double)(4 * 10 * (1 + 10 + 1) + Dense(10, 10) + Dense(10, 1))).And.EqualTo(601.0));
        foreach (string way in new[] { "1 Sequential([...])", "2 Sequential().add", "3 functional Model", "4 subclassed CustomModel" })
            Assert.That(result.Figure($"4-5-10-3 {way}: total params").Ours, Is.EqualTo((double)(Dense(4, 5) + Dense(5, 10) + Dense(10, 3))).And.EqualTo(118.0));

        // The four ways trained alike, and every fitted model's loss fell.
        foreach (string way in new[] { "2 Sequential().add", "3 functional Model", "4 subclassed CustomModel" })
            Assert.That(result.Figure($"4-5-10-3 {way}: the same loss as 1 Sequential([...]) in every epoch").Passed, Is.True, way);
        string[] falling = [.. result.Figures.Where(f => f.Name.EndsWith("loss falls (first epoch -> last)", StringComparison.Ordinal)).Select(f => f.Name)];
        Assert.That(falling, Has.Length.EqualTo(9), string.Join(", ", falling));

        // One epoch cannot show the quickstart's loss falling or promise its accuracy: both are left to the full run.
        Assert.That(result.Figures.Any(f => f.Name == "quickstart: loss falls (first epoch -> last)"), Is.False);
        var accuracy = result.Figure("quickstart: test accuracy after 5 epochs");
        Assert.That(accuracy.Passed, Is.Null);
        Assert.That(accuracy.Rule, Does.StartWith("skipped"));
        // One epoch of Adam already reads most digits.
        Assert.That((double)result.Figure("quickstart: test accuracy").Ours!, Is.InRange(0.9, 1.0));

        // The quickstart saved whole and loaded back predicts the same bits and scores the same.
        Assert.That(result.Figure("quickstart saved and loaded: predictions on the test set that differ in any bit").Ours, Is.EqualTo(0.0));
        Assert.That(result.Figure("quickstart saved and loaded: evaluate accuracy, the same").Passed, Is.True);
        Assert.That(File.Exists(LessonHarness.OutFile("KerasBasics", "quickstart.keras")));

        // categorical_crossentropy on one sigmoid output is constant, so the slide's compile trains nothing.
        Assert.That(result.Figure("10-64-64-1 with categorical_crossentropy: largest weight change in an epoch").Ours, Is.EqualTo(0.0));
        Assert.That((string)result.Figure("Dense(2, activation='rulu') is refused").Ours!, Does.Contain("'rulu'"));

        FigureAssert.IsFigure(LessonHarness.OutFile("KerasBasics", "losses.png"), 1000, 600);
        FigureAssert.IsFigure(LessonHarness.OutFile("KerasBasics", "quickstart.png"));

        CheckBoard(result);
    }

    // Every Fit passed the TensorBoard callback a run of its own: the graph and each epoch's figures in <run>/train, the
    // validation figures, where the fit had validation data, in <run>/validation.
    private static void CheckBoard(GraphDL.Lessons.LessonResult result)
    {
        string[] trainOnly = ["quickstart", "sequential", "iris", "ffnn_categorical", "ffnn_binary", "small", "linear", "linear_verbose",
                              "two_inputs", "lstm", "four_ways/1", "four_ways/2", "four_ways/3", "four_ways/4"];
        string[] validated = ["logistic_lr0.01", "logistic_lr0.001"];
        Assert.That(BoardAssert.Runs("KerasBasics"), Is.EquivalentTo(
            trainOnly.Concat(validated).Select(run => $"{run}/train").Concat(validated.Select(run => $"{run}/validation"))));

        var quickstart = BoardAssert.Run("KerasBasics", "quickstart/train");
        var graph = quickstart.HasGraph(("flatten_input", NodeKind.Placeholder), ("dense/kernel", NodeKind.Variable), ("dense/bias", NodeKind.Variable),
            ("dense_1/kernel", NodeKind.Variable), ("dense_1/bias", NodeKind.Variable));
        Assert.That(graph.Nodes.Count(n => n.Kind == NodeKind.Gradient), Is.GreaterThan(0), "the training graph, with its gradients");
        Assert.That(graph.Nodes.Count(n => n.Kind == NodeKind.Optimizer), Is.GreaterThan(0), "and Adam's updates");
        quickstart.HasScalars("epoch_loss", [0]);
        quickstart.HasScalars("epoch_accuracy", [0]);

        // One point per epoch, counted from 0 as Keras's callbacks count: 100 for Iris, 50 and then 5 for the logistic model.
        BoardAssert.Run("KerasBasics", "iris/train").HasScalars("epoch_loss", BoardAssert.Steps(0, 99));
        foreach (var (run, epochs) in new[] { ("logistic_lr0.01", 50), ("logistic_lr0.001", 5) })
            foreach (string part in new[] { "train", "validation" })
            {
                var log = BoardAssert.Run("KerasBasics", $"{run}/{part}");
                log.HasScalars("epoch_loss", BoardAssert.Steps(0, epochs - 1));
                log.HasScalars("epoch_accuracy", BoardAssert.Steps(0, epochs - 1));
            }
        Assert.That(BoardAssert.Run("KerasBasics", "logistic_lr0.01/validation").Graph, Is.Null, "the graph goes to the train run only");

        // The four ways of building one network trained alike; on the board their four curves are one.
        var fourWays = Enumerable.Range(1, 4).Select(way => BoardAssert.Run("KerasBasics", $"four_ways/{way}/train").HasScalars("epoch_loss", BoardAssert.Steps(0, 19))).ToList();
        foreach (var way in fourWays.Skip(1)) Assert.That(way, Is.EqualTo(fourWays[0]));
        Assert.That(fourWays[0][^1], Is.EqualTo((double)result.Figure("4-5-10-3 2 Sequential().add: the same loss as 1 Sequential([...]) in every epoch").Ours!));
    }
}
