using System.Collections.Concurrent;
using PuppeteerSharp;

namespace GraphDL.Tests.Browser;

/// <summary>
/// A tab of <see cref="BrowserHarness"/>: what the tests do with a page (wait for the board, click, count elements,
/// take a screenshot) and the errors the page reported while they did.
/// </summary>
public sealed class BrowserPage
{
    private readonly IPage _page;
    private readonly ConcurrentQueue<string> _errors = new();

    internal BrowserPage(IPage page)
    {
        _page = page;
        // Listening from the start: an error while the page loads is the likeliest kind.
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
                _errors.Enqueue($"console.error: {e.Message.Text} ({e.Message.Location?.URL}:{e.Message.Location?.LineNumber})");
        };
        page.PageError += (_, e) => _errors.Enqueue($"uncaught: {e.Message}");
    }

    /// <summary>How long a wait for the page gives it before the test fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The console errors and uncaught exceptions so far, in order. A resource that fails to load (a 404, a script
    /// file:// cannot read) is reported by the browser as a console error too.
    /// </summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Waits for the board's signal that everything visible is drawn, <c>window.boardReady === true</c>.</summary>
    public Task WaitForBoardReadyAsync() => WaitForAsync("window.boardReady === true", "window.boardReady to become true");

    /// <summary>Waits until the JavaScript expression <paramref name="condition"/> is true; fails the test naming <paramref name="what"/> if it is not in time.</summary>
    public async Task WaitForAsync(string condition, string what)
    {
        if (!await TryWaitForAsync(condition, Patience))
            NUnit.Framework.Assert.Fail($"Waited {Patience.TotalSeconds} s for {what} on {_page.Url}; page errors: " +
                                        (Errors.Count == 0 ? "none" : string.Join(" | ", Errors)));
    }

    /// <summary>Whether the JavaScript expression <paramref name="condition"/> became true within <paramref name="patience"/>.</summary>
    public async Task<bool> TryWaitForAsync(string condition, TimeSpan patience)
    {
        try
        {
            await _page.WaitForFunctionAsync($"() => {condition}", new WaitForFunctionOptions { Timeout = (int)patience.TotalMilliseconds });
            return true;
        }
        catch (WaitTaskTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Clicks the first element that matches the CSS <paramref name="selector"/>; fails the test if none does.</summary>
    public async Task ClickAsync(string selector)
    {
        if (await _page.QuerySelectorAsync(selector) is null)
            NUnit.Framework.Assert.Fail($"Nothing on {_page.Url} matches {selector} to click.");
        await _page.ClickAsync(selector);
    }

    /// <summary>How many elements match the CSS <paramref name="selector"/>.</summary>
    public async Task<int> CountAsync(string selector) => (await _page.QuerySelectorAllAsync(selector)).Length;

    /// <summary>The value of attribute <paramref name="attribute"/> on every element that matches <paramref name="selector"/>, in document order.</summary>
    public Task<string[]> AttributesAsync(string selector, string attribute) =>
        _page.EvaluateFunctionAsync<string[]>(
            "(selector, attribute) => [...document.querySelectorAll(selector)].map(e => e.getAttribute(attribute))", selector, attribute);

    /// <summary>A PNG of the visible page, also written to <paramref name="path"/> when one is given.</summary>
    public async Task<byte[]> ScreenshotAsync(string? path = null)
    {
        byte[] png = await _page.ScreenshotDataAsync(new ScreenshotOptions { Type = ScreenshotType.Png });
        if (path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllBytesAsync(path, png);
        }
        return png;
    }
}
