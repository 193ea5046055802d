using System.Diagnostics;

namespace GraphDL.Tests.Browser;

/// <summary>
/// Finds the Chromium the browser tests drive: the system's <c>chromium</c> when there is one (CI installs it with
/// apt), else the headless shell that scripts/fetch-chromium.sh put into the user cache. When neither is there it
/// says why, quoting what the fetch script left behind, so a skipped test names the package or library that was missing.
/// <c>GRAPHDL_BROWSER</c> names another Chromium or Chrome to use instead (the cache's wrapper, on a machine that has
/// both, to test the one CI does not run).
/// </summary>
public static class BrowserLocator
{
    /// <summary>The variable that names the browser to use, before any other.</summary>
    public const string BrowserVariable = "GRAPHDL_BROWSER";

    /// <summary>The variable that moves the cache, as it does for scripts/fetch-chromium.sh.</summary>
    public const string CacheVariable = "GRAPHDL_CHROMIUM_DIR";

    private static readonly Lazy<(string? Executable, bool IsHeadlessShell, string WhyNot)> Found = new(Find);

    /// <summary>The cache folder: <c>$GRAPHDL_CHROMIUM_DIR</c>, or <c>~/.graphdl/chromium</c>.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } moved
            ? moved
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".graphdl", "chromium");

    /// <summary>The browser to launch, or null when none can be had (then <see cref="WhyNot"/> says why).</summary>
    public static string? Executable => Found.Value.Executable;

    /// <summary>Whether <see cref="Executable"/> is the headless shell, which only knows the old headless mode.</summary>
    public static bool IsHeadlessShell => Found.Value.IsHeadlessShell;

    /// <summary>Why there is no browser: empty when there is one.</summary>
    public static string WhyNot => Found.Value.WhyNot;

    private static (string?, bool, string) Find()
    {
        if (!OperatingSystem.IsLinux())
            return (null, false, "the browser tests run Debian's Chromium, which needs Linux");
        if (Environment.GetEnvironmentVariable(BrowserVariable) is { Length: > 0 } chosen)
            return File.Exists(chosen)
                ? (chosen, IsShell(chosen), "")
                : (null, false, $"{BrowserVariable} names {chosen}, which does not exist");
        if (OnPath("chromium") is { } system) return (system, false, "");

        string wrapper = Path.Combine(CacheDirectory, "chrome-wrapper");
        if (!File.Exists(wrapper))
        {
            // The build runs the fetch; this is for a cache removed since, or a build with the native steps off.
            // --from-build keeps an offline machine's test runs fast: it does not retry within an hour of a failure.
            string script = Path.Combine(Plots.TestData.RepoRoot(), "scripts", "fetch-chromium.sh");
            var (exitCode, output, error) = ChildProcess.Run("bash", [script, "--from-build"], TimeSpan.FromMinutes(5));
            if (exitCode != 0 || !File.Exists(wrapper))
            {
                string said = (error + output).Trim();
                return (null, false, $"no chromium on PATH and no {wrapper}: bash scripts/fetch-chromium.sh said: {said}{LeftBehind(said)}");
            }
        }
        return (wrapper, true, "");
    }

    // The headless shell has a name of its own; the cache's wrapper runs it.
    private static bool IsShell(string executable) =>
        Path.GetFileName(executable) is "chrome-wrapper" or "chromium-headless-shell" or "chrome-headless-shell";

    // The fetch script's notes on its last failure (which download failed, which libraries were not found), when
    // what it just said does not already give them.
    private static string LeftBehind(string said) =>
        string.Concat(new[] { ".unreachable", ".missing" }
            .Select(name => Path.Combine(CacheDirectory, name))
            .Where(File.Exists)
            .Select(File.ReadAllText)
            .Select(note => note.Trim())
            .Where(note => !said.Contains(note, StringComparison.Ordinal))
            .Select(note => $" ({note})"));

    private static string? OnPath(string program)
    {
        using var which = Process.Start(new ProcessStartInfo("sh", ["-c", $"command -v {program}"]) { RedirectStandardOutput = true })!;
        string path = which.StandardOutput.ReadToEnd().Trim();
        which.WaitForExit();
        return which.ExitCode == 0 && path.Length > 0 ? path : null;
    }
}
