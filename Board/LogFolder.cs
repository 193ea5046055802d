using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphDL.Board;

/// <summary>A run: a folder of the log folder that holds <c>events.jsonl</c> or <c>graph.json</c>.</summary>
/// <param name="Name">Its path relative to the log folder, with '/' separators (<c>"."</c> for the log folder itself).</param>
/// <param name="Folder">Its full path.</param>
/// <param name="Lesson">The name of the lesson it belongs to (the nearest folder at or above it with a result.json), or null.</param>
public sealed record RunFolder(string Name, string Folder, string? Lesson)
{
    /// <summary>The run's event file.</summary>
    public string EventsFile => Path.Combine(Folder, "events.jsonl");

    /// <summary>The run's graph file.</summary>
    public string GraphFile => Path.Combine(Folder, "graph.json");

    /// <summary>The run's profile file.</summary>
    public string ProfileFile => Path.Combine(Folder, "profile.json");
}

/// <summary>A lesson: a folder of the log folder that holds a lesson's <c>result.json</c>.</summary>
/// <param name="Name">Its path relative to the log folder, with '/' separators.</param>
/// <param name="Folder">Its full path.</param>
/// <param name="Pictures">The PNG pictures beside its result.json, as file names, in name order.</param>
public sealed record LessonFolder(string Name, string Folder, IReadOnlyList<string> Pictures)
{
    /// <summary>The lesson's result file.</summary>
    public string ResultFile => Path.Combine(Folder, "result.json");
}

/// <summary>
/// The Board's reader of a log folder in GraphDL's format (README, "GraphDL Board"): which runs and lessons it holds,
/// and each file of a run read and checked. Everything the Board knows about the format is in this file.
/// </summary>
public static class LogFolder
{
    /// <summary>The first line of every events.jsonl names this format.</summary>
    public const string EventsFormat = "graphdl-events";

    /// <summary>Every run and lesson under <paramref name="logdir"/>, in name order.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="logdir"/> does not exist.</exception>
    public static (IReadOnlyList<RunFolder> Runs, IReadOnlyList<LessonFolder> Lessons) Scan(string logdir)
    {
        string root = Path.GetFullPath(logdir);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"The log folder {root} does not exist.");
        string[] folders = [root, .. Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)];
        var lessons = folders
            .Where(f => File.Exists(Path.Combine(f, "result.json")))
            .Select(f => new LessonFolder(NameOf(root, f), f,
                [.. Directory.EnumerateFiles(f, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal)!]))
            .OrderBy(l => l.Name, StringComparer.Ordinal)
            .ToList();
        var runs = folders
            .Where(f => File.Exists(Path.Combine(f, "events.jsonl")) || File.Exists(Path.Combine(f, "graph.json")))
            .Select(f => NameOf(root, f))
            .Select(name => new RunFolder(name, FolderOf(root, name), LessonAbove(name, lessons)))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return (runs, lessons);
    }

    /// <summary>
    /// The events of <paramref name="eventsFile"/> after its header, skipping a torn last line (one that lacks its
    /// '\n' or is not JSON: what a writer killed mid-line leaves). A missing file has no events.
    /// </summary>
    /// <exception cref="InvalidDataException">A bad header, or a line before the last that is not a JSON object.</exception>
    public static IReadOnlyList<JsonObject> ReadEvents(string eventsFile)
    {
        if (!File.Exists(eventsFile)) return [];
        string text = ReadShared(eventsFile);
        // Only lines with their '\n' are whole; whatever follows the last one is a line still being written.
        string[] lines = text.Split('\n')[..^1];
        var events = new List<JsonObject>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            bool last = i == lines.Length - 1;
            JsonObject? entry = ParseLine(lines[i]);
            if (entry is null)
            {
                if (last) break;
                throw new InvalidDataException($"{eventsFile}:{i + 1}: not a JSON object: {Shorten(lines[i])}");
            }
            if (i == 0)
            {
                if (StringField(entry, "kind") != "header" || StringField(entry, "format") != EventsFormat)
                    throw new InvalidDataException($"{eventsFile}:1: the first line must be the header {{\"kind\":\"header\",\"format\":\"{EventsFormat}\",...}}, not {Shorten(lines[0])}");
                continue;
            }
            if (StringField(entry, "kind") is null)
                throw new InvalidDataException($"{eventsFile}:{i + 1}: an event without a \"kind\": {Shorten(lines[i])}");
            events.Add(entry);
        }
        return events;
    }

    /// <summary>The run's graph.json, checked to be a GraphDL graph, or null when the run has none.</summary>
    /// <exception cref="InvalidDataException">The file is not a GraphDL graph.</exception>
    public static JsonObject? ReadGraph(RunFolder run)
    {
        var graph = ReadObject(run.GraphFile, "graphdl-graph");
        if (graph is not null && graph["nodes"] is not JsonArray)
            throw new InvalidDataException($"{run.GraphFile}: has no \"nodes\" array.");
        return graph;
    }

    /// <summary>The run's profile.json, checked to be a GraphDL profile, or null when the run has none.</summary>
    /// <exception cref="InvalidDataException">The file is not a GraphDL profile.</exception>
    public static JsonObject? ReadProfile(RunFolder run) => ReadObject(run.ProfileFile, "graphdl-profile");

    /// <summary>The lesson's result.json (DESIGN.md's lesson contract: lesson, passed, seconds, figures).</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object with a "figures" array.</exception>
    public static JsonObject ReadResult(LessonFolder lesson)
    {
        var result = ReadObject(lesson.ResultFile, format: null)
            ?? throw new InvalidDataException($"{lesson.ResultFile}: the lesson's result is missing.");
        if (result["figures"] is not JsonArray)
            throw new InvalidDataException($"{lesson.ResultFile}: has no \"figures\" array.");
        return result;
    }

    // Written whole (temp file then rename), so a file that is there is complete; a bad one is an error.
    private static JsonObject? ReadObject(string file, string? format)
    {
        if (!File.Exists(file)) return null;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(ReadShared(file));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not valid JSON ({e.Message})", e);
        }
        if (node is not JsonObject obj) throw new InvalidDataException($"{file}: not a JSON object.");
        if (format is not null && StringField(obj, "format") != format)
            throw new InvalidDataException($"{file}: \"format\" must be \"{format}\", not {obj["format"]?.ToJsonString() ?? "missing"}.");
        return obj;
    }

    private static string? StringField(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static JsonObject? ParseLine(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The writer may be appending while the Board reads.
    private static string ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string NameOf(string root, string folder)
    {
        string relative = Path.GetRelativePath(root, folder);
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static string FolderOf(string root, string name) =>
        name == "." ? root : Path.Combine(root, name.Replace('/', Path.DirectorySeparatorChar));

    private static string? LessonAbove(string runName, IReadOnlyList<LessonFolder> lessons) => lessons
        .Where(l => runName == l.Name || l.Name == "." || runName.StartsWith(l.Name + "/", StringComparison.Ordinal))
        .MaxBy(l => l.Name == "." ? 0 : l.Name.Length)?.Name;

    private static string Shorten(string line) => line.Length <= 80 ? line : line[..80] + "...";
}
