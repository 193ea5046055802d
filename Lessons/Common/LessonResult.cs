using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphDL.Lessons;

/// <summary>
/// One figure a lesson reproduces: the slide's value, ours, and the rule that judged it.
/// <see cref="Passed"/> is null for a figure that is only shown or was skipped.
/// </summary>
public sealed record Figure(string Name, object? Slide, object? Ours, double? Tolerance, string Rule, bool? Passed);

/// <summary>
/// The contract a lesson leaves in <c>out/&lt;Lesson&gt;/result.json</c> for Tour and other tools:
/// <c>{"lesson": "Iris", "passed": true, "seconds": 1.9, "figures": [{"name": "accuracy", "slide": 0.9866667,
/// "ours": 0.9866667, "tolerance": 1e-6, "passed": true}, ...]}</c>. Figures also carry their "rule".
/// </summary>
public sealed record LessonResult(string Lesson, bool Passed, double Seconds, int Steps, int Seed, IReadOnlyList<Figure> Figures)
{
    public void Save(string path)
    {
        var figures = new JsonArray();
        foreach (var f in Figures)
        {
            figures.Add(new JsonObject
            {
                ["name"] = f.Name,
                ["slide"] = ToJson(f.Slide),
                ["ours"] = ToJson(f.Ours),
                ["tolerance"] = f.Tolerance,
                ["rule"] = f.Rule,
                ["passed"] = f.Passed,
            });
        }
        var root = new JsonObject
        {
            ["lesson"] = Lesson,
            ["passed"] = Passed,
            ["seconds"] = Math.Round(Seconds, 3),
            ["steps"] = Steps,
            ["seed"] = Seed,
            ["figures"] = figures,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Reads a result.json back; slide and ours come back as double, string or null.</summary>
    public static LessonResult Load(string path)
    {
        JsonNode root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException("empty"); }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"{path} is not a lesson result: {e.Message}", e);
        }
        var figures = root["figures"]!.AsArray().Select(n => new Figure(
            (string)n!["name"]!,
            FromJson(n["slide"]),
            FromJson(n["ours"]),
            (double?)n["tolerance"],
            (string?)n["rule"] ?? "",
            (bool?)n["passed"])).ToList();
        return new LessonResult((string)root["lesson"]!, (bool)root["passed"]!, (double)root["seconds"]!,
            (int?)root["steps"] ?? 0, (int?)root["seed"] ?? 0, figures);
    }

    // JSON has no NaN or infinity: those travel as strings, like any other non-numeric figure.
    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        double d when double.IsFinite(d) => JsonValue.Create(d),
        float f when float.IsFinite(f) => JsonValue.Create((double)f),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        bool b => JsonValue.Create(b),
        _ => JsonValue.Create(GraphDL.Lessons.Lesson.Format(value)),
    };

    private static object? FromJson(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => null,
        JsonValueKind.Number => (double)node,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => node.ToString(),
    };
}
