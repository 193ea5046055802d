using System.Globalization;
using System.Runtime.InteropServices;

namespace GraphDL.Bench;

/// <summary>The readable output: GraphDL's figures as they come, and the comparison with its targets as Markdown tables.</summary>
public static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The head of the readable table of figures measured once (the GPU's).</summary>
    public static void Header(TextWriter output)
    {
        output.WriteLine($"{"figure",-27} {"median",10} {"unit",-8} runs (min - max)");
    }

    public static void Row(TextWriter output, Metric metric)
    {
        output.WriteLine($"{metric.Name,-27} {Format(metric.Value),10} {metric.Unit,-8} {Spread(metric)}");
    }

    /// <summary>The head of the readable table of CPU figures: one column per BLAS library, each figure's median and its runs' spread.</summary>
    public static void Header(TextWriter output, IReadOnlyList<BlasUnderTest> libraries)
    {
        output.WriteLine($"{"figure",-27} {string.Concat(libraries.Select(l => $"{l.Name,10} {"runs (min - max)",-22} "))}unit");
    }

    /// <summary>One figure, as measured on each library (null where it was not), in the libraries' order.</summary>
    public static void Row(TextWriter output, string name, IReadOnlyList<Metric?> perLibrary)
    {
        string unit = perLibrary.FirstOrDefault(m => m is not null)?.Unit ?? "";
        output.WriteLine($"{name,-27} {string.Concat(perLibrary.Select(m => $"{Format(m?.Value),10} {Spread(m),-22} "))}{unit}");
    }

    private static string Spread(Metric? metric) =>
        metric is null || metric.Runs.Count == 0 ? "" : $"{metric.Runs.Count} ({Format(metric.Runs.Min())} - {Format(metric.Runs.Max())})";

    /// <summary>The CPU model (from /proc/cpuinfo) and the core count the runtime sees.</summary>
    public static string Machine()
    {
        string cpu = "unknown CPU";
        if (File.Exists("/proc/cpuinfo"))
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) cpu = line[(line.IndexOf(':') + 1)..].Trim();
        }
        return $"{cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    /// <summary>
    /// The side-by-side table (medians, GraphDL's on each BLAS library, and GraphDL's edge over each peer on the engine's
    /// own choice, the first library), then each target of issues 5 and 19 and whether this run meets it. Markdown, so that it
    /// reads in a terminal and pastes into a README.
    /// </summary>
    public static void Comparison(TextWriter output, IReadOnlyList<Metric> ours, IReadOnlyList<BlasUnderTest> libraries, IReadOnlyList<PeerResult> peers, int runs, IReadOnlyList<(string Part, double? Share)> otherLoads)
    {
        var torch = peers.First(p => p.Peer == "torch");
        var numpy = peers.First(p => p.Peer == "numpy");
        double? On(BlasUnderTest library, string name) => ours.FirstOrDefault(m => m.Name == name && m.Blas == library.Name)?.Value;
        double? Ours(string name) => On(libraries[0], name);

        output.WriteLine();
        output.WriteLine($"Date: {DateTime.Now.ToString("yyyy-MM-dd HH:mm zzz", Invariant)}  ");
        output.WriteLine($"Machine: {Machine()}  ");
        string shares = string.Join(", ", otherLoads.Select(l => $"{(l.Share is { } share ? $"{share * 100:F0}%" : "?")} during {l.Part}'s runs"));
        output.WriteLine($"CPU time taken by other processes: {shares} (more than a few percent and the figures, above all the ratios, are not to be trusted)  ");
        foreach (var library in libraries) output.WriteLine($"GraphDL BLAS ({library.Name}): {library.Description}  ");
        output.WriteLine($"PyTorch {torch.Text("version") ?? "(not run)"}, {torch.Text("threads") ?? "?"} threads, BLAS {torch.Text("blas") ?? "?"}  ");
        output.WriteLine($"NumPy {numpy.Text("version") ?? "(not run)"}, BLAS {numpy.Text("blas") ?? "?"}  ");
        output.WriteLine($"Each figure: the median of {runs} runs after a warm-up; {string.Join(", ", InTurns.Figures)} were taken in turns with PyTorch's, " +
                         $"{InTurns.Rounds} rounds of GraphDL's process then PyTorch's, each side's figure the median of its rounds. " +
                         $"\"x\": how many times better GraphDL on {libraries[0].Name} is (faster, or less memory); below 1, worse.");
        output.WriteLine();
        string graphDl = string.Concat(libraries.Select(l => $" GraphDL ({l.Name}) |"));
        output.WriteLine($"| figure | unit |{graphDl} PyTorch | NumPy | GraphDL vs PyTorch | GraphDL vs NumPy |");
        output.WriteLine($"|---|---|{string.Concat(libraries.Select(_ => "--:|"))}--:|--:|--:|--:|");
        foreach (string name in Options.Names)
        {
            double? mine = Ours(name), pyTorchs = torch.Value(name), numPys = numpy.Value(name);
            if (libraries.All(l => On(l, name) is null) && pyTorchs is null && numPys is null) continue;
            string unit = ours.FirstOrDefault(m => m.Name == name)?.Unit ?? "";
            string figures = string.Concat(libraries.Select(l => $" {Format(On(l, name))} |"));
            output.WriteLine($"| {name} | {unit} |{figures} {Format(pyTorchs)} | {Format(numPys)} | {Edge(name, mine, pyTorchs)} | {Edge(name, mine, numPys)} |");
        }

        output.WriteLine();
        output.WriteLine("| target (issues 5 and 19) | measured | met |");
        output.WriteLine("|---|---|---|");
        foreach (var (target, measured, met) in Targets(Ours, torch, numpy))
            output.WriteLine($"| {target} | {measured} | {(met is null ? "not measured" : met.Value ? "yes" : "**no**")} |");
    }

    private static IEnumerable<(string Target, string Measured, bool? Met)> Targets(Func<string, double?> ours, PeerResult torch, PeerResult numpy)
    {
        double? sgemm = Ratio(ours("sgemm_gflops_n1024"), numpy.Value("sgemm_gflops_n1024"));
        yield return ("sgemm n=1024: at least 0.9x NumPy's GFLOP/s", Times(sgemm), Met(sgemm, r => r >= 0.9));

        double? linearFit = ours("linear_fit_step_us");
        yield return ("linear-fit step: at most 1 us", linearFit is null ? "-" : $"{Format(linearFit)} us", Met(linearFit, us => us <= 1));
        double? linearFitEdge = Ratio(torch.Value("linear_fit_step_us"), linearFit);
        yield return ("linear-fit step: at least 40x faster than PyTorch", Times(linearFitEdge), Met(linearFitEdge, r => r >= 40));

        double? iris = Ratio(torch.Value("iris_step_us"), ours("iris_step_us"));
        yield return ("iris step: at least 15x faster than PyTorch", Times(iris), Met(iris, r => r >= 15));
        double? perNode = ours("node_overhead_ns");
        yield return ("executor overhead: at most 100 ns per node", perNode is null ? "-" : $"{Format(perNode)} ns", Met(perNode, ns => ns <= 100));

        double? epoch = Ratio(torch.Value("mlp_epoch_s"), ours("mlp_epoch_s"));
        yield return ("MLP epoch: at least 2x faster than PyTorch", Times(epoch), Met(epoch, r => r >= 2));
        double? rss = Ratio(ours("mlp_peak_rss_mb"), torch.Value("mlp_peak_rss_mb"));
        yield return ("MLP peak RSS: at most half PyTorch's", rss is null ? "-" : $"{Format(rss)}x PyTorch's", Met(rss, r => r <= 0.5));

        double? bytes = ours("mlp_step_alloc_bytes");
        yield return ("steady-state training step: 0 bytes allocated", bytes is null ? "-" : $"{Format(bytes)} B", Met(bytes, b => b == 0));

        // Issue 19's training steps.
        foreach (var (figure, what) in (ValueTuple<string, string>[])[("lstm_step_ms", "LSTM language-model step"), ("gru_step_ms", "GRU language-model step"), ("cnn_step_ms", "CNN step")])
        {
            double? edge = Ratio(torch.Value(figure), ours(figure));
            yield return ($"{what}: at least 1.5x faster than PyTorch", Times(edge), Met(edge, r => r >= 1.5));
        }
    }

    /// <summary>
    /// The GPU comparison: each figure beside PyTorch-on-CUDA's (cuBLAS, cuDNN, an eager training loop), how much
    /// of the peer's speed GraphDL reaches, and the GPU backend's targets. Markdown, as <see cref="Comparison"/>.
    /// </summary>
    public static void GpuComparison(TextWriter output, IReadOnlyList<Metric> ours, IReadOnlyList<Note> ourNotes, PeerResult peer, int runs)
    {
        string? Note(string name) => ourNotes.FirstOrDefault(n => n.Name == name)?.Text;
        double? Ours(string name) => ours.FirstOrDefault(m => m.Name == name)?.Value;
        double? Theirs(string name) => peer.Metrics.FirstOrDefault(m => m.Name == GpuBench.PeerFigures[name])?.Value;

        output.WriteLine();
        output.WriteLine($"Date: {DateTime.Now.ToString("yyyy-MM-dd HH:mm zzz", Invariant)}  ");
        output.WriteLine($"Machine: {Machine()}  ");
        output.WriteLine($"GraphDL on {Note("gpu_device") ?? "?"}: {Note("gpu_driver") ?? "?"}  ");
        output.WriteLine($"Sizes: {Note("gpu_sizes") ?? "?"}; MLP data: {Note("gpu_mlp_data") ?? "-"}, nodes on the CPU: {Note("gpu_mlp_nodes_on_cpu") ?? "-"}  ");
        output.WriteLine($"PyTorch {peer.Text("torch_version") ?? "(not run)"} on {peer.Text("device") ?? "?"}, CUDA {peer.Text("cuda_version") ?? "?"}, " +
                         $"cuDNN {peer.Text("cudnn_version") ?? "?"}, TF32 off; conv {peer.Text("conv_layout") ?? "?"}; MLP data: {peer.Text("mlp_data") ?? "-"}  ");
        output.WriteLine($"Each figure: the median of {runs} runs after a warm-up. \"GraphDL / peer\": the share of the peer's speed GraphDL reaches (above 1, faster).");
        output.WriteLine();
        output.WriteLine("| figure | unit | GraphDL | peer figure | peer | GraphDL / peer |");
        output.WriteLine("|---|---|--:|---|--:|--:|");
        foreach (string name in Options.GpuNames)
        {
            double? mine = Ours(name), theirs = Theirs(name);
            if (mine is null && theirs is null) continue;
            string unit = ours.FirstOrDefault(m => m.Name == name)?.Unit ?? peer.Metrics.FirstOrDefault(m => m.Name == GpuBench.PeerFigures[name])?.Unit ?? "";
            output.WriteLine($"| {name} | {unit} | {Format(mine)} | {GpuBench.PeerFigures[name]} | {Format(theirs)} | {Times(GpuSpeed(name, mine, theirs))} |");
        }

        output.WriteLine();
        output.WriteLine("| target (GPU backend) | measured | met |");
        output.WriteLine("|---|---|---|");
        double? sgemm = GpuSpeed("gpu_sgemm_gflops_n4096", Ours("gpu_sgemm_gflops_n4096"), Theirs("gpu_sgemm_gflops_n4096"));
        double? conv = GpuSpeed("gpu_conv_fwd_ms", Ours("gpu_conv_fwd_ms"), Theirs("gpu_conv_fwd_ms"));
        foreach (var (target, measured, met) in (ValueTuple<string, double?, bool?>[])
                 [
                     ("SGEMM n=4096: at least 70% of cuBLAS's GFLOP/s", sgemm, Met(sgemm, r => r >= 0.7)),
                     ("3x3 conv forward: at least 50% of cuDNN's speed", conv, Met(conv, r => r >= 0.5)),
                 ])
            output.WriteLine($"| {target} | {(measured is { } r ? $"{Format(r * 100)}%" : "-")} | {(met is null ? "not measured" : met.Value ? "yes" : "**no**")} |");
    }

    /// <summary>GraphDL's speed as a share of the peer's: GFLOP/s over GFLOP/s, or the peer's time over ours.</summary>
    private static double? GpuSpeed(string name, double? ours, double? theirs) =>
        name.Contains("gflops", StringComparison.Ordinal) ? Ratio(ours, theirs) : Ratio(theirs, ours);

    /// <summary>Whether a figure meets its target; null when it was not measured.</summary>
    private static bool? Met(double? figure, Func<double, bool> target) => figure is { } value ? target(value) : null;

    /// <summary>How many times better GraphDL's figure is than a peer's: the higher GFLOP/s, or the lower time and memory.</summary>
    private static string Edge(string name, double? ours, double? theirs) =>
        Times(name.StartsWith("sgemm_", StringComparison.Ordinal) ? Ratio(ours, theirs) : Ratio(theirs, ours));

    private static double? Ratio(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d != 0 ? n / d : null;

    private static string Times(double? ratio) => ratio is null ? "-" : $"{Format(ratio)}x";

    private static string Format(double? value) => value switch
    {
        null => "-",
        double v when double.IsNaN(v) => "-",
        double v when v == 0 => "0",
        double v when Math.Abs(v) >= 100 => v.ToString("N0", Invariant),
        double v when Math.Abs(v) >= 10 => v.ToString("F1", Invariant),
        double v when Math.Abs(v) >= 1 => v.ToString("F2", Invariant),
        double v => v.ToString("G3", Invariant),
    };
}
