using System.Diagnostics;
using NUnit.Framework;

namespace GraphDL.Tests.Browser;

/// <summary>How the board reaches the browser.</summary>
public enum BoardMode
{
    /// <summary><c>Board --logdir DIR --port 0</c>: Kestrel on a free localhost port, pages over http://.</summary>
    Served,

    /// <summary><c>Board --logdir DIR --static OUT</c>: files opened from file:// with no server.</summary>
    Static,
}

/// <summary>
/// The board in a real browser, served and static, on a log folder written by hand (<see cref="TinyBoardLog"/>), checked
/// against the page's test contract (README, "The board page's test contract"): no console errors, the graph's
/// top level drawn node by node and scope by scope, a scope that opens onto its children, one chart point per
/// logged step, and a screenshot that shows something.
/// </summary>
[TestFixture(BoardMode.Served)]
[TestFixture(BoardMode.Static)]
[Category("Browser"), Category("Board")]
public sealed class BoardBrowserTests(BoardMode mode)
{
    private TinyBoardLog _log = null!;
    private BoardProcess? _server;
    private string? _staticDir;
    private BrowserHarness? _browser;

    [OneTimeSetUp]
    public async Task StartBoardAndBrowser()
    {
        BoardProcess.IgnoreUnlessBuilt();
        var clock = Stopwatch.StartNew();
        _browser = await BrowserHarness.LaunchOrIgnoreAsync();
        _log = TinyBoardLog.Write();
        if (mode == BoardMode.Served)
        {
            _server = await BoardProcess.ServeAsync(_log.LogDir);
        }
        else
        {
            _staticDir = Path.Combine(Path.GetTempPath(), $"graphdl-board-static-{Guid.NewGuid():N}");
            BoardProcess.WriteStatic(_log.LogDir, _staticDir);
        }
        TestContext.Progress.WriteLine($"Board ({mode}) and browser ({BrowserLocator.Executable}) ready in {clock.Elapsed.TotalSeconds:F1} s");
    }

    [OneTimeTearDown]
    public async Task StopBoardAndBrowser()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _server?.Dispose();
        foreach (string? folder in new[] { _log?.LogDir, _staticDir })
            if (folder is not null && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    // A page of the board: over http:// from the server, or from file:// in the static output, with the same query.
    private Uri PageUrl(string page, string query = "")
    {
        var url = mode == BoardMode.Served ? new Uri(_server!.Url, page) : new Uri(Path.Combine(_staticDir!, page));
        return new UriBuilder(url) { Query = query }.Uri;
    }

    private static string RunQuery => "run=" + Uri.EscapeDataString(TinyBoardLog.RunName);

    // The run's page, drawn: every test starts from a fresh load.
    private async Task<BrowserPage> OpenRunAsync()
    {
        var page = await _browser!.OpenAsync(PageUrl("run.html", RunQuery));
        await page.WaitForBoardReadyAsync();
        return page;
    }

    [Test]
    public async Task TheIndexLoadsWithoutConsoleErrors()
    {
        var page = await _browser!.OpenAsync(PageUrl("index.html"));
        await page.WaitForBoardReadyAsync();
        Assert.That(page.Errors, Is.Empty);
    }

    [Test]
    public async Task TheRunPageLoadsWithoutConsoleErrors()
    {
        var clock = Stopwatch.StartNew();
        var page = await OpenRunAsync();
        TestContext.Progress.WriteLine($"{mode} run page ready in {clock.ElapsedMilliseconds} ms");
        Assert.That(page.Errors, Is.Empty);
    }

    [Test]
    public async Task TheGraphShowsTheTopLevelNodesAndCollapsedScopes()
    {
        var page = await OpenRunAsync();
        Assert.That(await page.CountAsync("#graph svg"), Is.GreaterThanOrEqualTo(1), "#graph holds an <svg>");
        Assert.That(await page.AttributesAsync("#graph .node", "data-name"), Is.EquivalentTo(TinyBoardLog.NodesIn("")));
        Assert.That(await page.AttributesAsync("#graph .scope", "data-scope"), Is.EquivalentTo(TinyBoardLog.ScopesIn("")));
        Assert.That(page.Errors, Is.Empty);
    }

    [Test]
    public async Task EachNodeIsMarkedWithItsKind()
    {
        var page = await OpenRunAsync();
        foreach (var node in TinyBoardLog.Nodes.Where(n => n.Scope == ""))
            Assert.That(await page.CountAsync($"#graph .node.kind-{node.Kind}[data-name=\"{node.Name}\"]"), Is.EqualTo(1),
                $"{node.Name} is drawn once with class kind-{node.Kind}");
    }

    [TestCase("layer1")]
    [TestCase("gradients")]
    public async Task ExpandingAScopeShowsItsChildren(string scope)
    {
        var page = await OpenRunAsync();
        string box = $"#graph .scope[data-scope=\"{scope}\"]";
        await page.ClickAsync(await page.CountAsync($"{box} .expand") > 0 ? $"{box} .expand" : box);
        // The page sets boardReady again once the children are drawn; waiting for them too covers a page that
        // never cleared it.
        await page.WaitForAsync($"window.boardReady === true && document.querySelector('#graph [data-name^=\"{scope}/\"], #graph [data-scope^=\"{scope}/\"]') !== null",
            $"the children of {scope} to be drawn");

        var childNodes = (await page.AttributesAsync("#graph .node", "data-name")).Where(name => name.StartsWith(scope + "/", StringComparison.Ordinal));
        var childScopes = (await page.AttributesAsync("#graph .scope", "data-scope")).Where(name => name.StartsWith(scope + "/", StringComparison.Ordinal));
        Assert.That(childNodes, Is.EquivalentTo(TinyBoardLog.NodesIn(scope)), $"the nodes directly in {scope}");
        Assert.That(childScopes, Is.EquivalentTo(TinyBoardLog.ScopesIn(scope)), $"the scopes directly in {scope}, collapsed");
        Assert.That(page.Errors, Is.Empty);
    }

    [Test]
    public async Task TheLossChartHasOnePointPerLoggedStep()
    {
        var page = await OpenRunAsync();
        string points = $"svg.chart[data-tag=\"{TinyBoardLog.LossTag}\"] .point";
        Assert.That(await page.CountAsync($"svg.chart[data-tag=\"{TinyBoardLog.LossTag}\"]"), Is.EqualTo(1), "one chart for the tag");
        Assert.That(await page.CountAsync(points), Is.EqualTo(TinyBoardLog.Steps.Count));
        Assert.That((await page.AttributesAsync(points, "data-step")).Select(int.Parse), Is.EquivalentTo(TinyBoardLog.Steps));
        Assert.That(await page.AttributesAsync(points, "data-run"), Has.All.EqualTo(TinyBoardLog.RunName));
    }

    [Test]
    public async Task AScreenshotOfTheRunIsSavedAndNotBlank()
    {
        var page = await OpenRunAsync();
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "board-screenshots", $"run-{mode.ToString().ToLowerInvariant()}.png");
        var content = ScreenshotContent.Of(await page.ScreenshotAsync(path));
        TestContext.Out.WriteLine($"{path}: {content}");
        TestContext.AddTestAttachment(path, $"the {mode} board's run page");
        Assert.That(content.IsBlank, Is.False, content.ToString());
    }
}
