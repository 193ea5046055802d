using System.Text;
using System.Text.Json;

namespace GraphDL.Summaries;

/// <summary>
/// What a run folder holds, read back: the events of events.jsonl, graph.json and profile.json, each absent when its
/// file is. The one reader the board and the tests share. A run still being written can be read at any time: a torn
/// last line (a writer killed mid-line, or caught between two writes) is skipped; a bad line anywhere else is an error
/// that names the file and the line.
/// </summary>
public sealed class EventLog
{
    /// <summary>The file of a run's events.</summary>
    public const string EventsFile = "events.jsonl";
    /// <summary>The file of a run's graph.</summary>
    public const string GraphFileName = "graph.json";
    /// <summary>The file of a run's profile.</summary>
    public const string ProfileFileName = "profile.json";

    private EventLog(string folder, HeaderEvent? header, IReadOnlyList<SummaryEvent> events, GraphFile? graph, ProfileFile? profile)
    {
        Folder = folder;
        Header = header;
        Events = events;
        Graph = graph;
        Profile = profile;
    }

    /// <summary>The run folder read.</summary>
    public string Folder { get; }

    /// <summary>The header of events.jsonl; null when the run has no events file.</summary>
    public HeaderEvent? Header { get; }

    /// <summary>Every whole event line after the header, in file order.</summary>
    public IReadOnlyList<SummaryEvent> Events { get; }

    /// <summary>The graph; null when the run has none.</summary>
    public GraphFile? Graph { get; }

    /// <summary>The profile; null when the run has none.</summary>
    public ProfileFile? Profile { get; }

    /// <summary>The scalars logged under <paramref name="tag"/>, in file order.</summary>
    public IEnumerable<ScalarEvent> Scalars(string tag) => Events.OfType<ScalarEvent>().Where(e => e.Tag == tag);

    /// <summary>Reads the run in <paramref name="folder"/>.</summary>
    public static EventLog Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"There is no run folder '{folder}'.");
        string events = Path.Combine(folder, EventsFile), graph = Path.Combine(folder, GraphFileName), profile = Path.Combine(folder, ProfileFileName);
        var lines = File.Exists(events) ? ReadEvents(events) : [];
        return new EventLog(folder, lines.FirstOrDefault() as HeaderEvent, [.. lines.OfType<SummaryEvent>()],
            File.Exists(graph) ? ReadWhole<GraphFile>(graph, GraphFile.GraphFormat, g => g.Format) : null,
            File.Exists(profile) ? ReadWhole<ProfileFile>(profile, ProfileFile.ProfileFormat, p => p.Format) : null);
    }

    /// <summary>The runs under <paramref name="logDir"/>: every folder (itself included) with an events.jsonl or a graph.json, by its path relative to the log folder with '/' separators ("" for the log folder itself).</summary>
    public static IEnumerable<string> FindRuns(string logDir) =>
        Directory.EnumerateDirectories(logDir, "*", SearchOption.AllDirectories).Prepend(logDir)
            .Where(d => File.Exists(Path.Combine(d, EventsFile)) || File.Exists(Path.Combine(d, GraphFileName)))
            .Select(d => Path.GetRelativePath(logDir, d).Replace('\\', '/'))
            .Select(name => name == "." ? "" : name)
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// The lines of an events.jsonl, the header first. The file may be open for writing by another process. A last line
    /// without its '\n', or that is not a whole event, is skipped; any other bad line is an error naming the file and line.
    /// </summary>
    public static IReadOnlyList<LogEvent> ReadEvents(string path)
    {
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        var events = new List<LogEvent>();
        int start = 0, lineNumber = 0;
        while (start < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            lineNumber++;
            if (end < 0) break;   // torn: the writer had not finished this line
            var line = bytes.AsSpan(start, end - start);
            bool last = end == bytes.Length - 1;
            start = end + 1;
            LogEvent? parsed;
            string? problem;
            try
            {
                parsed = JsonSerializer.Deserialize<LogEvent>(line, LogJson.Options);
                problem = parsed is null ? "it is null" : null;
            }
            catch (JsonException e)
            {
                (parsed, problem) = (null, e.Message);
            }
            if (problem is not null)
            {
                if (last) break;
                throw new InvalidDataException($"{path}:{lineNumber}: line {lineNumber} is not a valid event ({problem}): {Preview(line)}");
            }
            if (events.Count == 0) CheckHeader(parsed!, path);
            events.Add(parsed!);
        }
        return events;
    }

    private static void CheckHeader(LogEvent first, string path)
    {
        if (first is not HeaderEvent header || header.Format != HeaderEvent.EventFormat)
            throw new InvalidDataException($"{path}:1: the first line must be the header {{\"kind\":\"header\",\"format\":\"{HeaderEvent.EventFormat}\",...}}; this is not a GraphDL events file.");
        if (header.Version != 1)
            throw new InvalidDataException($"{path}:1: events format version {header.Version}; this GraphDL reads version 1.");
    }

    private static T ReadWhole<T>(string path, string format, Func<T, string> formatOf)
    {
        T? value;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            value = JsonSerializer.Deserialize<T>(stream, LogJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid {format} file: {e.Message}", e);
        }
        if (value is null || formatOf(value) != format)
            throw new InvalidDataException($"{path}: not a {format} file.");
        return value;
    }

    private static string Preview(ReadOnlySpan<byte> line)
    {
        string text = Encoding.UTF8.GetString(line);
        return text.Length <= 80 ? text : text[..80] + "...";
    }
}
