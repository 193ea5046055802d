using System.Diagnostics;
using NUnit.Framework;

namespace GraphDL.Tests;

/// <summary>Starts a program as the tests' child process and collects what it printed.</summary>
public static class ChildProcess
{
    /// <summary>Runs <paramref name="program"/> to its end, failing the test if it outlives <paramref name="timeout"/>.</summary>
    /// <param name="environment">Variables to set for the child (a null value removes one); the rest are inherited.</param>
    public static (int ExitCode, string Output, string Error) Run(string program, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
