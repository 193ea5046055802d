using GraphDL.Keras;
using GraphDL.Summaries;
using NUnit.Framework;

namespace GraphDL.Tests.Summaries;

/// <summary>Keras's TensorBoard callback: a train and a validation run, one point per epoch under the same tags.</summary>
public class TensorBoardCallbackTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-tensorboard-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void EachEpochLogsTrainingAndValidationFiguresUnderOneTag()
    {
        var model = new Sequential([
            new Layers.Dense(4, activation: "tanh", inputShape: [2]),
            new Layers.Dense(1, activation: "sigmoid"),
        ]) { Seed = 2 };
        model.Compile(new GradientDescentOptimizer(0.1), "binary_crossentropy", ["accuracy"]);
        var x = new float[16, 2];
        var y = new float[16, 1];
        for (int i = 0; i < 16; i++) (x[i, 0], x[i, 1], y[i, 0]) = (i / 16f, i % 3 / 3f, i / 16f > i % 3 / 3f ? 1 : 0);

        var history = model.Fit(x, y, epochs: 3, batchSize: 4, validationSplit: 0.25, seed: 1, verbose: 0,
            callbacks: [new TensorBoard(_dir, histogramFreq: 2)]);

        var train = EventLog.Read(Path.Combine(_dir, "train"));
        var validation = EventLog.Read(Path.Combine(_dir, "validation"));
        Assert.That(train.Scalars("epoch_loss").Select(e => e.Step), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(train.Scalars("epoch_loss").Select(e => e.Value), Is.EqualTo(history["loss"]));
        Assert.That(train.Scalars("epoch_accuracy").Select(e => e.Value), Is.EqualTo(history["accuracy"]));
        Assert.That(validation.Scalars("epoch_loss").Select(e => e.Value), Is.EqualTo(history["val_loss"]));
        Assert.That(validation.Scalars("epoch_accuracy").Select(e => e.Step), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(validation.Events.OfType<HistogramEvent>(), Is.Empty);
        Assert.That(validation.Graph, Is.Null);

        var histograms = train.Events.OfType<HistogramEvent>().ToList();
        Assert.That(histograms.Select(h => h.Step).Distinct(), Is.EqualTo(new long[] { 0, 2 }), "every second epoch");
        Assert.That(histograms.Select(h => h.Tag).Distinct(), Is.EquivalentTo(model.Weights.Select(w => w.Name)));
        Assert.That(train.Graph!.Nodes.Count(n => n.Kind == NodeKind.Optimizer), Is.GreaterThan(0));
        Assert.That(EventLog.FindRuns(_dir), Is.EqualTo(new[] { "train", "validation" }));

        string saved = Path.Combine(_dir, "model.keras");
        model.Save(saved);
        var loaded = Models.LoadModel(saved);
        Assert.That(loaded.GetWeights().Select(w => w.ToDoubles()), Is.EqualTo(model.GetWeights().Select(w => w.ToDoubles())),
            "the logged model saves and loads whole");
    }
}
