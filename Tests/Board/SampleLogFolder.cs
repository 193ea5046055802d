using System.Globalization;
using System.Text.Json.Nodes;
using SkiaSharp;

namespace GraphDL.Tests.Board;

/// <summary>
/// A log folder written by the test in the shared format, so that every figure the tests check comes from here:
/// a lesson "Optimizers" (result.json with two figures, one picture) with two runs, "sgd" and "adam", that log the
/// same tags; a loose run "loose" with only a graph; and in "sgd" a histogram, an image and a text per fifth step,
/// a NaN, and a torn last line such as a killed writer leaves.
/// </summary>
public sealed class SampleLogFolder : IDisposable
{
    /// <summary>Scalar steps each optimizer run logs for each of its two scalar tags.</summary>
    public const int Steps = 30;

    /// <summary>Histogram, image and text events the sgd run logs (one of each per fifth step); it also logs one NaN "diverged".</summary>
    public const int EveryFifth = Steps / 5;

    /// <summary>The lesson's name and folder.</summary>
    public const string Lesson = "Optimizers";

    /// <summary>The run names, as the Board names them.</summary>
    public const string Sgd = "Optimizers/board/sgd", Adam = "Optimizers/board/adam", Loose = "loose";

    /// <summary>The nodes of the sample graph, in the order they are written.</summary>
    public static readonly string[] NodeNames =
    [
        "x", "y", "layer1/W", "layer1/b", "layer1/MatMul", "layer1/add", "loss/xent", "loss/Mean",
        "gradients/loss/Mean_grad/Tile", "gradients/layer1/MatMul_grad/MatMul_1", "train/update_W",
    ];

    /// <summary>The log folder (deleted with this object).</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "graphdl-board-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes the sample.</summary>
    public SampleLogFolder()
    {
        string lesson = Path.Combine(Root, Lesson);
        Directory.CreateDirectory(lesson);
        File.WriteAllText(Path.Combine(lesson, "result.json"), new JsonObject
        {
            ["lesson"] = Lesson,
            ["passed"] = false,
            ["seconds"] = 1.5,
            ["figures"] = new JsonArray(
                new JsonObject { ["name"] = "sgd_loss", ["slide"] = 0.5, ["ours"] = 0.49, ["tolerance"] = 0.05, ["rule"] = "±0.05", ["passed"] = true },
                new JsonObject { ["name"] = "adam_loss", ["slide"] = 0.1, ["ours"] = 0.2, ["tolerance"] = 0.05, ["rule"] = "±0.05", ["passed"] = false }),
        }.ToJsonString());
        WritePng(Path.Combine(lesson, "loss.png"), 40, 30);
        WriteRun(Path.Combine(lesson, "board", "sgd"), rate: 0.05, extras: true);
        WriteRun(Path.Combine(lesson, "board", "adam"), rate: 0.2, extras: false);
        string loose = Path.Combine(Root, Loose);
        Directory.CreateDirectory(loose);
        File.WriteAllText(Path.Combine(loose, "graph.json"), Graph().ToJsonString());
    }

    /// <summary>A run folder's full path.</summary>
    public string RunFolder(string run) => Path.Combine(Root, run.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Appends one whole scalar line to a run's events, as a writer still training would.</summary>
    public void AppendScalar(string run, string tag, int step, double value) =>
        File.AppendAllText(Path.Combine(RunFolder(run), "events.jsonl"), Scalar(tag, step, value).ToJsonString() + "\n");

    /// <inheritdoc />
    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    private static void WriteRun(string folder, double rate, bool extras)
    {
        Directory.CreateDirectory(folder);
        var lines = new List<JsonObject>
        {
            new() { ["kind"] = "header", ["format"] = "graphdl-events", ["version"] = 1, ["created"] = "2026-12-07T04:30:00Z" },
        };
        for (int s = 0; s < Steps; s++)
        {
            int step = s * 10;
            lines.Add(Scalar("loss", step, 2.3 * Math.Exp(-rate * s)));
            lines.Add(Scalar("metrics/accuracy", step, 1 - Math.Exp(-rate * s)));
            if (!extras || s % 5 != 0) continue;
            lines.Add(Histogram(step, spread: 1.0 / (1 + s)));
            string image = $"images/input/{step:D6}_0.png";
            WritePng(Path.Combine(folder, image), 8, 8);
            lines.Add(new JsonObject { ["kind"] = "image", ["tag"] = "input", ["step"] = step, ["wall"] = 1765081800.0 + s, ["file"] = image, ["width"] = 8, ["height"] = 8, ["channels"] = 1 });
            lines.Add(new JsonObject { ["kind"] = "text", ["tag"] = "note", ["step"] = step, ["wall"] = 1765081800.0 + s, ["text"] = $"step {step}" });
        }
        if (extras) lines.Add(Scalar("diverged", 0, double.NaN));
        string text = string.Concat(lines.Select(l => l.ToJsonString() + "\n"));
        // What a writer killed in the middle of a line leaves behind.
        if (extras) text += """{"kind":"scalar","tag":"loss","st""";
        File.WriteAllText(Path.Combine(folder, "events.jsonl"), text);
        File.WriteAllText(Path.Combine(folder, "graph.json"), Graph().ToJsonString());
        File.WriteAllText(Path.Combine(folder, "profile.json"), new JsonObject
        {
            ["format"] = "graphdl-profile",
            ["version"] = 1,
            ["step"] = Steps,
            ["nodes"] = new JsonObject
            {
                ["layer1/MatMul"] = new JsonObject { ["device"] = "cpu", ["calls"] = 10, ["ms"] = 1.25, ["bytes"] = 0, ["shape"] = new JsonArray(100, 10) },
            },
        }.ToJsonString());
    }

    private static JsonObject Scalar(string tag, int step, double value) => new()
    {
        ["kind"] = "scalar",
        ["tag"] = tag,
        ["step"] = step,
        ["wall"] = 1765081800.0 + step,
        // The format's spelling of the numbers JSON lacks.
        ["value"] = double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture)),
    };

    private static JsonObject Histogram(int step, double spread)
    {
        const int bins = 4;
        var edges = new JsonArray([.. Enumerable.Range(0, bins + 1).Select(i => (JsonNode)JsonValue.Create(spread * (i - bins / 2.0)))]);
        int[] counts = [1, 4, 4, 1];
        return new JsonObject
        {
            ["kind"] = "histogram", ["tag"] = "layer1/W", ["step"] = step, ["wall"] = 1765081800.0 + step,
            ["min"] = -2 * spread, ["max"] = 2 * spread, ["count"] = counts.Sum(), ["sum"] = 0.0,
            ["edges"] = edges, ["counts"] = new JsonArray([.. counts.Select(c => (JsonNode)JsonValue.Create(c))]),
        };
    }

    // placeholder, variable, op, gradient and optimizer nodes under the scopes layer1, loss, gradients and train.
    private static JsonObject Graph()
    {
        var nodes = new JsonArray();
        void Add(string name, string op, string kind, params string[] inputs) => nodes.Add(new JsonObject
        {
            ["name"] = name, ["op"] = op, ["kind"] = kind,
            ["scope"] = name.Contains('/') ? name[..name.LastIndexOf('/')] : "",
            ["dtype"] = "float32", ["shape"] = new JsonArray(-1, 10),
            ["inputs"] = new JsonArray([.. inputs.Select(i => (JsonNode)JsonValue.Create(i))]),
            ["control_inputs"] = new JsonArray(), ["attrs"] = new JsonObject(),
        });
        Add("x", "Placeholder", "placeholder");
        Add("y", "Placeholder", "placeholder");
        Add("layer1/W", "Variable", "variable");
        Add("layer1/b", "Variable", "variable");
        Add("layer1/MatMul", "MatMul", "op", "x", "layer1/W");
        Add("layer1/add", "Add", "op", "layer1/MatMul", "layer1/b");
        Add("loss/xent", "SoftmaxCrossEntropyWithLogits", "op", "layer1/add", "y");
        Add("loss/Mean", "Mean", "op", "loss/xent");
        Add("gradients/loss/Mean_grad/Tile", "Tile", "gradient", "loss/Mean");
        Add("gradients/layer1/MatMul_grad/MatMul_1", "MatMul", "gradient", "x", "gradients/loss/Mean_grad/Tile");
        Add("train/update_W", "ApplyGradientDescent", "optimizer", "layer1/W", "gradients/layer1/MatMul_grad/MatMul_1");
        return new JsonObject { ["format"] = "graphdl-graph", ["version"] = 1, ["nodes"] = nodes };
    }

    private static void WritePng(string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / width), (byte)(x * 255 / width), (byte)(x * 255 / width)));
        using var file = File.Create(path);
        bitmap.Encode(file, SKEncodedImageFormat.Png, 100);
    }
}
