using NUnit.Framework;

namespace GraphDL.Tests.Browser;

/// <summary>
/// Takes the README's pictures of the board: the MNIST CNN's graph and its training curves, from the log folder a Tour
/// left (<c>GRAPHDL_SCREENSHOT_LOGDIR</c>, default the repository's <c>out/</c>), into <c>docs/board/</c>. Explicit: it
/// runs only when asked, `dotnet test --filter FullyQualifiedName~ReadmeScreenshots`, after a Tour.
/// </summary>
[Explicit("writes the README's pictures from a Tour's output; run it by name")]
[Category("Browser")]
public sealed class ReadmeScreenshots
{
    [Test]
    public async Task MnistCnnGraphAndCurves()
    {
        string repository = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", ".."));
        string logdir = Environment.GetEnvironmentVariable("GRAPHDL_SCREENSHOT_LOGDIR") ?? Path.Combine(repository, "out");
        Assume.That(File.Exists(Path.Combine(logdir, "index.html")), Is.True, $"no Tour output with index.html in {logdir}");
        await using var browser = await BrowserHarness.LaunchOrIgnoreAsync();
        var run = new UriBuilder(new Uri(Path.Combine(logdir, "run.html"))) { Query = "run=MnistCnn/board/train&run=MnistCnn/board/test" }.Uri;
        var page = await browser.OpenAsync(run);
        await page.WaitForBoardReadyAsync();
        Assert.That(page.Errors, Is.Empty);
        string docs = Path.Combine(repository, "docs", "board");
        var graph = await page.ScreenshotElementAsync("#graph-panel", Path.Combine(docs, "mnistcnn-graph.png"));
        var curves = await page.ScreenshotElementAsync("#scalars", Path.Combine(docs, "mnistcnn-curves.png"));
        Assert.That(ScreenshotContent.Of(graph).IsBlank, Is.False);
        Assert.That(ScreenshotContent.Of(curves).IsBlank, Is.False);
    }
}
