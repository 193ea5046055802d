using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphDL.Tests.Browser;

/// <summary>
/// A log folder the board tests write by hand in GraphDL's log format (README, "The log folder"), so that what the
/// page must show is known without running a lesson: one run, <see cref="RunName"/>, with a small graph of every
/// node kind in nested name scopes, and <see cref="Steps"/> scalar steps of <c>loss</c>.
/// </summary>
public sealed class TinyBoardLog
{
    /// <summary>The run's name: its folder under the log folder.</summary>
    public const string RunName = "tiny";

    /// <summary>The scalar tag whose chart the tests count points on.</summary>
    public const string LossTag = "loss";

    /// <summary>A node of graph.json, as much of it as the tests compare with the page.</summary>
    public sealed record GraphNode(string Name, string Op, string Kind, string[] Inputs)
    {
        /// <summary>The name scope: the name up to its last '/', "" at the top level.</summary>
        public string Scope => Name.LastIndexOf('/') is var slash and >= 0 ? Name[..slash] : "";
    }

    /// <summary>
    /// One linear layer under a nested scope, a loss, its gradients and a gradient-descent update, as TF1 would name
    /// them: top-level nodes, scopes holding nodes and scopes, and each of the kinds the board tells apart.
    /// </summary>
    public static readonly IReadOnlyList<GraphNode> Nodes =
    [
        new("x", "Placeholder", "placeholder", []),
        new("y", "Placeholder", "placeholder", []),
        new("layer1/W", "Variable", "variable", []),
        new("layer1/b", "Variable", "variable", []),
        new("layer1/MatMul", "MatMul", "op", ["x", "layer1/W"]),
        new("layer1/add", "Add", "op", ["layer1/MatMul", "layer1/b"]),
        new("layer1/activation/Relu", "Relu", "op", ["layer1/add"]),
        new("loss", "MeanSquaredError", "op", ["layer1/activation/Relu", "y"]),
        new("loss_summary", "ScalarSummary", "summary", ["loss"]),
        new("gradients/loss_grad/MeanSquaredErrorGrad", "MeanSquaredErrorGrad", "gradient", ["layer1/activation/Relu", "y"]),
        new("gradients/layer1/activation/Relu_grad/ReluGrad", "ReluGrad", "gradient", ["gradients/loss_grad/MeanSquaredErrorGrad", "layer1/activation/Relu"]),
        new("gradients/layer1/MatMul_grad/MatMul_1", "MatMul", "gradient", ["x", "gradients/layer1/activation/Relu_grad/ReluGrad"]),
        new("GradientDescent/update_layer1/W/ApplyGradientDescent", "ApplyGradientDescent", "optimizer", ["layer1/W", "gradients/layer1/MatMul_grad/MatMul_1"]),
    ];

    /// <summary>The steps at which the loss was logged, one point each on its chart.</summary>
    public static readonly IReadOnlyList<int> Steps = [.. Enumerable.Range(0, 12).Select(i => i * 10)];

    /// <summary>The log folder.</summary>
    public string LogDir { get; }

    private TinyBoardLog(string logDir) => LogDir = logDir;

    /// <summary>Writes the log folder into a new temporary folder.</summary>
    public static TinyBoardLog Write()
    {
        string logDir = Path.Combine(Path.GetTempPath(), $"graphdl-board-log-{Guid.NewGuid():N}");
        string run = Path.Combine(logDir, RunName);
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "graph.json"), GraphJson());
        File.WriteAllText(Path.Combine(run, "events.jsonl"), EventsJsonl());
        return new TinyBoardLog(logDir);
    }

    /// <summary>The nodes drawn directly in <paramref name="scope"/> ("" for the top level) when it is expanded.</summary>
    public static IEnumerable<string> NodesIn(string scope) => Nodes.Where(n => n.Scope == scope).Select(n => n.Name);

    /// <summary>The scopes drawn directly in <paramref name="scope"/>, collapsed, when it is expanded: the next level of every deeper node's scope.</summary>
    public static IEnumerable<string> ScopesIn(string scope)
    {
        string prefix = scope.Length == 0 ? "" : scope + "/";
        return Nodes.Select(n => n.Scope)
            .Where(s => s.StartsWith(prefix, StringComparison.Ordinal) && s.Length > prefix.Length)
            .Select(s => prefix + s[prefix.Length..].Split('/')[0])
            .Distinct();
    }

    /// <summary>The logged loss at step <paramref name="step"/>: a falling curve, so the chart has a shape.</summary>
    public static double Loss(int step) => 2.0 * Math.Exp(-step / 40.0) + 0.1;

    private static string GraphJson()
    {
        var nodes = new JsonArray([.. Nodes.Select(n => (JsonNode)new JsonObject
        {
            ["name"] = n.Name,
            ["op"] = n.Op,
            ["kind"] = n.Kind,
            ["scope"] = n.Scope,
            ["dtype"] = "float32",
            ["shape"] = n.Kind == "summary" ? new JsonArray() : new JsonArray(-1, 3),
            ["inputs"] = new JsonArray([.. n.Inputs.Select(i => (JsonNode)JsonValue.Create(i))]),
            ["control_inputs"] = new JsonArray(),
            ["attrs"] = new JsonObject(),
        })]);
        return new JsonObject { ["format"] = "graphdl-graph", ["version"] = 1, ["nodes"] = nodes }.ToJsonString();
    }

    private static string EventsJsonl()
    {
        var start = new DateTimeOffset(2026, 12, 7, 4, 30, 0, TimeSpan.Zero);
        var lines = new List<string>
        {
            JsonSerializer.Serialize(new { kind = "header", format = "graphdl-events", version = 1, created = start.ToString("yyyy-MM-ddTHH:mm:ssZ") }),
        };
        foreach (int step in Steps)
            lines.Add(JsonSerializer.Serialize(new { kind = "scalar", tag = LossTag, step, wall = start.ToUnixTimeMilliseconds() / 1000.0 + step, value = Loss(step) }));
        return string.Concat(lines.Select(line => line + "\n"));
    }
}
