using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using GraphDL.Data;

namespace GraphDL.Bench;

/// <summary>
/// The command line, parsed by System.CommandLine: <c>--json --compare --only a,b --runs N --data DIR --python PATH</c>,
/// the GPU modes <c>--gpu [--small]</c> and <c>--gpu-check [--steps N]</c> with <c>--device gpu|emulated</c>, and the
/// internal <c>--workload mlp</c>. <c>--help</c> prints every option.
/// </summary>
public sealed record Options
{
    /// <summary>Every figure the benchmark reports, in the order it reports them.</summary>
    public static readonly string[] Names =
    [
        "sgemm_gflops_n256", "sgemm_gflops_n1024", "sgemm_gflops_n2048",
        "linear_fit_step_us", "iris_step_us", "node_overhead_ns", "mnist_single_1000_steps_s",
        "mlp_epoch_s", "mlp_step_alloc_bytes", "mlp_peak_rss_mb",
        "lstm_step_ms", "gru_step_ms", "cnn_step_ms",
    ];

    /// <summary>Every figure <c>--gpu</c> reports, in the order it reports them (see <see cref="GpuWorkloads"/>).</summary>
    public static readonly string[] GpuNames = ["gpu_sgemm_gflops_n4096", "gpu_conv_fwd_ms", "gpu_mlp_epoch_s"];

    /// <summary>The exit code of a command line that could not be used.</summary>
    public const int MistakeExitCode = 2;

    // The properties' initial values are the options' defaults, written once.
    private static readonly Options Defaults = new();

    private static readonly Option<bool> JsonOption = new("--json")
    {
        Description = """one JSON object per line: {"name": "...", "value": 0.61, "unit": "s"}""",
    };

    private static readonly Option<bool> CompareOption = new("--compare")
    {
        Description = "then run the PyTorch and NumPy peers (Bench/peers/) and print medians, ratios and targets; with --gpu, the PyTorch-on-CUDA peer and the GPU targets",
    };

    private static readonly Option<IReadOnlySet<string>?> OnlyOption = new("--only")
    {
        Description = "only these figures (names as printed; the peers get the same list)",
        HelpName = "a,b",
        CustomParser = ParseNames,
    };

    private static readonly Option<int> RunsOption = Count("--runs", minimum: 1, Defaults.Runs, "runs per figure (1 with --small)");

    private static readonly Option<string> DataOption = new("--data")
    {
        Description = "the MNIST directory (fetched there when missing)",
        HelpName = "DIR",
        DefaultValueFactory = _ => Defaults.DataDir,
        CustomParser = result => Path.GetFullPath(result.Tokens.Single().Value),
    };

    private static readonly Option<string> PythonOption = new("--python")
    {
        Description = "the Python that runs the peers",
        HelpName = "PATH",
        DefaultValueFactory = _ => Defaults.Python,
    };

    private static readonly Option<bool> GpuOption = new("--gpu")
    {
        Description = "the GPU figures instead of the CPU ones: SGEMM n=4096, a 3x3 convolution, an MLP epoch (see Bench/README.md for the GPU machine)",
    };

    private static readonly Option<bool> GpuCheckOption = new("--gpu-check")
    {
        Description = "every kernel parity case against the CPU backend, then the MNIST training check; exits 0 only when all pass",
    };

    private static readonly Option<string> DeviceOption = new Option<string>("--device")
    {
        Description = "where --gpu and --gpu-check run: gpu (the machine's NVIDIA GPU) or emulated (the kernels' host emulation)",
        HelpName = "gpu|emulated",
        DefaultValueFactory = _ => Defaults.Device,
    }.AcceptOnlyFromAmong("gpu", "emulated");

    private static readonly Option<bool> SmallOption = new("--small")
    {
        Description = "--gpu with tiny sizes and 1 run (unless --runs), to check the code path on the emulation in seconds; not a measurement",
    };

    private static readonly Option<bool> ProfileOption = new("--profile")
    {
        Description = "after timing iris_step_us, lstm_step_ms, gru_step_ms and cnn_step_ms, print where more steps (10; 10,000 of Iris) spent their time (RunProfile), by op and by node, on standard error",
    };

    private static readonly Option<int> FusedAgainstUnfusedOption = new("--lstm-fused-ab")
    {
        Description = "time the LSTM language model's step with the fused cell and the unrolled one in turns, N rounds, and print both medians and their ratio",
        HelpName = "N",
    };

    private static readonly Option<int> GruFusedAgainstUnfusedOption = new("--gru-fused-ab")
    {
        Description = "time the GRU language model's step with the fused cell and the unrolled one in turns, N rounds, and print both medians and their ratio",
        HelpName = "N",
    };

    private static readonly Option<int> ConvPathsAbOption = new("--conv-ab")
    {
        Description = "time the MNIST CNN's step with the convolutions split across the cores in groups of images and with the older chunked path, in turns, N rounds, and print both medians and their ratio (with --profile, each path's profile)",
        HelpName = "N",
    };

    private static readonly Option<int> OverwriteAbOption = new("--overwrite-ab")
    {
        Description = "time the CNN, LSTM and GRU steps with steps writing over inputs no later step reads and without, in turns, N rounds, and print both plans' buffer bytes, medians and their ratio",
        HelpName = "N",
    };

    private static readonly Option<int> ConvShallowAbOption = new("--conv-shallow-ab")
    {
        Description = "time the MNIST CNN's step with its first convolution computed directly and through im2col, in turns, N rounds, and print both medians and their ratio (with --profile, each path's profile); then the two paths' Conv2D and filter gradient alone on a table of shallow layers",
        HelpName = "N",
    };

    private static readonly Option<int> MlpInTurnsOption = new("--mlp-ab")
    {
        Description = "time the MLP step (batch 100 width 360, and batch 256 width 4096) on the CPU backend's earlier paths and its current ones in turns, N rounds; with --profile, a profile of each",
        HelpName = "N",
    };

    private static readonly Option<long?> SingleThreadBelowOption = new("--ab-single-thread-below")
    {
        Description = "with --mlp-ab: compare instead the BLAS's one-thread limit for small products, the default's against F floating-point operations",
        HelpName = "F",
    };

    private static readonly Option<bool> SweepOption = new("--sweep")
    {
        Description = "only this: how cost grows. The MLP step over batch sizes and widths and the LSTM language model's step over sequence lengths, with GFLOP/s against sgemm's; writes sweep.json and PNG plots to --out (with --compare, PyTorch's sweep beside it)",
    };

    private static readonly Option<bool> SweepSmallOption = new("--sweep-small")
    {
        Description = "--sweep on two tiny MLP points and one short LSTM, 1 run (unless --runs), to check the code path in seconds; not a measurement",
    };

    private static readonly Option<string> OutOption = new("--out")
    {
        Description = "where --sweep writes sweep.json and its plots",
        HelpName = "DIR",
        DefaultValueFactory = _ => Defaults.OutDir,
        CustomParser = result => Path.GetFullPath(result.Tokens.Single().Value),
    };

    private static readonly Option<int> StepsOption = Count("--steps", minimum: 0, Defaults.Steps, "--gpu-check's MNIST training steps (0 skips the MNIST check)");

    // The MLP figures' child processes (MlpWorkload) start the benchmark again with this; not for people.
    private static readonly Option<string?> WorkloadOption = new Option<string?>("--workload") { Hidden = true }.AcceptOnlyFromAmong(MlpWorkload.Name);

    // Each figure's child process (FigureProcess) starts the benchmark again with this: measure here; not for people.
    private static readonly Option<bool> InProcessOption = new("--in-process") { Hidden = true };

    private static readonly RootCommand Command = new(
        """
        GraphDL's benchmark: the CPU figures of issue 5, or with --gpu the GPU backend's. Each figure is the median
        of its runs after a warm-up. Run it as `dotnet run --project Bench -c Release -- [options]`, or as
        out/gpu/GraphDL.Bench [options] where scripts/publish-gpu.sh published it.
        """)
    {
        // The published runner's name; left to itself the parser would take ".Bench" for an extension and say "GraphDL".
        HelpName = "GraphDL.Bench",
        Options =
        {
            JsonOption, CompareOption, OnlyOption, RunsOption, DataOption, PythonOption,
            GpuOption, GpuCheckOption, DeviceOption, SmallOption, StepsOption, WorkloadOption, InProcessOption, ProfileOption, FusedAgainstUnfusedOption,
            GruFusedAgainstUnfusedOption, ConvPathsAbOption, ConvShallowAbOption, OverwriteAbOption, MlpInTurnsOption, SingleThreadBelowOption,
            SweepOption, SweepSmallOption, OutOption,
        },
    };

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

    /// <summary>Print a <see cref="RunProfile"/> of the training-step figures after timing them.</summary>
    public bool Profile { get; init; }

    /// <summary>Rounds of the fused-against-unrolled LSTM comparison (<c>--lstm-fused-ab N</c>); 0 when not asked for.</summary>
    public int FusedAgainstUnfusedRounds { get; init; }

    /// <summary>Rounds of the fused-against-unrolled GRU comparison (<c>--gru-fused-ab N</c>); 0 when not asked for.</summary>
    public int GruFusedAgainstUnfusedRounds { get; init; }

    /// <summary>Rounds of the convolution paths' comparison (<c>--conv-ab N</c>); 0 when not asked for.</summary>
    public int ConvPathsAbRounds { get; init; }

    /// <summary>Rounds of the shallow convolutions' direct-against-im2col comparison (<c>--conv-shallow-ab N</c>); 0 when not asked for.</summary>
    public int ConvShallowAbRounds { get; init; }

    /// <summary>Rounds of the comparison of steps writing over their inputs and not (<c>--overwrite-ab N</c>); 0 when not asked for.</summary>
    public int OverwriteAbRounds { get; init; }

    /// <summary>Rounds of the MLP step's earlier-against-current comparison (<c>--mlp-ab N</c>); 0 when not asked for.</summary>
    public int MlpInTurnsRounds { get; init; }
    public int Steps { get; init; } = 1000;

    /// <summary>With <c>--mlp-ab</c>: the one-thread limit, in flops, to compare against the default one; null to compare the elementwise paths.</summary>
    public long? SingleThreadBelowFlops { get; init; }

    /// <summary>Run the sweep of <see cref="GraphDL.Bench.Sweep"/> instead of the figures.</summary>
    public bool Sweep { get; init; }

    /// <summary>The sweep on its tiny grid (<see cref="SweepGrid.Small"/>), which checks the code path only.</summary>
    public bool SweepSmall { get; init; }

    /// <summary>The directory <c>--sweep</c> writes its JSON file and plots into.</summary>
    public string OutDir { get; init; } = Path.GetFullPath(Path.Combine("out", "bench"));

    /// <summary>Set in the child process that runs the MLP workload alone (see <see cref="MlpWorkload"/>).</summary>
    public string? Workload { get; init; }

    /// <summary>Set in a figure's child process (see <see cref="FigureProcess"/>): the figures are measured in this process.</summary>
    public bool InProcess { get; init; }

    public bool Wants(string name) => Only is null || Only.Contains(name);

    public bool WantsAny(params string[] names) => names.Any(Wants);

    /// <summary>
    /// The options <paramref name="args"/> asks for. When it asks for none (<c>--help</c>, which prints on standard
    /// output, or a mistake, which is told on standard error), returns false with the exit code to end with.
    /// </summary>
    public static bool TryParse(string[] args, [NotNullWhen(true)] out Options? options, out int exitCode)
    {
        options = null;
        var parsed = Command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            exitCode = Mistake(parsed.Errors.Select(e => e.Message));
            return false;
        }
        // No action of our own is set, so an action here is the parser's answer to --help or --version.
        if (parsed.Action is not null)
        {
            exitCode = parsed.Invoke();
            return false;
        }
        bool small = parsed.GetValue(SmallOption);
        bool sweepSmall = parsed.GetValue(SweepSmallOption);
        var chosen = new Options
        {
            Json = parsed.GetValue(JsonOption),
            Compare = parsed.GetValue(CompareOption),
            Only = parsed.GetValue(OnlyOption),
            // The emulation takes seconds per training step: one run is enough to check the code path.
            Runs = (small || sweepSmall) && parsed.GetResult(RunsOption) is null or { Implicit: true } ? 1 : parsed.GetValue(RunsOption),
            DataDir = parsed.GetValue(DataOption)!,
            Python = parsed.GetValue(PythonOption)!,
            Gpu = parsed.GetValue(GpuOption),
            GpuCheck = parsed.GetValue(GpuCheckOption),
            Device = parsed.GetValue(DeviceOption)!,
            Small = small,
            Steps = parsed.GetValue(StepsOption),
            Workload = parsed.GetValue(WorkloadOption),
            InProcess = parsed.GetValue(InProcessOption),
            Profile = parsed.GetValue(ProfileOption),
            FusedAgainstUnfusedRounds = parsed.GetValue(FusedAgainstUnfusedOption),
            GruFusedAgainstUnfusedRounds = parsed.GetValue(GruFusedAgainstUnfusedOption),
            ConvPathsAbRounds = parsed.GetValue(ConvPathsAbOption),
            OverwriteAbRounds = parsed.GetValue(OverwriteAbOption),
            ConvShallowAbRounds = parsed.GetValue(ConvShallowAbOption),
            MlpInTurnsRounds = parsed.GetValue(MlpInTurnsOption),
            SingleThreadBelowFlops = parsed.GetValue(SingleThreadBelowOption),
            Sweep = parsed.GetValue(SweepOption),
            SweepSmall = sweepSmall,
            OutDir = parsed.GetValue(OutOption)!,
        };
        if (Conflict(chosen) is { } conflict)
        {
            exitCode = Mistake([conflict]);
            return false;
        }
        options = chosen;
        exitCode = 0;
        return true;
    }

    private static int Mistake(IEnumerable<string> problems)
    {
        foreach (string problem in problems) Console.Error.WriteLine($"Bench: {problem}");
        Console.Error.WriteLine("Bench: run it with --help to see the options.");
        return MistakeExitCode;
    }

    // Options that each parse well but do not go together.
    private static string? Conflict(Options options)
    {
        string? conflict = options switch
        {
            { Gpu: true, GpuCheck: true } => "--gpu and --gpu-check are two separate runs; pass one of them.",
            { Gpu: false, GpuCheck: false, Device: not "gpu" } => "--device applies to --gpu and --gpu-check only.",
            { Gpu: false, Small: true } => "--small applies to --gpu only.",
            { GpuCheck: true, Compare: true } => "--compare applies to the benchmarks, not to --gpu-check.",
            { Sweep: true, Gpu: true } or { Sweep: true, GpuCheck: true } => "--sweep measures the CPU backend; it does not go with --gpu or --gpu-check.",
            { Sweep: true, Only: not null } => "--sweep runs its own grid; --only picks figures of the benchmark, not points of the sweep.",
            { Sweep: false, SweepSmall: true } => "--sweep-small applies to --sweep only.",
            _ when new[] { options.FusedAgainstUnfusedRounds, options.GruFusedAgainstUnfusedRounds, options.ConvPathsAbRounds, options.ConvShallowAbRounds, options.OverwriteAbRounds, options.MlpInTurnsRounds }
                    .Count(rounds => rounds > 0) > 1
                => "--lstm-fused-ab, --gru-fused-ab, --conv-ab, --conv-shallow-ab, --overwrite-ab and --mlp-ab are separate runs; pass one of them.",
            { MlpInTurnsRounds: 0, SingleThreadBelowFlops: not null } => "--ab-single-thread-below applies to --mlp-ab only.",
            _ => null,
        };
        string[] figures = options.Gpu ? GpuNames : Names;
        if (conflict is null && options.Only?.FirstOrDefault(n => !figures.Contains(n)) is { } other)
            conflict = $"--only names {other}, which is not a figure of {(options.Gpu ? "--gpu" : "the CPU benchmark")} ({string.Join(", ", figures)}).";
        return conflict;
    }

    private static HashSet<string>? ParseNames(ArgumentResult result)
    {
        var names = result.Tokens.Single().Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = names.Where(n => !Names.Contains(n) && !GpuNames.Contains(n)).ToArray();
        if (unknown.Length == 0) return names;
        result.AddError($"Unknown figure(s) {string.Join(", ", unknown)}; the figures are {string.Join(", ", [.. Names, .. GpuNames])}.");
        return null;
    }

    private static Option<int> Count(string name, int minimum, int defaultValue, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Single().Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= minimum) return count;
            result.AddError($"{name} takes a whole number of at least {minimum}, not '{text}'.");
            return 0;
        },
    };
}
