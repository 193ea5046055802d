using System.Text.Json;
using System.Text.Json.Nodes;
using GraphDL.Summaries;

namespace GraphDL.Board;

/// <summary>A run: a folder of the log folder that holds <c>events.jsonl</c> or <c>graph.json</c>.</summary>
/// <param name="Name">Its path relative to the log folder, with '/' separators (<c>"."</c> for the log folder itself).</param>
/// <param name="Folder">Its full path.</param>
/// <param name="Lesson">The name of the lesson it belongs to (the nearest folder at or above it with a result.json), or null.</param>
public sealed record RunFolder(string Name, string Folder, string? Lesson)
{
    /// <summary>The run's event file.</summary>
    public string EventsFile => Path.Combine(Folder, EventLog.EventsFile);

    /// <summary>The run's graph file.</summary>
    public string GraphFile => Path.Combine(Folder, EventLog.GraphFileName);

    /// <summary>The run's profile file.</summary>
    public string ProfileFile => Path.Combine(Folder, EventLog.ProfileFileName);
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
/// The Board's view of a log folder: which runs (found by the Engine's <see cref="EventLog"/>, which also reads them)
/// and which lessons it holds, and each lesson's result.json, which is the lessons' contract rather than the log
/// format's and so is read here.
/// </summary>
public static class LogFolder
{
    /// <summary>Every run and lesson under <paramref name="logdir"/>, in name order.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="logdir"/> does not exist.</exception>
    public static (IReadOnlyList<RunFolder> Runs, IReadOnlyList<LessonFolder> Lessons) Scan(string logdir)
    {
        string root = Path.GetFullPath(logdir);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"The log folder {root} does not exist.");
        var lessons = Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Prepend(root)
            .Where(f => File.Exists(Path.Combine(f, "result.json")))
            .Select(f => new LessonFolder(NameOf(root, f), f,
                [.. Directory.EnumerateFiles(f, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal)!]))
            .OrderBy(l => l.Name, StringComparer.Ordinal)
            .ToList();
        // The page needs a name it can put in a URL, so the log folder itself, "" to the Engine, is "." here.
        var runs = EventLog.FindRuns(root)
            .Select(name => name == "" ? "." : name)
            .Select(name => new RunFolder(name, FolderOf(root, name), LessonAbove(name, lessons)))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return (runs, lessons);
    }

    /// <summary>
    /// The events of <paramref name="eventsFile"/> after its header, as <see cref="EventLog.ReadEvents"/> reads them
    /// (a torn last line skipped, a damaged earlier one an error naming the file and line). A missing file has no
    /// events: a run with only a graph.
    /// </summary>
    /// <exception cref="InvalidDataException">A bad header, or a line before the last that is not an event.</exception>
    public static IReadOnlyList<SummaryEvent> ReadEvents(string eventsFile) =>
        File.Exists(eventsFile) ? [.. EventLog.ReadEvents(eventsFile).OfType<SummaryEvent>()] : [];

    /// <summary>The lesson's result.json (DESIGN.md's lesson contract: lesson, passed, seconds, figures).</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object with a "figures" array.</exception>
    public static JsonObject ReadResult(LessonFolder lesson)
    {
        string file = lesson.ResultFile;
        if (!File.Exists(file)) throw new InvalidDataException($"{file}: the lesson's result is missing.");
        JsonNode? node;
        try
        {
            // Written whole (temp file then rename), so a file that is there is complete; a bad one is an error.
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            node = JsonNode.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not valid JSON ({e.Message})", e);
        }
        if (node is not JsonObject result) throw new InvalidDataException($"{file}: not a JSON object.");
        if (result["figures"] is not JsonArray) throw new InvalidDataException($"{file}: has no \"figures\" array.");
        return result;
    }

    private static string NameOf(string root, string folder) =>
        Path.GetRelativePath(root, folder).Replace(Path.DirectorySeparatorChar, '/');

    private static string FolderOf(string root, string name) =>
        name == "." ? root : Path.Combine(root, name.Replace('/', Path.DirectorySeparatorChar));

    private static string? LessonAbove(string runName, IReadOnlyList<LessonFolder> lessons) => lessons
        .Where(l => runName == l.Name || l.Name == "." || runName.StartsWith(l.Name + "/", StringComparison.Ordinal))
        .MaxBy(l => l.Name == "." ? 0 : l.Name.Length)?.Name;
}
