using System.Text;
using GraphDL.Summaries;
using NUnit.Framework;

namespace GraphDL.Tests.Summaries;

/// <summary>events.jsonl written by <see cref="FileWriter"/> and read by <see cref="EventLog"/>, whole, torn, corrupt and still open.</summary>
public class EventFileTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-events-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private string EventsPath => Path.Combine(_dir, EventLog.EventsFile);

    [Test]
    public void AScalarComesBackWithItsTagStepAndValue()
    {
        using (var writer = new FileWriter(_dir))
        {
            writer.AddScalar("loss", 0.53, 12);
            writer.AddScalar("loss", double.NaN, 13);
            writer.AddScalar("train/accuracy", double.NegativeInfinity, 13);
        }
        var log = EventLog.Read(_dir);
        Assert.That(log.Header!.Format, Is.EqualTo("graphdl-events"));
        var loss = log.Scalars("loss").ToList();
        Assert.That(loss.Select(e => e.Step), Is.EqualTo(new long[] { 12, 13 }));
        Assert.That(loss[0].Value, Is.EqualTo(0.53));
        Assert.That(loss[1].Value, Is.NaN);
        Assert.That(log.Scalars("train/accuracy").Single().Value, Is.EqualTo(double.NegativeInfinity));
        var lines = File.ReadAllLines(EventsPath);
        Assert.That(lines[0], Does.StartWith("{\"kind\":\"header\",\"format\":\"graphdl-events\",\"version\":1,\"created\":\""));
        Assert.That(lines[1], Does.StartWith("{\"kind\":\"scalar\",\"tag\":\"loss\",\"step\":12,\"wall\":"));
        Assert.That(lines[2], Does.Contain("\"value\":\"NaN\""), "JSON has no NaN: it is written as a string");
        Assert.That(lines[3], Does.Contain("\"value\":\"-Infinity\""));
    }

    [Test]
    public void ATornLastLineIsSkippedAndAResumedWriterCutsIt()
    {
        using (var writer = new FileWriter(_dir))
            for (int step = 0; step < 3; step++) writer.AddScalar("loss", 1.0 / (step + 1), step);
        File.AppendAllText(EventsPath, "{\"kind\":\"scalar\",\"tag\":\"lo");   // a writer killed mid-line

        Assert.That(EventLog.Read(_dir).Scalars("loss").Select(e => e.Step), Is.EqualTo(new long[] { 0, 1, 2 }));

        using (var writer = new FileWriter(_dir)) writer.AddScalar("loss", 0.2, 3);
        Assert.That(EventLog.Read(_dir).Scalars("loss").Select(e => e.Step), Is.EqualTo(new long[] { 0, 1, 2, 3 }));
        Assert.That(File.ReadAllLines(EventsPath).Count(l => l.Contains("\"kind\":\"header\"")), Is.EqualTo(1), "a resumed run keeps its one header");
    }

    [Test]
    public void AnUnfinishedLastLineWithItsNewlineIsSkippedToo()
    {
        using (var writer = new FileWriter(_dir)) writer.AddScalar("loss", 1, 0);
        File.AppendAllText(EventsPath, "{\"kind\":\"scalar\"\n");
        Assert.That(EventLog.Read(_dir).Events, Has.Count.EqualTo(1));
    }

    [Test]
    public void ACorruptMiddleLineIsAnErrorNamingTheFileAndLine()
    {
        using (var writer = new FileWriter(_dir))
            for (int step = 0; step < 3; step++) writer.AddScalar("loss", step, step);
        var lines = File.ReadAllLines(EventsPath).ToList();
        lines.Insert(2, "{\"kind\":\"scalar\",\"tag\":");
        File.WriteAllLines(EventsPath, lines);

        var e = Assert.Throws<InvalidDataException>(() => EventLog.Read(_dir));
        Assert.That(e!.Message, Does.StartWith($"{EventsPath}:3:").And.Contain("line 3"));
    }

    [Test]
    public void AFileWithoutTheHeaderIsRefused()
    {
        File.WriteAllText(EventsPath, "{\"kind\":\"scalar\",\"tag\":\"a\",\"step\":0,\"wall\":0,\"value\":1}\n{\"kind\":\"scalar\",\"tag\":\"a\",\"step\":1,\"wall\":0,\"value\":1}\n");
        var e = Assert.Throws<InvalidDataException>(() => EventLog.Read(_dir));
        Assert.That(e!.Message, Does.StartWith($"{EventsPath}:1:").And.Contain("header"));
    }

    [Test]
    public void EventsAreReadableWhileTheWriterIsStillOpen()
    {
        // A killed process never disposes its writer: what it flushed is all a reader gets, and must be enough.
        var writer = new FileWriter(_dir);
        try
        {
            for (int step = 0; step < 5; step++) writer.AddScalar("loss", step * 0.5, step);
            Assert.That(EventLog.Read(_dir).Scalars("loss").Select(e => e.Value), Is.EqualTo(new[] { 0, 0.5, 1, 1.5, 2 }));
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Test]
    public void ALazyWriterIsReadableAfterFlush()
    {
        var writer = new FileWriter(_dir, flushEachEvent: false);
        try
        {
            writer.AddText("note", "first", 0);
            writer.Flush();
            Assert.That(EventLog.Read(_dir).Events.OfType<TextEvent>().Single().Text, Is.EqualTo("first"));
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Test]
    public void AnEventOfAnUnknownKindInTheMiddleIsAnErrorNamingTheFileAndLine()
    {
        using (var writer = new FileWriter(_dir))
            for (int step = 0; step < 3; step++) writer.AddScalar("loss", step, step);
        var lines = File.ReadAllLines(EventsPath).ToList();
        lines.Insert(2, "{\"kind\":\"audio\",\"tag\":\"a\",\"step\":1,\"wall\":0}");
        File.WriteAllLines(EventsPath, lines);

        var e = Assert.Throws<InvalidDataException>(() => EventLog.Read(_dir));
        Assert.That(e!.Message, Does.StartWith($"{EventsPath}:3:"));
    }

    [Test]
    public void FilesWithOnlyTheFieldsTheFormatNamesAreRead()
    {
        // "outputs" in graph.json and "backend" (and the optional "shape") in profile.json are GraphDL's additions.
        File.WriteAllText(Path.Combine(_dir, EventLog.GraphFileName),
            "{\"format\":\"graphdl-graph\",\"version\":1,\"nodes\":[{\"name\":\"x\",\"op\":\"Placeholder\",\"kind\":\"placeholder\",\"scope\":\"\",\"dtype\":\"float32\",\"shape\":[-1,2],\"inputs\":[],\"control_inputs\":[],\"attrs\":{}}]}");
        File.WriteAllText(Path.Combine(_dir, EventLog.ProfileFileName),
            "{\"format\":\"graphdl-profile\",\"version\":1,\"step\":12,\"nodes\":{\"x\":{\"device\":\"cpu\",\"calls\":10,\"ms\":1.25,\"bytes\":0}}}");

        var run = EventLog.Read(_dir);

        Assert.That(run.Graph!.Nodes.Single().Kind, Is.EqualTo(NodeKind.Placeholder));
        Assert.That(run.Graph.Nodes.Single().Shape, Is.EqualTo(new[] { -1, 2 }));
        var x = run.Profile!.Nodes["x"];
        Assert.That((x.Device, x.Calls, x.Ms, x.Shape, x.Backend), Is.EqualTo(("cpu", 10L, 1.25, (int[]?)null, (string?)null)));
    }

    [Test]
    public void TheRunsOfALogFolderAreFoundByTheirFiles()
    {
        using (new FileWriter(Path.Combine(_dir, "Lesson", "board", "adam"))) { }
        using (var w = new FileWriter(Path.Combine(_dir, "Lesson", "board", "sgd"))) w.AddGraph(new Graph());
        Directory.CreateDirectory(Path.Combine(_dir, "Lesson", "pictures"));
        Assert.That(EventLog.FindRuns(_dir), Is.EqualTo(new[] { "Lesson/board/adam", "Lesson/board/sgd" }));
    }

    [Test]
    public void AHistogramLineHoldsItsBins()
    {
        using (var writer = new FileWriter(_dir)) writer.AddHistogram("layer1/W", new double[] { 0, 1, 2, 3, 4, 10 }, 7, bins: 5);
        var e = EventLog.Read(_dir).Events.OfType<HistogramEvent>().Single();
        Assert.That((e.Tag, e.Step, e.Count), Is.EqualTo(("layer1/W", 7L, 6L)));
        Assert.That(e.Counts, Is.EqualTo(new long[] { 2, 2, 1, 0, 1 }));
        Assert.That(e.Edges, Is.EqualTo(new double[] { 0, 2, 4, 6, 8, 10 }));
        Assert.That(Encoding.UTF8.GetString(File.ReadAllBytes(EventsPath)), Does.Contain("\"counts\":[2,2,1,0,1]"));
    }
}
