using GraphDL.Board;
using GraphDL.Summaries;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace GraphDL.Tests.Board;

/// <summary>The Board's view of a log folder, read through the Engine's reader, on a sample written by the test.</summary>
public class LogFolderTests
{
    private SampleLogFolder _sample = null!;

    [SetUp]
    public void Write() => _sample = new SampleLogFolder();

    [TearDown]
    public void Delete() => _sample.Dispose();

    [Test]
    public void Scan_finds_every_run_and_the_lesson_they_belong_to()
    {
        var (runs, lessons) = LogFolder.Scan(_sample.Root);

        Assert.That(runs.Select(r => r.Name), Is.EqualTo(new[] { SampleLogFolder.Adam, SampleLogFolder.Sgd, SampleLogFolder.Loose }));
        Assert.That(runs.Select(r => r.Lesson), Is.EqualTo(new[] { SampleLogFolder.Lesson, SampleLogFolder.Lesson, null }));
        Assert.That(lessons.Select(l => l.Name), Is.EqualTo(new[] { SampleLogFolder.Lesson }));
        Assert.That(lessons[0].Pictures, Is.EqualTo(new[] { "loss.png" }));
    }

    [Test]
    public void Events_skip_the_header_and_a_torn_last_line()
    {
        var sgd = LogFolder.Scan(_sample.Root).Runs.Single(r => r.Name == SampleLogFolder.Sgd);

        var events = LogFolder.ReadEvents(sgd.EventsFile);

        int expected = 2 * SampleLogFolder.Steps + 3 * SampleLogFolder.EveryFifth + 1;
        Assert.That(events, Has.Count.EqualTo(expected));
        Assert.That(events.OfType<ScalarEvent>().Count(e => e.Tag == "loss"), Is.EqualTo(SampleLogFolder.Steps));
        Assert.That(events.OfType<ScalarEvent>().Single(e => e.Tag == "diverged").Value, Is.NaN);
    }

    [Test]
    public void A_last_line_that_is_whole_but_not_json_is_skipped_too()
    {
        string file = Path.Combine(_sample.Root, "events.jsonl");
        File.WriteAllText(file, "{\"kind\":\"header\",\"format\":\"graphdl-events\",\"version\":1,\"created\":\"2026-12-07T04:30:00Z\"}\n{\"kind\":\"text\",\"tag\":\"a\",\"step\":1,\"wall\":1765081800,\"text\":\"x\"}\n{\"kind\":\n");

        Assert.That(LogFolder.ReadEvents(file), Has.Count.EqualTo(1));
    }

    [Test]
    public void A_damaged_line_before_the_last_is_an_error_naming_the_file_and_line()
    {
        string file = Path.Combine(_sample.Root, "events.jsonl");
        File.WriteAllText(file, "{\"kind\":\"header\",\"format\":\"graphdl-events\",\"version\":1,\"created\":\"2026-12-07T04:30:00Z\"}\nnot json\n{\"kind\":\"text\",\"tag\":\"a\",\"step\":1,\"wall\":1765081800,\"text\":\"x\"}\n");

        var error = Assert.Throws<InvalidDataException>(() => LogFolder.ReadEvents(file))!;

        Assert.That(error.Message, Does.Contain(file + ":2:"));
    }

    [Test]
    public void A_file_without_the_header_is_refused()
    {
        string file = Path.Combine(_sample.Root, "events.jsonl");
        File.WriteAllText(file, "{\"kind\":\"scalar\",\"tag\":\"loss\",\"step\":1,\"wall\":1765081800,\"value\":1}\n{\"kind\":\"scalar\",\"tag\":\"loss\",\"step\":2,\"wall\":1765081801,\"value\":1}\n");

        var error = Assert.Throws<InvalidDataException>(() => LogFolder.ReadEvents(file))!;

        Assert.That(error.Message, Does.Contain(file + ":1:").And.Contain("header"));
    }

    [Test]
    public void A_graph_of_another_format_is_an_error_entry_naming_the_file()
    {
        var loose = LogFolder.Scan(_sample.Root).Runs.Single(r => r.Name == SampleLogFolder.Loose);
        File.WriteAllText(loose.GraphFile, "{\"format\":\"something-else\",\"version\":1,\"nodes\":[]}");

        var data = BoardData.Run(loose);

        Assert.That((string?)data["error"], Does.Contain(loose.GraphFile).And.Contain("graphdl-graph"));
    }

    [Test]
    public void Graph_profile_and_result_are_read_whole()
    {
        var (runs, lessons) = LogFolder.Scan(_sample.Root);

        var sgd = BoardData.Run(runs.Single(r => r.Name == SampleLogFolder.Sgd));
        var loose = BoardData.Run(runs.Single(r => r.Name == SampleLogFolder.Loose));

        Assert.That(sgd["graph"]!["nodes"]!.AsArray().Select(n => (string?)n!["name"]), Is.EqualTo(SampleLogFolder.NodeNames));
        Assert.That(sgd["graph"]!["nodes"]!.AsArray().Select(n => (string?)n!["kind"]), Does.Contain("gradient").And.Contain("optimizer"));
        Assert.That((double?)sgd["profile"]!["nodes"]!["layer1/MatMul"]!["ms"], Is.EqualTo(1.25));
        Assert.That((string?)sgd["events"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["tag"] == "diverged")["value"], Is.EqualTo("NaN"),
            "the page gets the numbers JSON lacks spelt as the file spells them");
        Assert.That(loose["profile"], Is.Null);
        Assert.That(LogFolder.ReadResult(lessons[0])["figures"]!.AsArray(), Has.Count.EqualTo(2));
    }

    [Test]
    public void An_event_of_an_unknown_kind_before_the_last_line_is_an_error_naming_the_file_and_line()
    {
        string file = Path.Combine(_sample.Root, "events.jsonl");
        File.WriteAllText(file, "{\"kind\":\"header\",\"format\":\"graphdl-events\",\"version\":1,\"created\":\"2026-12-07T04:30:00Z\"}\n{\"kind\":\"audio\",\"tag\":\"a\",\"step\":1,\"wall\":1}\n{\"kind\":\"text\",\"tag\":\"a\",\"step\":1,\"wall\":1,\"text\":\"x\"}\n");

        var error = Assert.Throws<InvalidDataException>(() => LogFolder.ReadEvents(file))!;

        Assert.That(error.Message, Does.Contain(file + ":2:"));
    }
}
