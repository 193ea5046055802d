using System.Text.RegularExpressions;
using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Keras;

/// <summary>verbose 0, 1 and 2: Keras's progress bar and lines, read through Console.SetOut.</summary>
[NonParallelizable]
public class ProgressTests
{
    private const string Figure = @"\d+\.\d{4}";
    private const string PerUnit = @"\d+(s|ms|us)";

    private static readonly Tensor X = Tensor.FromFlat(Enumerable.Range(0, 20).Select(i => (float)(i % 3) / 2).ToArray(), new Shape(10, 2));
    private static readonly Tensor Y = Tensor.FromFlat(Enumerable.Range(0, 10).Select(i => (float)(i % 2)).ToArray(), new Shape(10, 1));

    private static Sequential Model()
    {
        var model = new Sequential([new Layers.Dense(1, activation: "sigmoid", inputShape: [2])]) { Seed = 1 };
        model.Compile(new GradientDescentOptimizer(0.1), "binary_crossentropy", ["accuracy"]);
        return model;
    }

    /// <summary>What <paramref name="run"/> prints, with the bar redrawn in place as on a terminal or not.</summary>
    private static string Printed(Action run, bool redraws)
    {
        var console = Console.Out;
        var redrawing = GraphDL.Keras.Model.ConsoleShowsRedraws;
        var output = new StringWriter();
        Console.SetOut(output);
        GraphDL.Keras.Model.ConsoleShowsRedraws = () => redraws;
        try
        {
            run();
        }
        finally
        {
            Console.SetOut(console);
            GraphDL.Keras.Model.ConsoleShowsRedraws = redrawing;
        }
        return output.ToString();
    }

    [Test]
    public void VerboseZeroPrintsNothing()
    {
        var model = Model();
        string printed = Printed(() =>
        {
            model.Fit(X, Y, epochs: 2, batchSize: 4, validationSplit: 0.2, verbose: 0);
            model.Evaluate(X, Y, verbose: 0);
            model.Predict(X, verbose: 0);
        }, redraws: true);
        Assert.That(printed, Is.Empty);
    }

    [Test]
    public void VerboseOneRedrawsTheBarInPlaceThenEndsWithTheEpochsLine()
    {
        // Each step waits past the tenth of a second between redraws, so that every step but the last draws the bar.
        string printed = Printed(() => Model().Fit(X, Y, epochs: 1, batchSize: 3, shuffle: false, verbose: 1,
            validationData: (X, Y), onBatchEnd: (_, _) => Thread.Sleep(120)), redraws: true);
        string[] lines = printed.Split('\n');
        Assert.That(lines, Has.Length.EqualTo(3), "the epoch's title, the bar's line and the empty rest after its newline");
        Assert.That(lines[0], Is.EqualTo("Epoch 1/1"));
        Assert.That(lines[2], Is.Empty);
        string[] draws = lines[1].Split('\r');
        Assert.That(draws, Has.Length.EqualTo(4), "steps 1 to 3 of 4 redraw the bar, then the final line");
        // Keras's bar: ⌊30 · step / steps⌋ cells done, the last of them '>' while the epoch runs.
        string[] bars = ["1/4 [======>.......................]", "2/4 [==============>...............]", "3/4 [=====================>........]"];
        for (int i = 0; i < 3; i++)
            Assert.That(draws[i], Does.Match($@"^{Regex.Escape(bars[i])} - ETA: \d+s - loss: {Figure} - accuracy: {Figure} *$"), $"draw {i + 1}");
        Assert.That(draws[3], Does.Match($@"^4/4 \[={{30}}\] - \d+s {PerUnit}/step - loss: {Figure} - accuracy: {Figure} - val_loss: {Figure} - val_accuracy: {Figure} *$"));
    }

    [Test]
    public void VerboseOneIntoAFileWritesOnlyEachEpochsFinalLine()
    {
        var model = Model();
        string printed = Printed(() => model.Fit(X, Y, epochs: 2, batchSize: 4, verbose: 1, onBatchEnd: (_, _) => Thread.Sleep(120)), redraws: false);
        Assert.That(printed, Does.Not.Contain("\r"));
        string[] lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(4));
        foreach (int epoch in new[] { 1, 2 })
        {
            Assert.That(lines[2 * epoch - 2], Is.EqualTo($"Epoch {epoch}/2"));
            Assert.That(lines[2 * epoch - 1], Does.Match($@"^3/3 \[={{30}}\] - \d+s {PerUnit}/step - loss: {Figure} - accuracy: {Figure}$"));
        }
    }

    [Test]
    public void VerboseTwoWritesOneLinePerEpoch()
    {
        string printed = Printed(() => Model().Fit(X, Y, epochs: 2, batchSize: 4, verbose: 2, onBatchEnd: (_, _) => Thread.Sleep(120)), redraws: true);
        Assert.That(printed, Does.Not.Contain("\r"));
        string[] lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.EqualTo(new[] { "Epoch 1/2", lines[1], "Epoch 2/2", lines[3] }));
        foreach (var line in new[] { lines[1], lines[3] })
            Assert.That(line, Does.Match($@"^3/3 - \d+s - loss: {Figure} - accuracy: {Figure} - {PerUnit}/epoch - {PerUnit}/step$"));
    }

    [Test]
    public void EvaluateAndPredictShowTheirBarsToo()
    {
        var model = Model();
        IReadOnlyDictionary<string, double> logs = null!;
        string evaluated = Printed(() => logs = model.Evaluate(X, Y, batchSize: 2, verbose: 1), redraws: false);
        Assert.That(evaluated, Does.Match($@"^5/5 \[={{30}}\] - \d+s {PerUnit}/step - loss: {Figure} - accuracy: {Figure}\n$"));
        Assert.That(evaluated, Does.Contain($"loss: {logs["loss"].ToString("F4", System.Globalization.CultureInfo.InvariantCulture)} "),
            "the figure printed is the one returned, to four decimals");
        string briefly = Printed(() => model.Evaluate(X, Y, batchSize: 2, verbose: 2), redraws: true);
        Assert.That(briefly, Does.Match($@"^5/5 - \d+s - loss: {Figure} - accuracy: {Figure} - {PerUnit}/epoch - {PerUnit}/step\n$"));
        string predicted = Printed(() => model.Predict(X, batchSize: 4, verbose: 1), redraws: false);
        Assert.That(predicted, Does.Match($@"^3/3 \[={{30}}\] - \d+s {PerUnit}/step\n$"));
    }

    [Test]
    public void AVerboseOtherThanZeroOneOrTwoIsAnError()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model().Fit(X, Y, verbose: 3));
        Assert.That(e!.Message, Does.StartWith("verbose is 0 (silent), 1 (a progress bar) or 2 (one line per epoch)."));
    }
}
