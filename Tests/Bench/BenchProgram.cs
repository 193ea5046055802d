using NUnit.Framework;

namespace GraphDL.Tests.Bench;

/// <summary>
/// The benchmark as its users start it: built once per test run (in the tests' own configuration) and run as a process,
/// its output read back.
/// </summary>
public static class BenchProgram
{
    private static readonly Lazy<string> s_dll = new(Build);

    /// <summary>Runs the benchmark with <paramref name="args"/> (and, where given, environment variables for it).</summary>
    public static (int ExitCode, string Output, string Error) Run(IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        ChildProcess.Run("dotnet", [s_dll.Value, .. args], TimeSpan.FromMinutes(5), environment);

    private static string Build()
    {
        string root = RepositoryRoot();
        // The tests' own configuration: bin/Release/... or bin/Debug/...
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        var (exitCode, output, error) = ChildProcess.Run("dotnet", ["build", Path.Combine(root, "Bench"), "-c", configuration, "--nologo", "-v", "quiet"], TimeSpan.FromMinutes(5));
        Assert.That(exitCode, Is.Zero, $"dotnet build Bench failed:\n{output}\n{error}");
        string dll = Path.Combine(root, "Bench", "bin", configuration, "net10.0", "GraphDL.Bench.dll");
        Assert.That(File.Exists(dll), dll);
        return dll;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GraphDL.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No GraphDL.sln above {AppContext.BaseDirectory}.");
    }
}
