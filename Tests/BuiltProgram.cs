using GraphDL.Tests.Plots;
using NUnit.Framework;

namespace GraphDL.Tests;

/// <summary>
/// A program of this repository as its own build left it (Tests.csproj makes sure it is built first), started
/// with <c>dotnet</c> as the tests' child process: what a person typing its command line would see.
/// </summary>
public static class BuiltProgram
{
    /// <summary>Runs the assembly <paramref name="assembly"/> built from <paramref name="projectFolder"/> with <paramref name="args"/>.</summary>
    public static (int ExitCode, string Output, string Error) Run(string projectFolder, string assembly, params string[] args)
    {
        string dll = Path.Combine(TestData.RepoRoot(), projectFolder, "bin", Configuration, "net10.0", assembly + ".dll");
        Assert.That(File.Exists(dll), $"{dll} is not built");
        return ChildProcess.Run("dotnet", [dll, .. args], TimeSpan.FromMinutes(1));
    }

    // The tests' own configuration: bin/Release/... or bin/Debug/...
    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
}
