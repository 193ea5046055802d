using NUnit.Framework;
using PuppeteerSharp;

namespace GraphDL.Tests.Browser;

/// <summary>
/// A headless Chromium for the tests, driven by PuppeteerSharp. PuppeteerSharp speaks the browser's DevTools protocol
/// from .NET alone; Microsoft.Playwright would also drive a given executable, but through a Node.js driver process
/// its package carries and with a browser build of its own as the one it supports, and Selenium needs a chromedriver
/// of the browser's exact version. Nothing is downloaded at run time: the browser is the one
/// <see cref="BrowserLocator"/> finds.
/// </summary>
public sealed class BrowserHarness : IAsyncDisposable
{
    private readonly IBrowser _browser;

    private BrowserHarness(IBrowser browser) => _browser = browser;

    /// <summary>Starts the browser, or ignores the test with the reason when no browser can be had.</summary>
    public static async Task<BrowserHarness> LaunchOrIgnoreAsync()
    {
        string? executable = BrowserLocator.Executable;
        if (executable is null) Assert.Ignore($"No browser for the browser tests: {BrowserLocator.WhyNot}");
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable!,
            HeadlessMode = BrowserLocator.IsHeadlessShell ? HeadlessMode.Shell : HeadlessMode.True,
            // Chromium's sandbox needs either root's setuid helper or user namespaces, which a container may not
            // allow, and it refuses to run as root at all; the tests only open pages they wrote themselves.
            Args = ["--no-sandbox"],
            // A pipe rather than a WebSocket on a port: nothing else on the machine can talk to this browser.
            Pipe = true,
            DefaultViewport = new ViewPortOptions { Width = ViewportWidth, Height = ViewportHeight },
            Timeout = 60_000,
        });
        return new BrowserHarness(browser);
    }

    /// <summary>The page's width in CSS pixels, and so the screenshots'.</summary>
    public const int ViewportWidth = 1200;

    /// <summary>The page's height in CSS pixels.</summary>
    public const int ViewportHeight = 800;

    /// <summary>Opens <paramref name="url"/> (http:// or file://) in a new tab and waits until it has loaded.</summary>
    public async Task<BrowserPage> OpenAsync(Uri url)
    {
        var page = await _browser.NewPageAsync();
        var opened = new BrowserPage(page);
        var response = await page.GoToAsync(url.AbsoluteUri, WaitUntilNavigation.Load);
        // file:// answers with no HTTP status; a server's 404 is a page that is not there.
        if (response is { Ok: false } && url.Scheme != Uri.UriSchemeFile)
            Assert.Fail($"{url} answered {(int)response.Status} {response.StatusText}");
        return opened;
    }

    /// <summary>Closes the browser and its process.</summary>
    public async ValueTask DisposeAsync() => await _browser.CloseAsync();
}
