using System.Text.Json.Nodes;
using GraphDL.Board;
using GraphDL.Keras;
using GraphDL.Summaries;
using NUnit.Framework;

namespace GraphDL.Tests.Board;

/// <summary>
/// The Board on logs the Engine wrote: a TF1-style graph trained with summary ops and a <see cref="FileWriter"/>, and a
/// Keras model fitted with the <see cref="TensorBoard"/> callback, in one log folder. Every figure checked comes from
/// the training itself, so the writer and the Board's reading of it are proven against each other.
/// </summary>
public class BoardEndToEndTests
{
    private const int Steps = 5, Epochs = 3;
    private const string Tf1Run = "tf1", KerasRun = "keras";

    private string _logdir = "";
    private Graph _graph = null!;
    private string _matMul = "";

    [SetUp]
    public void Train()
    {
        _logdir = Directory.CreateTempSubdirectory("graphdl-board-e2e-").FullName;
        TrainTf1(Path.Combine(_logdir, Tf1Run));
        FitKeras(Path.Combine(_logdir, KerasRun));
    }

    [TearDown]
    public void Delete() => Directory.Delete(_logdir, recursive: true);

    [Test]
    public async Task The_server_shows_both_runs_as_they_were_trained()
    {
        await using var server = await BoardServer.StartAsync(_logdir, port: 0);
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
        async Task<JsonObject> Get(string url) => JsonNode.Parse(await http.GetStringAsync(url))!.AsObject();

        var index = await Get("api/runs");
        Assert.That(index["runs"]!.AsArray().Select(r => (string?)r!["name"]),
            Is.EqualTo(new[] { $"{KerasRun}/train", $"{KerasRun}/validation", Tf1Run }));

        var tf1 = await Get("api/run?run=" + Tf1Run);
        CheckTf1(tf1);
        var keras = await Get("api/run?run=" + Uri.EscapeDataString($"{KerasRun}/train"));
        CheckKeras(keras);
    }

    [Test]
    public void The_static_board_writes_the_same_data_for_both_runs()
    {
        string output = Path.Combine(_logdir, "static");
        StaticBoard.Write(_logdir, output);

        var index = DataOf(File.ReadAllText(Path.Combine(output, StaticBoard.DataFolder, "index.js")), "index");
        var runs = index["runs"]!.AsArray().OfType<JsonObject>().ToDictionary(r => (string)r["name"]!, r => (string)r["data"]!);
        Assert.That(runs.Keys, Is.EquivalentTo(new[] { $"{KerasRun}/train", $"{KerasRun}/validation", Tf1Run }));
        CheckTf1(RunScriptData(Path.Combine(output, runs[Tf1Run])));
        CheckKeras(RunScriptData(Path.Combine(output, runs[$"{KerasRun}/train"])));
    }

    private void CheckTf1(JsonObject run)
    {
        Assert.That(run["error"], Is.Null);
        var lossSteps = ScalarSteps(run, "loss");
        Assert.That(lossSteps, Is.EqualTo(Enumerable.Range(0, Steps).Select(s => (long)s)), "one point per logged step");

        var nodes = run["graph"]!["nodes"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.That(nodes.Select(n => (string?)n["name"]), Is.EqualTo(_graph.Nodes.Select(n => n.Name)));
        Assert.That(nodes.Select(n => (string?)n["kind"]).Distinct(),
            Is.SupersetOf(new[] { "gradient", "optimizer", "placeholder", "variable", "summary" }));
        Assert.That((string?)run["profile"]!["nodes"]![_matMul]!["device"], Is.EqualTo("cpu"));
        Assert.That((long?)run["profile"]!["nodes"]![_matMul]!["calls"], Is.EqualTo(Steps));
    }

    private static void CheckKeras(JsonObject run)
    {
        Assert.That(run["error"], Is.Null);
        Assert.That(ScalarSteps(run, "epoch_loss"), Is.EqualTo(Enumerable.Range(0, Epochs).Select(s => (long)s)), "one point per epoch");
        Assert.That(run["graph"]!["nodes"]!.AsArray().Select(n => (string?)n!["kind"]), Does.Contain("optimizer"));
    }

    private static List<long> ScalarSteps(JsonObject run, string tag) => [.. run["events"]!.AsArray().OfType<JsonObject>()
        .Where(e => (string?)e["kind"] == "scalar" && (string?)e["tag"] == tag)
        .Select(e => (long)e["step"]!)];

    // The run scripts end with "...[<run name>] = <the run's JSON>;", which the page would evaluate.
    private static JsonObject RunScriptData(string script)
    {
        string text = File.ReadAllText(script).TrimEnd();
        int start = text.IndexOf("] = ", StringComparison.Ordinal) + "] = ".Length;
        return JsonNode.Parse(text[start..^1])!.AsObject();
    }

    // index.js ends with "Object.assign(window.boardData || {}, <settings>);", whose settings hold the index.
    private static JsonObject DataOf(string script, string field)
    {
        string text = script.TrimEnd();
        int start = text.IndexOf("{}, ", StringComparison.Ordinal) + "{}, ".Length;
        return JsonNode.Parse(text[start..^2])![field]!.AsObject();
    }

    // y = xW + b by gradient descent, the loss logged every step through the merged summaries, the profile once.
    private void TrainTf1(string runFolder)
    {
        _graph = new Graph { Seed = 1 };
        var x = _graph.Placeholder(DType.Float32, new Shape(-1, 2), "x");
        var y = _graph.Placeholder(DType.Float32, new Shape(-1, 1), "y");
        var w = _graph.Variable(new float[,] { { 0.5f }, { -0.25f } }, "W");
        var b = _graph.Variable(new float[] { 0.1f }, "b");
        var product = _graph.MatMul(x, w);
        _matMul = product.Node.Name;
        var loss = _graph.ReduceMean(_graph.Square(product + b - y), name: "loss");
        Summary.Scalar("loss", loss);
        var train = new GradientDescentOptimizer(0.05).Minimize(loss);
        var merged = Summary.MergeAll(_graph);
        var init = _graph.GlobalVariablesInitializer();
        var feeds = new FeedDict
        {
            [x] = new float[,] { { 1, 2 }, { 3, 4 }, { -1, 0.5f } },
            [y] = new float[,] { { 1 }, { 0 }, { 2 } },
        };

        using var session = new Session(_graph) { Profile = new RunProfile() };
        using var writer = new FileWriter(runFolder);
        writer.AddGraph(_graph);
        session.Run(init);
        for (int step = 0; step < Steps; step++)
        {
            var (summary, _) = session.Run(merged, [train], feeds);
            writer.AddSummary(summary, step);
        }
        writer.AddRunProfile(session.Profile, Steps);
    }

    private static void FitKeras(string logDir)
    {
        var model = new Sequential([
            new Layers.Dense(4, activation: "tanh", inputShape: [2]),
            new Layers.Dense(1, activation: "sigmoid"),
        ]) { Seed = 2 };
        model.Compile(new GradientDescentOptimizer(0.1), "binary_crossentropy", ["accuracy"]);
        var x = new float[16, 2];
        var y = new float[16, 1];
        for (int i = 0; i < 16; i++) (x[i, 0], x[i, 1], y[i, 0]) = (i / 16f, i % 3 / 3f, i / 16f > i % 3 / 3f ? 1 : 0);
        model.Fit(x, y, epochs: Epochs, batchSize: 4, validationSplit: 0.25, seed: 1, verbose: 0, callbacks: [new TensorBoard(logDir)]);
    }
}
