using System.Text.Json;
using System.Text.Json.Nodes;
using GraphDL.Summaries;

namespace GraphDL.Board;

/// <summary>
/// What the page is given, as JSON: the index of lessons and runs, and one run's graph, profile and events. The
/// server answers its API with these and the static writer embeds them, so both boards show the same thing.
/// A file that cannot be read becomes an <c>error</c> entry that the page shows where the data would be, so one bad
/// run does not hide the others.
/// </summary>
public static class BoardData
{
    /// <summary>The lessons (each with its result.json, pictures and runs) and the runs under <paramref name="logdir"/>.</summary>
    public static JsonObject Index(string logdir)
    {
        var (runs, lessons) = LogFolder.Scan(logdir);
        return Index(runs, lessons);
    }

    /// <summary>The index of runs and lessons that <see cref="LogFolder.Scan"/> found, in the same order.</summary>
    public static JsonObject Index(IReadOnlyList<RunFolder> runs, IReadOnlyList<LessonFolder> lessons)
    {
        var lessonArray = new JsonArray();
        foreach (var lesson in lessons)
        {
            var entry = new JsonObject
            {
                ["name"] = lesson.Name,
                ["pictures"] = new JsonArray([.. lesson.Pictures.Select(p => (JsonNode)p)]),
                ["runs"] = new JsonArray([.. runs.Where(r => r.Lesson == lesson.Name).Select(r => (JsonNode)r.Name)]),
            };
            try
            {
                entry["result"] = LogFolder.ReadResult(lesson);
            }
            catch (InvalidDataException e)
            {
                entry["error"] = e.Message;
            }
            lessonArray.Add(entry);
        }
        var runArray = new JsonArray();
        foreach (var run in runs)
        {
            runArray.Add(new JsonObject
            {
                ["name"] = run.Name,
                ["lesson"] = run.Lesson,
                ["graph"] = File.Exists(run.GraphFile),
                ["profile"] = File.Exists(run.ProfileFile),
                ["events"] = File.Exists(run.EventsFile),
            });
        }
        return new JsonObject { ["lessons"] = lessonArray, ["runs"] = runArray };
    }

    /// <summary>The run's graph and profile (null where it has none) and its events from number <paramref name="after"/> on.</summary>
    public static JsonObject Run(RunFolder run, int after = 0)
    {
        var data = new JsonObject { ["name"] = run.Name };
        try
        {
            var log = EventLog.Read(run.Folder);
            data["graph"] = log.Graph is null ? null : JsonSerializer.SerializeToNode(log.Graph, LogJson.Options);
            data["profile"] = log.Profile is null ? null : JsonSerializer.SerializeToNode(log.Profile, LogJson.Options);
            data["events"] = EventsJson(log.Events, after);
            data["next"] = log.Events.Count;
        }
        catch (InvalidDataException e)
        {
            data["error"] = e.Message;
        }
        return data;
    }

    /// <summary>
    /// The run's events from number <paramref name="after"/> on (0 is the first event after the header), and
    /// <c>next</c>, the number to ask for next time: how the live page fetches only what is new.
    /// </summary>
    /// <exception cref="InvalidDataException">The run's events.jsonl is damaged before its last line.</exception>
    public static JsonObject Events(RunFolder run, int after)
    {
        var events = LogFolder.ReadEvents(run.EventsFile);
        return new JsonObject { ["events"] = EventsJson(events, after), ["next"] = events.Count };
    }

    // The page reads the events as the file has them, so they are written back with the file's own settings; as
    // LogEvent, so that each carries its "kind".
    private static JsonArray EventsJson(IReadOnlyList<SummaryEvent> events, int after) =>
        new([.. events.Skip(Math.Max(0, after)).Select(e => JsonSerializer.SerializeToNode<LogEvent>(e, LogJson.Options))]);
}
