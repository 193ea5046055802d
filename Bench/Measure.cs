using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace GraphDL.Bench;

/// <summary>
/// One benchmark figure: the median of its runs. The runs themselves travel along for the readable table
/// (a figure read from a peer's JSON line has only its median).
/// </summary>
public sealed record Metric(string Name, double Value, string Unit, IReadOnlyList<double> Runs)
{
    /// <summary>The BLAS library GraphDL ran on ("mkl", "openblas"; <see cref="BlasUnderTest.Name"/>), or null (a peer's figure, a GPU figure).</summary>
    public string? Blas { get; init; }

    public static Metric OfRuns(string name, string unit, IReadOnlyList<double> runs) =>
        new(name, Timing.Median(runs), unit, runs);

    /// <summary>
    /// The line <c>--json</c> prints: <c>{"name": "...", "value": 0.61, "unit": "s"}</c>, and <c>"blas": "mkl"</c> after
    /// them when the figure is GraphDL's on the CPU (one line per library, the engine's default library first).
    /// </summary>
    public string ToJson() =>
        $"{{\"name\": {JsonSerializer.Serialize(Name)}, \"value\": {Json.Number(Value)}, \"unit\": {JsonSerializer.Serialize(Unit)}{Json.BlasField(Blas)}}}";
}

/// <summary>A fact that is not a number (the BLAS in use, a peer's version), printed as a JSON line with an empty unit.</summary>
public sealed record Note(string Name, string Text)
{
    /// <summary>The BLAS library the note is about, as in <see cref="Metric.Blas"/>.</summary>
    public string? Blas { get; init; }

    public string ToJson() => $"{{\"name\": {JsonSerializer.Serialize(Name)}, \"value\": {JsonSerializer.Serialize(Text)}, \"unit\": \"\"{Json.BlasField(Blas)}}}";
}

public static class Json
{
    /// <summary>Four significant digits: more would only repeat the noise between runs.</summary>
    public static string Number(double value) =>
        double.IsFinite(value) ? double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture) : "null";

    /// <summary>The optional <c>"blas"</c> member of a JSON line, with its leading comma; empty when there is none.</summary>
    public static string BlasField(string? blas) => blas is null ? "" : $", \"blas\": {JsonSerializer.Serialize(blas)}";

    /// <summary>
    /// Reads the JSON lines a workload printed (a peer script, or this benchmark's own child process),
    /// skipping anything else on the way.
    /// </summary>
    public static (List<Metric> Metrics, List<Note> Notes) ReadLines(IEnumerable<string> lines)
    {
        var metrics = new List<Metric>();
        var notes = new List<Note>();
        foreach (string line in lines)
        {
            if (!line.TrimStart().StartsWith('{')) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            string name = root.GetProperty("name").GetString() ?? "";
            var value = root.GetProperty("value");
            string? blas = root.TryGetProperty("blas", out var library) ? library.GetString() : null;
            if (value.ValueKind == JsonValueKind.Number)
                metrics.Add(new Metric(name, value.GetDouble(), root.GetProperty("unit").GetString() ?? "", []) { Blas = blas });
            else if (value.ValueKind == JsonValueKind.String)
                notes.Add(new Note(name, value.GetString() ?? "") { Blas = blas });
        }
        return (metrics, notes);
    }
}

/// <summary>How every figure is taken: a warm-up, then runs long enough for the clock, then the median.</summary>
public static class Timing
{
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>
    /// Calls <paramref name="step"/> until the JIT has settled: at least <paramref name="minCalls"/> calls and
    /// <paramref name="minSeconds"/>, and then until no method has been compiled for <see cref="JitQuietSeconds"/>
    /// (<see cref="System.Runtime.JitInfo.GetCompiledMethodCount"/>), at most <see cref="MaxWarmUpSeconds"/> in all.
    /// Returns the seconds per call over the quiet stretch at the end, the one that ran settled code (over the whole
    /// warm-up when the JIT was still compiling at the cap).
    /// </summary>
    /// <remarks>
    /// .NET first compiles a method quickly and unoptimised, then recompiles it in the background once it is hot, with the
    /// profile of the calls it has seen (the executor's per-node dispatch gains most from that). A fixed warm-up of a few
    /// steps measured a slow step such as the MLP's on unoptimised code (0.92 s an epoch against 0.46 s settled); a fixed
    /// warm-up in seconds measured a fast one before its recompilation had ended. Waiting for the JIT to fall quiet
    /// serves both, and keeps .NET's default compilation, the one the lessons run with.
    /// </remarks>
    public static double WarmUp(Action step, int minCalls = 1, double minSeconds = 0, Action? waitForDevice = null)
    {
        var clock = Stopwatch.StartNew();
        long calls = 0, compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        long callsAtQuietStart = 0;
        double quietSince = 0;
        while (true)
        {
            step();
            waitForDevice?.Invoke();
            calls++;
            double now = clock.Elapsed.TotalSeconds;
            long compiledNow = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (compiledNow != compiled)
            {
                compiled = compiledNow;
                quietSince = now;
                callsAtQuietStart = calls;
            }
            bool settled = now - quietSince >= JitQuietSeconds && calls - callsAtQuietStart >= 2;
            if (calls < minCalls || now < minSeconds) continue;
            if (settled) return (now - quietSince) / (calls - callsAtQuietStart);
            // Still compiling at the cap, perhaps in this very call: the whole warm-up's average is the estimate left.
            if (now >= MaxWarmUpSeconds) return now / calls;
        }
    }

    /// <summary>
    /// How long no method may have been compiled before <see cref="WarmUp"/> deems the JIT settled: 0.5 s, and 2 s on a
    /// single processor, where .NET waits ten times longer (1 s instead of 0.1 s after the last quick compilation) before
    /// it counts calls towards recompiling, and compiles nothing meanwhile. With 0.5 s, a process held to one processor
    /// (<c>DOTNET_PROCESSOR_COUNT=1</c>, or <c>taskset -c 0</c>) measured the linear-fit step at 9.4-9.8 µs and the Iris
    /// step at 135-141 µs, on code not yet recompiled (AMD EPYC Zen 5, 2026-12-07).
    /// </summary>
    public static readonly double JitQuietSeconds = Environment.ProcessorCount > 1 ? 0.5 : 2.0;

    /// <summary>The longest <see cref="WarmUp"/> waits for the JIT, so that a step that keeps compiling still gets measured.</summary>
    public const double MaxWarmUpSeconds = 20;

    /// <summary>
    /// Seconds per call of <paramref name="step"/>, one figure per run. The warm-up (<see cref="WarmUp"/>: the JIT,
    /// caches, the session's plan) lasts at least <paramref name="warmUpSeconds"/> and tells how many calls make a run
    /// last at least <paramref name="minRunSeconds"/>, so that a microsecond step is timed over many thousands of calls.
    /// </summary>
    /// <remarks>
    /// On a GPU, <paramref name="waitForDevice"/> waits for the queued kernels: each warm-up call is waited for, a
    /// run queues its calls and waits once at the end, so the figure is the kernels' time, not a launch's latency.
    /// </remarks>
    public static double[] SecondsPerCall(Action step, int runs, double minRunSeconds = 0.25, double warmUpSeconds = 0.5, Action? waitForDevice = null)
    {
        double perCall = WarmUp(step, minSeconds: warmUpSeconds, waitForDevice: waitForDevice);
        long callsPerRun = Math.Max(1, (long)Math.Ceiling(minRunSeconds / perCall));

        var clock = new Stopwatch();
        var result = new double[runs];
        for (int run = 0; run < runs; run++)
        {
            clock.Restart();
            for (long i = 0; i < callsPerRun; i++) step();
            waitForDevice?.Invoke();
            result[run] = clock.Elapsed.TotalSeconds / callsPerRun;
        }
        return result;
    }

    /// <summary>
    /// Seconds per run of <paramref name="stepsPerRun"/> calls of <paramref name="step"/>, after a warm-up of at least
    /// <paramref name="warmUpSteps"/> calls that lasts until the JIT has settled (<see cref="WarmUp"/>).
    /// </summary>
    public static double[] SecondsPerRun(Action step, int stepsPerRun, int warmUpSteps, int runs)
    {
        if (warmUpSteps > 0) WarmUp(step, minCalls: warmUpSteps);
        var result = new double[runs];
        var clock = new Stopwatch();
        for (int run = 0; run < runs; run++)
        {
            clock.Restart();
            for (int i = 0; i < stepsPerRun; i++) step();
            result[run] = clock.Elapsed.TotalSeconds;
        }
        return result;
    }

    /// <summary>
    /// One turn of a comparison made in turns: <paramref name="steps"/> calls of <paramref name="step"/>, as wall time and
    /// as the process's CPU time per call, in milliseconds. A busy machine inflates the CPU time less: it leaves out the
    /// time the step waits for a core, and counts only what it computes (and the BLAS threads' spinning).
    /// </summary>
    public static (double WallMs, double CpuMs) Turn(Action step, int steps)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        double wallMs = SecondsPerRun(step, steps, warmUpSteps: 0, runs: 1)[0] * 1e3 / steps;
        process.Refresh();
        return (wallMs, (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / steps);
    }

    /// <summary>
    /// A comparison made in turns, summed up on one line: each side's median and minimum, then the ratio
    /// <paramref name="numerator"/> / the other side per round (median and range) and of the minimums.
    /// </summary>
    /// <param name="what">What was timed: "wall time per step".</param>
    /// <param name="first">The side timed first, by name, with its times.</param>
    /// <param name="second">The other side.</param>
    /// <param name="numerator">The name of the side divided by the other in the ratios.</param>
    /// <param name="digits">Decimals of a time.</param>
    /// <param name="unit">Written after each time ("ms"), or nothing when <paramref name="what"/> names it.</param>
    public static string InTurnsSummary(string what, (string Name, List<double> Times) first, (string Name, List<double> Times) second,
        string numerator, int digits, string unit = "")
    {
        var (top, bottom) = numerator == first.Name ? (first, second) : (second, first);
        var ratios = top.Times.Zip(bottom.Times, (t, b) => t / b).ToList();
        string Time(double value) => value.ToString("F" + digits, CultureInfo.InvariantCulture) + (unit.Length > 0 ? " " + unit : "");
        return $"{what}: {first.Name} median {Time(Median(first.Times))} (min {Time(first.Times.Min())}), " +
               $"{second.Name} median {Time(Median(second.Times))} (min {Time(second.Times.Min())}); " +
               $"{top.Name} / {bottom.Name} per round: median {Median(ratios):F2}, range {ratios.Min():F2} - {ratios.Max():F2}; " +
               $"of the minimums {top.Times.Min() / bottom.Times.Min():F2}";
    }

    /// <summary>The process's peak resident set size so far (VmHWM in /proc/self/status), in MiB; NaN where there is no /proc.</summary>
    public static double PeakRssMb()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return double.NaN;
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
            string kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
            return double.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024;
        }
        return double.NaN;
    }
}

/// <summary>
/// How much of the machine's CPU time went to other processes while a part of the benchmark ran: the machine's busy time
/// (/proc/stat) less this process's and its finished children's (/proc/self/stat). On a shared machine this says
/// whether the figures, and above all the ratios between GraphDL and its peers, can be trusted.
/// </summary>
public sealed class OtherLoad
{
    private readonly (long Busy, long Total) _machineAtStart = Machine();
    private readonly long _oursAtStart = Ours();

    /// <summary>The share of all cores' time since this object was made that other processes used, or null without /proc.</summary>
    public double? Share()
    {
        var machine = Machine();
        long total = machine.Total - _machineAtStart.Total;
        if (total <= 0) return null;
        long others = machine.Busy - _machineAtStart.Busy - (Ours() - _oursAtStart);
        return Math.Clamp(others / (double)total, 0, 1);
    }

    private static (long Busy, long Total) Machine()
    {
        if (!File.Exists("/proc/stat")) return (0, 0);
        // cpu  user nice system idle iowait irq softirq steal (guest time is already inside user)
        long[] ticks = [.. File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse)];
        long total = ticks.Sum();
        return (total - ticks[3] - ticks[4], total);
    }

    private static long Ours()
    {
        if (!File.Exists("/proc/self/stat")) return 0;
        // The command name may hold spaces; the fields after it start with the state (field 3): utime is field 14.
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Skip(11).Take(4).Sum(long.Parse);   // utime, stime, and the waited-for children's cutime, cstime
    }
}
