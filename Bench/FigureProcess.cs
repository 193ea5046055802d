using System.Diagnostics;
using GraphDL.Backends.Cpu.Blas;

namespace GraphDL.Bench;

/// <summary>
/// Each of GraphDL's CPU figures is taken in a process of its own, as a program that trains one network runs: the
/// benchmark starts itself again (<c>--only NAME --json --in-process</c>) with GRAPHDL_BLAS set to the library under
/// test, and reads the figure off the child's JSON lines. No figure then runs on code the JIT recompiled with another
/// workload's profile, or in a heap another workload has grown (the MNIST single layer, whose loop allocates its
/// batches, took 0.38-0.40 s after the other workloads and 0.45-0.73 s in a fresh process; Bench/README.md).
/// </summary>
public static class FigureProcess
{
    /// <summary>Starts the benchmark on <paramref name="figure"/> alone on <paramref name="blas"/> and returns what it measured.</summary>
    public static List<Metric> Measure(Options options, string blas, string figure)
    {
        List<string> args = ["--only", figure, "--json", "--in-process", "--runs", options.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", options.DataDir];
        if (options.Profile) args.Add("--profile");
        string output = Run(args, blas, $"the {figure} child process");
        return [.. Json.ReadLines(output.Split('\n')).Metrics.Where(m => m.Name == figure)];
    }

    /// <summary>
    /// Runs the benchmark again with <paramref name="args"/> on <paramref name="blas"/> and returns its standard output;
    /// its standard error goes on to this process's. Throws, naming <paramref name="what"/>, when it fails.
    /// </summary>
    public static string Run(IEnumerable<string> args, string blas, string what)
    {
        // Under `dotnet run` and when published the process is the app host; under `dotnet GraphDL.Bench.dll` it is
        // dotnet and needs the dll (named from the directory: a single-file app's assemblies have no location).
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which executable this process is.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment[BlasProvider.Variable] = blas;   // the choice is made once per process: the child is told
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, $"{typeof(FigureProcess).Assembly.GetName().Name}.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"{char.ToUpperInvariant(what[0])}{what[1..]} exited with code {child.ExitCode} (its error is above).");
        return output;
    }
}
