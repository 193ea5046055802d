using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace GraphDL.Tests.Board;

/// <summary>The Board as a person starts it: <c>GraphDL.Board --logdir DIR [--port N] [--static DIR]</c>.</summary>
public class BoardCommandLineTests
{
    private const string Project = "Board", Assembly = "GraphDL.Board";

    private SampleLogFolder _sample = null!;
    private string _out = null!;

    [SetUp]
    public void Write()
    {
        _sample = new SampleLogFolder();
        _out = Path.Combine(Path.GetTempPath(), "graphdl-board-static-" + Guid.NewGuid().ToString("N"));
    }

    [TearDown]
    public void Delete()
    {
        _sample.Dispose();
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    [Test]
    public void A_missing_logdir_is_a_usage_error_that_names_the_option()
    {
        var (exitCode, _, error) = BuiltProgram.Run(Project, Assembly, "--port", "0");

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--logdir").And.StartWith("Board: "));
    }

    [Test]
    public void A_logdir_that_does_not_exist_is_named()
    {
        string missing = Path.Combine(_sample.Root, "no-such-folder");

        var (exitCode, _, error) = BuiltProgram.Run(Project, Assembly, "--logdir", missing);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain(missing));
    }

    [Test]
    public void A_port_out_of_range_is_refused()
    {
        var (exitCode, _, error) = BuiltProgram.Run(Project, Assembly, "--logdir", _sample.Root, "--port", "70000");

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--port").And.Contain("70000"));
    }

    [Test]
    public async Task A_taken_port_is_named_with_the_way_out()
    {
        await using var first = await GraphDL.Board.BoardServer.StartAsync(_sample.Root, port: 0);
        string port = first.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, _, error) = BuiltProgram.Run(Project, Assembly, "--logdir", _sample.Root, "--port", port);

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.Contain($"port {port} is taken").And.Contain("--port 0"));
    }

    [Test]
    public async Task Port_zero_prints_the_address_it_serves_on()
    {
        string dll = Path.Combine(TestContext.CurrentContext.TestDirectory, Assembly + ".dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { dll, "--logdir", _sample.Root, "--port", "0" }) start.ArgumentList.Add(arg);
        using var board = Process.Start(start)!;
        try
        {
            string? line;
            var reading = Task.Run(() =>
            {
                while ((line = board.StandardOutput.ReadLine()) is not null)
                    if (Regex.Match(line, @"^Board: (http://127\.0\.0\.1:\d+/)$") is { Success: true } match) return match.Groups[1].Value;
                return null;
            });
            Assert.That(reading.Wait(TimeSpan.FromSeconds(60)), Is.True, "the board printed no address within a minute");
            // Standard error is read only once the board has ended, when reading it cannot block.
            if (reading.Result is null) Assert.Fail("the board ended without printing its address: " + board.StandardError.ReadToEnd());
            using var http = new HttpClient { BaseAddress = new Uri(reading.Result!), Timeout = TimeSpan.FromSeconds(30) };

            var runs = JsonNode.Parse(await http.GetStringAsync("api/runs"))!["runs"]!.AsArray();
            string page = await http.GetStringAsync("index.html");

            Assert.That(runs, Has.Count.EqualTo(3));
            Assert.That(page, Does.Contain("data-page=\"index\""));
        }
        finally
        {
            board.Kill(entireProcessTree: true);
            board.WaitForExit();
        }
    }

    [Test]
    public void Static_writes_pages_whose_every_script_style_and_picture_is_written()
    {
        var (exitCode, output, error) = BuiltProgram.Run(Project, Assembly, "--logdir", _sample.Root, "--static", _out);

        Assert.That(exitCode, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain(Path.Combine(_out, "index.html")));
        foreach (string page in new[] { "index.html", "run.html", "lesson.html" })
        {
            var references = LocalReferences(File.ReadAllText(Path.Combine(_out, page))).ToList();
            Assert.That(references, Has.Count.GreaterThanOrEqualTo(3), page);
            foreach (string reference in references)
                Assert.That(File.Exists(Path.Combine(_out, reference)), $"{page} refers to {reference}, which was not written");
        }
        var data = EmbeddedIndex(_out);
        string filesBase = (string)data["filesBase"]!;
        Assert.That(filesBase, Is.EqualTo("files/"), "a static board outside the log folder carries copies of the pictures");
        AssertIndexedFilesExist(_out, data);
    }

    [Test]
    public void Static_into_the_log_folder_links_the_pictures_where_they_lie()
    {
        var (exitCode, _, error) = BuiltProgram.Run(Project, Assembly, "--logdir", _sample.Root, "--static", _sample.Root);

        Assert.That(exitCode, Is.EqualTo(0), error);
        var data = EmbeddedIndex(_sample.Root);
        Assert.That((string)data["filesBase"]!, Is.EqualTo(""));
        Assert.That(Directory.Exists(Path.Combine(_sample.Root, "files")), Is.False);
        AssertIndexedFilesExist(_sample.Root, data);
    }

    // Every run's data script, every lesson picture and every image event resolve to a file beside the pages.
    private static void AssertIndexedFilesExist(string folder, JsonObject data)
    {
        string filesBase = (string)data["filesBase"]!;
        var index = data["index"]!;
        var runs = index["runs"]!.AsArray();
        Assert.That(runs, Has.Count.EqualTo(3));
        int images = 0;
        foreach (var run in runs)
        {
            string script = Path.Combine(folder, (string)run!["data"]!);
            Assert.That(File.Exists(script), $"{script} was not written");
            string text = File.ReadAllText(script);
            foreach (Match image in Regex.Matches(text, "\"file\":\"([^\"]+)\""))
            {
                images++;
                Assert.That(File.Exists(Path.Combine(folder, filesBase + (string)run["name"]! + "/" + image.Groups[1].Value)), image.Value);
            }
        }
        Assert.That(images, Is.EqualTo(SampleLogFolder.EveryFifth));
        foreach (var lesson in index["lessons"]!.AsArray())
            foreach (var picture in lesson!["pictures"]!.AsArray())
                Assert.That(File.Exists(Path.Combine(folder, filesBase + (string)lesson["name"]! + "/" + (string)picture!)), (string?)picture);
    }

    private static JsonObject EmbeddedIndex(string folder)
    {
        string script = File.ReadAllText(Path.Combine(folder, "board-data", "index.js"));
        var json = Regex.Match(script, @"Object\.assign\(window\.boardData \|\| \{\}, (.*)\);\s*$", RegexOptions.Singleline);
        Assert.That(json.Success, "board-data/index.js does not set window.boardData");
        return JsonNode.Parse(json.Groups[1].Value)!.AsObject();
    }

    // The relative URLs a page loads: <script src>, <link href> and <img src>; data: URLs are inline.
    private static IEnumerable<string> LocalReferences(string html) =>
        Regex.Matches(html, "<(?:script|img)[^>]*\\ssrc=\"([^\"]+)\"|<link[^>]*\\shref=\"([^\"]+)\"")
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .Where(url => !url.StartsWith("data:", StringComparison.Ordinal));
}
