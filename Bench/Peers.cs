using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace GraphDL.Bench;

/// <summary>What a peer script measured: figures named with its prefix (torch_iris_step_us) and notes (torch_version).</summary>
public sealed record PeerResult(string Peer, List<Metric> Metrics, List<Note> Notes)
{
    /// <summary>The peer's median for one of GraphDL's figure names, or null when it did not measure it.</summary>
    public double? Value(string name) => Metrics.FirstOrDefault(m => m.Name == $"{Peer}_{name}")?.Value;

    public string? Text(string name) => Notes.FirstOrDefault(n => n.Name == $"{Peer}_{name}")?.Text;
}

/// <summary>
/// Runs the same workloads in PyTorch and NumPy (Bench/peers/*.py) right after GraphDL's, so a comparison never
/// spans two states of the machine. Each script prints JSON lines like this benchmark's.
/// </summary>
public static class Peers
{
    public static readonly string[] Scripts = ["torch", "numpy"];

    /// <summary>The peer as people write it.</summary>
    public static string Title(string peer) => peer switch { "torch" => "PyTorch", "numpy" => "NumPy", "cuda" => "PyTorch on CUDA", _ => peer };

    public static PeerResult Run(string peer, Options options, string? irisCsv)
    {
        List<string> args = [];
        if (irisCsv is not null) args.AddRange(["--iris", irisCsv]);
        return Run(peer, options, args);
    }

    /// <summary>
    /// Runs <c>peers/{peer}_peer.py</c> with the runs, the data directory, the <c>--only</c> list and
    /// <paramref name="extraArgs"/>, streaming its lines to standard error unless the output is JSON.
    /// </summary>
    public static PeerResult Run(string peer, Options options, IEnumerable<string> extraArgs)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "peers", $"{peer}_peer.py");
        var start = new ProcessStartInfo(options.Python) { RedirectStandardOutput = true, UseShellExecute = false };
        // -B: no __pycache__ next to the scripts.
        List<string> args = ["-B", script, "--runs", options.Runs.ToString(CultureInfo.InvariantCulture), "--data", options.DataDir, .. extraArgs];
        if (options.Only is not null) args.AddRange(["--only", string.Join(',', options.Only)]);
        foreach (string arg in args) start.ArgumentList.Add(arg);

        var lines = new List<string>();
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {options.Python}.");
            while (process.StandardOutput.ReadLine() is { } line)
            {
                lines.Add(line);
                // Streamed, so a long comparison shows it is alive; the figures are kept for the table.
                if (!options.Json) Console.Error.WriteLine($"  {line}");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
                Console.Error.WriteLine($"Bench: the {peer} peer exited with code {process.ExitCode}; its figures are missing " +
                                        (peer == "cuda" ? "(it needs PyTorch built with CUDA, and a GPU)." : "(`bash scripts/setup.sh --bench` installs PyTorch and NumPy)."));
        }
        catch (Win32Exception e)
        {
            Console.Error.WriteLine($"Bench: cannot run {options.Python} ({e.Message}); pass --python PATH.");
        }
        var (metrics, notes) = Json.ReadLines(lines);
        return new PeerResult(peer, metrics, notes);
    }
}
