using System.Net;
using System.Text.Json.Nodes;
using GraphDL.Board;
using NUnit.Framework;

namespace GraphDL.Tests.Board;

/// <summary>The live board in the tests' process, on a free port, asked what the page asks.</summary>
public class BoardServerTests
{
    private SampleLogFolder _sample = null!;
    private BoardServer _server = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task Start()
    {
        _sample = new SampleLogFolder();
        _server = await BoardServer.StartAsync(_sample.Root, port: 0);
        _http = new HttpClient { BaseAddress = _server.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    [TearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _sample.Dispose();
    }

    [Test]
    public void Port_zero_gets_a_real_port_on_localhost()
    {
        Assert.That(_server.Url.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(_server.Url.Port, Is.GreaterThan(0));
    }

    [TestCase("")]
    [TestCase("index.html")]
    [TestCase("run.html")]
    [TestCase("lesson.html")]
    public async Task The_pages_are_served_with_their_scripts(string page)
    {
        string html = await _http.GetStringAsync(page);

        Assert.That(html, Does.Contain("<title>GraphDL Board"));
        foreach (string script in new[] { "vendor/dagre.min.js", "board-data/index.js", "js/pages.js" })
        {
            Assert.That(html, Does.Contain($"src=\"{script}\""));
            Assert.That((await _http.GetAsync(script)).StatusCode, Is.EqualTo(HttpStatusCode.OK), script);
        }
    }

    [Test]
    public async Task The_index_counts_the_lessons_and_runs()
    {
        var index = await GetJson("api/runs");

        Assert.That(index["runs"]!.AsArray().Select(r => (string?)r!["name"]), Is.EqualTo(new[] { SampleLogFolder.Adam, SampleLogFolder.Sgd, SampleLogFolder.Loose }));
        var lesson = index["lessons"]!.AsArray().Single()!;
        Assert.That((string?)lesson["name"], Is.EqualTo(SampleLogFolder.Lesson));
        Assert.That(lesson["runs"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(lesson["result"]!["figures"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That((bool?)index["runs"]![2]!["events"], Is.False, "the loose run has a graph only");
    }

    [Test]
    public async Task A_run_comes_with_its_graph_profile_and_every_logged_point()
    {
        var run = await GetJson("api/run?run=" + Uri.EscapeDataString(SampleLogFolder.Adam));

        Assert.That(run["graph"]!["nodes"]!.AsArray(), Has.Count.EqualTo(SampleLogFolder.NodeNames.Length));
        Assert.That(run["profile"]!["nodes"]!["layer1/MatMul"], Is.Not.Null);
        var events = run["events"]!.AsArray();
        Assert.That(events.Count(e => (string?)e!["tag"] == "loss"), Is.EqualTo(SampleLogFolder.Steps));
        Assert.That((int?)run["next"], Is.EqualTo(events.Count));
    }

    [Test]
    public async Task A_poll_brings_only_what_was_appended_since()
    {
        var first = await GetJson("api/events?run=" + Uri.EscapeDataString(SampleLogFolder.Adam) + "&after=0");
        int next = (int)first["next"]!;

        _sample.AppendScalar(SampleLogFolder.Adam, "loss", step: 1000, value: 0.01);
        var second = await GetJson($"api/events?run={Uri.EscapeDataString(SampleLogFolder.Adam)}&after={next}");

        Assert.That(second["events"]!.AsArray().Select(e => (int?)e!["step"]), Is.EqualTo(new int?[] { 1000 }));
        Assert.That((int?)second["next"], Is.EqualTo(next + 1));
    }

    [Test]
    public async Task An_unknown_run_is_a_404_that_names_it()
    {
        var response = await _http.GetAsync("api/run?run=nope");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("nope"));
    }

    [Test]
    public async Task The_pictures_are_served_from_the_log_folder()
    {
        var picture = await _http.GetAsync($"files/{SampleLogFolder.Lesson}/loss.png");
        var image = await _http.GetAsync($"files/{SampleLogFolder.Sgd}/images/input/000000_0.png");

        Assert.That(picture.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(picture.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(image.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_live_index_script_says_live()
    {
        string script = await _http.GetStringAsync("board-data/index.js");

        Assert.That(script, Does.StartWith("window.boardData = ").And.Contain("\"live\":true"));
    }

    private async Task<JsonObject> GetJson(string url) => JsonNode.Parse(await _http.GetStringAsync(url))!.AsObject();
}
