using System.Diagnostics;
using NUnit.Framework;

namespace GraphDL.Tests.Browser;

/// <summary>
/// The harness itself, on small pages the tests write: that it sees what the board's tests rely on it to see (a
/// console error, the ready signal, elements made by a click, a drawn or a blank screen), so that a board test that
/// passes means the board works and not that the harness looked away.
/// </summary>
[TestFixture, Category("Browser")]
public sealed class BrowserHarnessTests
{
    private BrowserHarness _browser = null!;
    private string _pages = null!;

    [OneTimeSetUp]
    public async Task LaunchBrowser()
    {
        var launch = Stopwatch.StartNew();
        _browser = await BrowserHarness.LaunchOrIgnoreAsync();
        TestContext.Progress.WriteLine($"Browser {BrowserLocator.Executable} started in {launch.Elapsed.TotalSeconds:F1} s");
        _pages = Path.Combine(Path.GetTempPath(), $"graphdl-browser-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_pages);
    }

    [OneTimeTearDown]
    public async Task CloseBrowser()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        if (_pages is not null && Directory.Exists(_pages)) Directory.Delete(_pages, recursive: true);
    }

    // Writes a page and gives its file:// address.
    private Uri Page(string name, string body)
    {
        string path = Path.Combine(_pages, name);
        File.WriteAllText(path, $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{name}</title></head>\n<body style=\"margin:0;background:#fff\">\n{body}\n</body></html>\n");
        return new Uri(path);
    }

    [Test]
    public async Task APageWithoutErrorsReportsNone()
    {
        var page = await _browser.OpenAsync(Page("quiet.html", "<p>fine</p><script>console.log('a log line is not an error');</script>"));
        Assert.That(page.Errors, Is.Empty);
    }

    [Test]
    public async Task AConsoleErrorIsReported()
    {
        var page = await _browser.OpenAsync(Page("console-error.html", "<script>console.error('the chart has no data');</script>"));
        Assert.That(page.Errors, Has.Some.Contains("the chart has no data"), "a page with console.error fails the no-console-errors check");
    }

    [Test]
    public async Task AnUncaughtExceptionIsReported()
    {
        var page = await _browser.OpenAsync(Page("throws.html", "<script>undefinedFunctionOfTheBoard();</script>"));
        await page.TryWaitForAsync("true", TimeSpan.FromSeconds(1));   // the event may trail the load by a moment
        Assert.That(page.Errors, Has.Some.Contains("undefinedFunctionOfTheBoard"));
    }

    [Test]
    public async Task AMissingScriptIsReported()
    {
        var page = await _browser.OpenAsync(Page("missing-script.html", "<script src=\"data/not-written.js\"></script>"));
        Assert.That(page.Errors, Is.Not.Empty, "a script file:// cannot load is a console error");
    }

    [Test]
    public async Task BoardReadySetLaterIsSeen()
    {
        var page = await _browser.OpenAsync(Page("ready.html", "<script>setTimeout(() => { window.boardReady = true; }, 300);</script>"));
        Assert.That(await page.TryWaitForAsync("window.boardReady === true", TimeSpan.FromSeconds(10)), Is.True);
    }

    [Test]
    public async Task BoardReadyNeverSetIsNotSeen()
    {
        var page = await _browser.OpenAsync(Page("not-ready.html", "<script>window.boardReady = false;</script>"));
        Assert.That(await page.TryWaitForAsync("window.boardReady === true", TimeSpan.FromSeconds(1)), Is.False);
    }

    [Test]
    public async Task AClickMakesTheElementsItShouldAndTheyAreCounted()
    {
        var page = await _browser.OpenAsync(Page("click.html", """
            <button id="expand">expand</button><div id="children"></div>
            <script>
              document.getElementById('expand').addEventListener('click', () => {
                for (let i = 0; i < 3; i++) {
                  const child = document.createElement('div');
                  child.className = 'node';
                  child.dataset.name = 'layer1/n' + i;
                  document.getElementById('children').appendChild(child);
                }
              });
            </script>
            """));
        Assert.That(await page.CountAsync(".node"), Is.Zero);
        await page.ClickAsync("#expand");
        Assert.That(await page.CountAsync(".node"), Is.EqualTo(3));
        Assert.That(await page.AttributesAsync(".node", "data-name"), Is.EqualTo(new[] { "layer1/n0", "layer1/n1", "layer1/n2" }));
    }

    [Test]
    public async Task ADrawnPageIsNotBlank()
    {
        var page = await _browser.OpenAsync(Page("drawn.html",
            "<h1 style=\"font:bold 40px sans-serif\">Loss</h1><svg width=\"300\" height=\"120\"><rect x=\"10\" y=\"10\" width=\"200\" height=\"80\" fill=\"#1f77b4\"/></svg>"));
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "browser-screenshots", "drawn.png");
        var content = ScreenshotContent.Of(await page.ScreenshotAsync(path));
        TestContext.Out.WriteLine($"{path}: {content}");
        Assert.That(File.Exists(path), "the screenshot is saved");
        Assert.That((content.Width, content.Height), Is.EqualTo((BrowserHarness.ViewportWidth, BrowserHarness.ViewportHeight)));
        // The blue rectangle alone is 16,000 pixels.
        Assert.That(content.DrawnPixels, Is.GreaterThanOrEqualTo(200 * 80));
        Assert.That(content.IsBlank, Is.False, content.ToString());
    }

    [Test]
    public async Task ABlankPageIsFoundBlank()
    {
        var page = await _browser.OpenAsync(Page("blank.html", ""));
        var content = ScreenshotContent.Of(await page.ScreenshotAsync());
        TestContext.Out.WriteLine(content.ToString());
        Assert.That(content.IsBlank, Is.True, content.ToString());
    }

    [Test]
    public async Task AFewStrayPixelsStillCountAsBlank()
    {
        var page = await _browser.OpenAsync(Page("speck.html", "<div style=\"width:4px;height:4px;background:#000\"></div>"));
        var content = ScreenshotContent.Of(await page.ScreenshotAsync());
        Assert.That(content.DistinctColours, Is.GreaterThan(1), "the speck is there");
        Assert.That(content.IsBlank, Is.True, content.ToString());
    }
}
