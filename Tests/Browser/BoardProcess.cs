using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace GraphDL.Tests.Browser;

/// <summary>
/// The board as a user starts it, <c>dotnet GraphDL.Board.dll --logdir DIR</c> from Board's own build, as the
/// tests' child process: serving on a free localhost port (<see cref="ServeAsync"/>), or writing the static pages
/// (<see cref="WriteStatic"/>). Tests that need it are ignored with "Board not built" when there is no such build.
/// </summary>
public sealed partial class BoardProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private BoardProcess(Process process, StringBuilder output, Uri url) => (_process, _output, Url) = (process, output, url);

    /// <summary>The address the board serves, as it printed it (<c>http://127.0.0.1:PORT/</c>).</summary>
    public Uri Url { get; }

    /// <summary>What the board printed so far, standard output and error interleaved.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Board's assembly in its build folder, for the tests' own configuration.</summary>
    public static string Assembly
    {
        get
        {
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
            return Path.Combine(Plots.TestData.RepoRoot(), "Board", "bin", configuration, "net10.0", "GraphDL.Board.dll");
        }
    }

    /// <summary>Ignores the test when Board has not been built.</summary>
    public static void IgnoreUnlessBuilt()
    {
        if (!File.Exists(Assembly)) Assert.Ignore($"Board not built: there is no {Assembly} (dotnet build Board -c Release makes it)");
    }

    /// <summary>
    /// Starts <c>--logdir <paramref name="logDir"/> --port 0</c> and waits for the line that gives its address,
    /// <c>Board: http://127.0.0.1:PORT/</c>; fails the test with everything it printed if that line does not come.
    /// </summary>
    public static async Task<BoardProcess> ServeAsync(string logDir)
    {
        IgnoreUnlessBuilt();
        var start = new ProcessStartInfo("dotnet", [Assembly, "--logdir", logDir, "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var output = new StringBuilder();
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (AddressLine().Match(e.Data) is { Success: true } line) address.TrySetResult(new Uri(line.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Exited += (_, _) => address.TrySetException(new InvalidOperationException($"the board exited with code {process.ExitCode}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        Uri? url = null;
        try
        {
            url = await address.Task.WaitAsync(TimeSpan.FromMinutes(1));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            // Reported below, with what the board printed.
        }
        var board = new BoardProcess(process, output, url ?? new Uri("http://127.0.0.1/"));
        if (url is null)
        {
            board.Dispose();
            Assert.Fail($"dotnet {string.Join(' ', start.ArgumentList)} printed no 'Board: http://...' line within a minute, or exited. It printed:\n{board.Output}");
        }
        return board;
    }

    /// <summary>Runs <c>--logdir <paramref name="logDir"/> --static <paramref name="outDir"/></c> to its end; fails the test if it does not succeed.</summary>
    public static void WriteStatic(string logDir, string outDir)
    {
        IgnoreUnlessBuilt();
        var (exitCode, output, error) = ChildProcess.Run("dotnet", [Assembly, "--logdir", logDir, "--static", outDir], TimeSpan.FromMinutes(1));
        Assert.That(exitCode, Is.Zero, $"Board --static {outDir} exited with {exitCode}:\n{output}\n{error}");
    }

    /// <summary>Stops the server.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Board: (http://\S+)")]
    private static partial Regex AddressLine();
}
