using SkiaSharp;
using GraphDL.Summaries;
using NUnit.Framework;

namespace GraphDL.Tests.Summaries;

/// <summary>Summary ops in a graph: fetched alone or with a training step, logged, and told apart in graph.json.</summary>
public class SummaryOpTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-summaries-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    /// <summary>y = xW + b fitted by mean squared error, on three rows.</summary>
    private sealed class LinearModel
    {
        public readonly Graph G = new();
        public readonly Output X, Y, W, B, Loss;

        public LinearModel()
        {
            X = G.Placeholder(DType.Float32, new Shape(-1, 2), "x");
            Y = G.Placeholder(DType.Float32, new Shape(-1, 1), "y");
            W = G.Variable(new float[,] { { 0.5f }, { -0.25f } }, "W");
            B = G.Variable(new float[] { 0.1f }, "b");
            Loss = G.ReduceMean(G.Square(G.MatMul(X, W) + B - Y), name: "loss");
        }

        public FeedDict Feeds => new()
        {
            [X] = new float[,] { { 1, 2 }, { 3, 4 }, { -1, 0.5f } },
            [Y] = new float[,] { { 1 }, { 0 }, { 2 } },
        };
    }

    [Test]
    public void SummariesFetchedWithATrainingStepSeeTheStepsLoss()
    {
        var m = new LinearModel();
        var lossSummary = Summary.Scalar("loss", m.Loss);
        Summary.Histogram("W", m.W);
        var train = new GradientDescentOptimizer(0.05).Minimize(m.Loss);
        var merged = Summary.MergeAll(m.G);
        Assert.That(lossSummary.Node.Name, Is.EqualTo("loss_1"), "the node's name is made unique...");
        Assert.That(((SummaryOp)lossSummary.Node.Op).Tag, Is.EqualTo("loss"), "...but the tag stays as given");

        using var session = new Session(m.G);
        session.Run(m.G.GlobalVariablesInitializer());
        var expected = new List<double>();
        using (var writer = new FileWriter(_dir))
            for (int step = 0; step < 3; step++)
            {
                expected.Add(session.Run(m.Loss, m.Feeds).GetDouble(0));
                var (summary, results) = session.Run(merged, [train], m.Feeds);
                Assert.That(results, Has.Count.EqualTo(1));
                writer.AddSummary(summary, step);
            }
        Assert.That(expected.Distinct().Count(), Is.EqualTo(3), "the training step changed the loss each time");

        var log = EventLog.Read(_dir);
        Assert.That(log.Scalars("loss").Select(e => e.Value), Is.EqualTo(expected).Within(1e-6));
        Assert.That(log.Events.OfType<HistogramEvent>().Where(e => e.Tag == "W").Select(e => e.Count), Is.EqualTo(new long[] { 2, 2, 2 }));
    }

    [Test]
    public void AMergedSummaryRunsAloneAndKeepsItsScopeInTheTag()
    {
        var m = new LinearModel();
        using (m.G.NameScope("layer1")) Summary.Histogram("weights", m.W);
        using var session = new Session(m.G);
        session.Run(m.G.GlobalVariablesInitializer());
        var summary = session.Run(Summary.MergeAll(m.G), m.Feeds);
        var histogram = ((HistogramValue)summary["layer1/weights"]).Histogram;
        Assert.That((histogram.Min, histogram.Max, histogram.Count), Is.EqualTo((-0.25, 0.5, 2L)));
    }

    [Test]
    public void ASummaryLeavesGradientsAsTheyWere()
    {
        var plain = new LinearModel();
        var summarised = new LinearModel();
        Summary.Scalar("loss", summarised.Loss);
        Summary.Histogram("W", summarised.W);
        using var a = new Session(plain.G);
        using var b = new Session(summarised.G);
        a.Run(plain.G.GlobalVariablesInitializer());
        b.Run(summarised.G.GlobalVariablesInitializer());
        var dA = a.Run(plain.G.Gradients([plain.Loss], [plain.W])[0]!.Value, plain.Feeds).ToDoubles();
        var dB = b.Run(summarised.G.Gradients([summarised.Loss], [summarised.W])[0]!.Value, summarised.Feeds).ToDoubles();
        Assert.That(dB, Is.EqualTo(dA));
        Assert.That(summarised.G.Nodes.Count(n => n.Op is SummaryOp), Is.EqualTo(2));
    }

    [Test]
    public void ATrainingStepAloneDoesNotRunTheSummaries()
    {
        var m = new LinearModel();
        var summary = Summary.Scalar("loss", m.Loss);
        var train = new GradientDescentOptimizer(0.05).Minimize(m.Loss);
        using var session = new Session(m.G) { Profile = new RunProfile() };
        session.Run(m.G.GlobalVariablesInitializer());
        session.Run(train, m.Feeds);
        Assert.That(session.Profile.Entries.Select(e => e.Node), Does.Not.Contain(summary.Node));
    }

    [Test]
    public void TheGraphFileCountsEachKindOfALinearModelTrainedByGradientDescent()
    {
        var m = new LinearModel();
        Summary.Scalar("loss", m.Loss);
        var optimizer = new GradientDescentOptimizer(0.1);
        int beforeGradients = m.G.Nodes.Count;
        var gradients = optimizer.ComputeGradients(m.Loss);
        int beforeUpdates = m.G.Nodes.Count;
        optimizer.ApplyGradients(gradients);
        int afterUpdates = m.G.Nodes.Count;
        using (var writer = new FileWriter(_dir)) writer.AddGraph(m.G);

        var nodes = EventLog.Read(_dir).Graph!.Nodes;
        int Count(NodeKind kind) => nodes.Count(n => n.Kind == kind);
        Assert.That(nodes, Has.Count.EqualTo(m.G.Nodes.Count));
        Assert.That(Count(NodeKind.Placeholder), Is.EqualTo(2), "x and y");
        Assert.That(Count(NodeKind.Variable), Is.EqualTo(2), "W and b");
        Assert.That(Count(NodeKind.Summary), Is.EqualTo(1));
        Assert.That(Count(NodeKind.Gradient), Is.EqualTo(beforeUpdates - beforeGradients), "every node ComputeGradients built");
        // Gradient descent adds its learning-rate constant, one ApplyGradientDescent per variable and the group that runs them.
        Assert.That(afterUpdates - beforeUpdates, Is.EqualTo(4));
        Assert.That(Count(NodeKind.Optimizer), Is.EqualTo(4));
        Assert.That(nodes.Where(n => n.Kind == NodeKind.Optimizer).Select(n => n.Op),
            Is.EquivalentTo(new[] { "Const", "ApplyGradientDescent", "ApplyGradientDescent", "NoOp" }));

        var matMul = nodes.Single(n => n.Op == "MatMul" && n.Kind == NodeKind.Op);
        Assert.That(matMul.Inputs, Is.EqualTo(new[] { "x", "W" }));
        Assert.That(matMul.Shape, Is.EqualTo(new[] { -1, 1 }));
        Assert.That(matMul.Dtype, Is.EqualTo("float32"));
        Assert.That(matMul.Attrs, Does.ContainKey("TransposeA").WithValue("False"));
        var update = nodes.First(n => n.Op == "ApplyGradientDescent");
        Assert.That(update.Scope, Is.EqualTo("GradientDescent"));
        Assert.That(File.ReadAllText(Path.Combine(_dir, EventLog.GraphFileName)), Does.StartWith("{\"format\":\"graphdl-graph\",\"version\":1,\"nodes\":["));
    }

    [Test]
    public void TheProfileFileSaysWhereEachNodeRanAndItsShape()
    {
        var m = new LinearModel();
        using var session = new Session(m.G) { Profile = new RunProfile() };
        session.Run(m.G.GlobalVariablesInitializer());
        for (int i = 0; i < 4; i++) session.Run(m.Loss, m.Feeds);
        using (var writer = new FileWriter(_dir)) writer.AddRunProfile(session.Profile, 4);

        var profile = EventLog.Read(_dir).Profile!;
        Assert.That(profile.Step, Is.EqualTo(4));
        var matMul = profile.Nodes[m.G.Nodes.Single(n => n.Op is MatMul).Name];
        Assert.That((matMul.Device, matMul.Backend, matMul.Calls), Is.EqualTo(("cpu", "CPU", 4L)));
        Assert.That(matMul.Shape, Is.EqualTo(new[] { 3, 1 }), "the batch of three fed");
        Assert.That(matMul.Ms, Is.GreaterThan(0));
    }

    [TestCase(3, 2, 2)]
    [TestCase(1, 3, 2)]
    [TestCase(4, 1, 1)]
    public void AnImageSummaryWritesPngsOfTheBatchsSize(int channels, int batch, int logged)
    {
        const int height = 5, width = 7;
        var g = new Graph();
        var images = g.Placeholder(DType.Float32, new Shape(-1, height, width, channels), "images");
        Summary.Image("input", images, maxOutputs: 2);
        var pixels = new float[batch * height * width * channels];
        for (int k = 0; k < pixels.Length; k++)   // 0, 0.5, 1: the levels 0, 128, 255; alpha, when there is one, opaque
            pixels[k] = channels == 4 && k % 4 == 3 ? 1 : k / channels % (height * width) % 3 / 2f;
        using var session = new Session(g);
        using (var writer = new FileWriter(_dir))
            writer.AddSummary(session.Run(Summary.MergeAll(g), new FeedDict { [images] = Tensor.FromFlat(pixels, new Shape(batch, height, width, channels)) }), 12);

        var events = EventLog.Read(_dir).Events.OfType<ImageEvent>().ToList();
        Assert.That(events, Has.Count.EqualTo(logged));
        Assert.That(events.Select(e => e.File), Is.EqualTo(Enumerable.Range(0, logged).Select(i => $"images/input/000012_{i}.png")));
        foreach (var e in events)
        {
            Assert.That((e.Width, e.Height, e.Channels), Is.EqualTo((width, height, channels)));
            // Decoded by SkiaSharp, a reader that is not the writer's.
            using var png = SKBitmap.Decode(Path.Combine(_dir, e.File));
            Assert.That(png, Is.Not.Null, "a PNG SkiaSharp can read");
            Assert.That((png.Width, png.Height), Is.EqualTo((width, height)));
            var first = png.GetPixel(0, 0);
            Assert.That((first.Red, first.Alpha), Is.EqualTo((0, 255)), "value 0, opaque");
            Assert.That(png.GetPixel(1, 0).Green, Is.EqualTo(128), "value 0.5 of a [0, 1] image");
            Assert.That(png.GetPixel(2, 0).Blue, Is.EqualTo(255), "value 1");
        }
    }

    [Test]
    public void TextIsMadeFromTheFetchedValue()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2), "x");
        Summary.Text("prediction", g.ArgMax(x, 0), v => $"class {v.GetDouble(0)}");
        using var session = new Session(g);
        var summary = session.Run(Summary.MergeAll(g), new FeedDict { [x] = new float[] { 0.2f, 0.8f } });
        Assert.That(((TextValue)summary["prediction"]).Text, Is.EqualTo("class 1"));
    }

    [Test]
    public void BadSummaryInputsAreRefusedNamingTheTag()
    {
        var g = new Graph();
        var matrix = g.Placeholder(DType.Float32, new Shape(2, 3), "m");
        var scalar = Assert.Throws<ShapeException>(() => Summary.Scalar("loss", matrix));
        Assert.That(scalar!.Message, Does.Contain("'loss'").And.Contain("(2, 3)"));
        var image = Assert.Throws<ShapeException>(() => Summary.Image("picture", matrix));
        Assert.That(image!.Message, Does.Contain("'picture'").And.Contain("channels"));
        Assert.That(g.Nodes, Has.Count.EqualTo(1), "a refused summary adds no node");
        var batch = g.Placeholder(DType.Float32, new Shape(-1), "batch");
        Assert.That(Summary.Scalar("mean", batch).Shape, Is.EqualTo(new Shape(-1)), "a shape known only at run time is checked at run time");
        Assert.Throws<ArgumentException>(() => Summary.Merge([matrix]));
    }
}
