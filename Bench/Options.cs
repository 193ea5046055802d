using System.Globalization;
using GraphDL.Data;

namespace GraphDL.Bench;

/// <summary>
/// The command line: <c>--json --compare --only a,b --runs N --data DIR --python PATH</c>, the GPU modes
/// <c>--gpu [--small]</c> and <c>--gpu-check [--steps N]</c> with <c>--device gpu|emulated</c>, and the internal <c>--workload mlp</c>.
/// </summary>
public sealed record Options
{
    /// <summary>Every figure the benchmark reports, in the order it reports them.</summary>
    public static readonly string[] Names =
    [
        "sgemm_gflops_n256", "sgemm_gflops_n1024", "sgemm_gflops_n2048",
        "linear_fit_step_us", "iris_step_us", "mnist_single_1000_steps_s",
        "mlp_epoch_s", "mlp_step_alloc_bytes", "mlp_peak_rss_mb",
    ];

    /// <summary>Every figure <c>--gpu</c> reports, in the order it reports them (see <see cref="GpuWorkloads"/>).</summary>
    public static readonly string[] GpuNames = ["gpu_sgemm_gflops_n4096", "gpu_conv_fwd_ms", "gpu_mlp_epoch_s"];

    public const string Usage =
        """
        GraphDL's benchmark: the CPU figures of issue 5, or with --gpu the GPU backend's. Each figure is the median
        of its runs after a warm-up.

          dotnet run --project Bench -c Release -- [options]
          out/gpu/GraphDL.Bench [options]          (published by scripts/publish-gpu.sh)

          --json          one JSON object per line: {"name": "...", "value": 0.61, "unit": "s"}
          --compare       then run the PyTorch and NumPy peers (Bench/peers/) and print medians, ratios and targets
          --only a,b      only these figures (names as printed; the peers get the same list)
          --runs N        runs per figure (default 5)
          --data DIR      the MNIST directory (default: $GRAPHDL_DATA/mnist or ~/.graphdl/data/mnist)
          --python PATH   the Python that runs the peers (default /usr/bin/python3)

        On the GPU backend (see Bench/README.md for running the published binary on a GPU machine):

          --gpu           the GPU figures instead of the CPU ones: SGEMM n=4096, a 3x3 convolution, an MLP epoch;
                          with --compare, then the PyTorch-on-CUDA peer (peers/cuda_peer.py) and the GPU targets
          --gpu-check     every kernel parity case against the CPU backend, then the MNIST training check;
                          exits 0 only when all pass
          --device D      gpu (default: the machine's NVIDIA GPU) or emulated (the kernels' host emulation)
          --small         --gpu with tiny sizes and 1 run (unless --runs), to check the code path on the emulation
                          in seconds; not a measurement
          --steps N       --gpu-check's MNIST training steps (default 1000; 0 skips the MNIST check)
        """;

    public bool Json { get; init; }
    public bool Compare { get; init; }
    public IReadOnlySet<string>? Only { get; init; }
    public int Runs { get; init; } = 5;
    public string DataDir { get; init; } = Mnist.DefaultDataDir;
    public string Python { get; init; } = "/usr/bin/python3";
    public bool Gpu { get; init; }
    public bool GpuCheck { get; init; }

    /// <summary>Where <c>--gpu</c> and <c>--gpu-check</c> run: "gpu" or "emulated".</summary>
    public string Device { get; init; } = "gpu";

    public bool Small { get; init; }
    public int Steps { get; init; } = 1000;

    /// <summary>Set in the child process that runs the MLP workload alone (see <see cref="MlpWorkload"/>).</summary>
    public string? Workload { get; init; }

    public bool Wants(string name) => Only is null || Only.Contains(name);

    public bool WantsAny(params string[] names) => names.Any(Wants);

    /// <summary>The options, or null after printing what is wrong and the usage.</summary>
    public static Options? Parse(string[] args)
    {
        var options = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            try
            {
                options = args[i] switch
                {
                    "--json" => options with { Json = true },
                    "--compare" => options with { Compare = true },
                    "--only" => options with { Only = ParseNames(Value()) },
                    "--runs" => options with { Runs = ParseCount("--runs", Value(), minimum: 1) },
                    "--data" => options with { DataDir = Path.GetFullPath(Value()) },
                    "--python" => options with { Python = Value() },
                    "--workload" => options with { Workload = Value() },
                    "--gpu" => options with { Gpu = true },
                    "--gpu-check" => options with { GpuCheck = true },
                    "--device" => options with { Device = ParseDevice(Value()) },
                    "--small" => options with { Small = true },
                    "--steps" => options with { Steps = ParseCount("--steps", Value(), minimum: 0) },
                    _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
                };
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"Bench: {e.Message}\n\n{Usage}");
                return null;
            }
        }
        // The emulation takes seconds per training step: one run is enough to check the code path.
        if (options.Small && !args.Contains("--runs")) options = options with { Runs = 1 };
        string? conflict = options switch
        {
            { Gpu: true, GpuCheck: true } => "--gpu and --gpu-check are two separate runs; pass one of them.",
            { Gpu: false, GpuCheck: false, Device: not "gpu" } => "--device applies to --gpu and --gpu-check only.",
            { Gpu: false, Small: true } => "--small applies to --gpu only.",
            { GpuCheck: true, Compare: true } => "--compare applies to the benchmarks, not to --gpu-check.",
            _ => null,
        };
        string[] figures = options.Gpu ? GpuNames : Names;
        if (conflict is null && options.Only?.FirstOrDefault(n => !figures.Contains(n)) is { } other)
            conflict = $"--only names {other}, which is not a figure of {(options.Gpu ? "--gpu" : "the CPU benchmark")} ({string.Join(", ", figures)}).";
        if (conflict is not null)
        {
            Console.Error.WriteLine($"Bench: {conflict}\n\n{Usage}");
            return null;
        }
        return options;
    }

    private static string ParseDevice(string device) => device is "gpu" or "emulated"
        ? device
        : throw new ArgumentException($"--device takes gpu or emulated, not '{device}'.");

    private static HashSet<string> ParseNames(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = names.Where(n => !Names.Contains(n) && !GpuNames.Contains(n)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Unknown figure(s) {string.Join(", ", unknown)}; the figures are {string.Join(", ", [.. Names, .. GpuNames])}.");
        return names;
    }

    private static int ParseCount(string option, string text, int minimum) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= minimum
            ? count
            : throw new ArgumentException($"{option} takes a whole number of at least {minimum}, not '{text}'.");
}
