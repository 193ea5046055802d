using System.Globalization;
using GraphDL.Data;

namespace GraphDL.Bench;

/// <summary>The command line: <c>--json --compare --only a,b --runs N --data DIR --python PATH</c>, and the internal <c>--workload mlp</c>.</summary>
public sealed record Options
{
    /// <summary>Every figure the benchmark reports, in the order it reports them.</summary>
    public static readonly string[] Names =
    [
        "sgemm_gflops_n256", "sgemm_gflops_n1024", "sgemm_gflops_n2048",
        "linear_fit_step_us", "iris_step_us", "mnist_single_1000_steps_s",
        "mlp_epoch_s", "mlp_step_alloc_bytes", "mlp_peak_rss_mb",
    ];

    public const string Usage =
        """
        GraphDL's CPU benchmark (issue 5). Each figure is the median of its runs after a warm-up.

          dotnet run --project Bench -c Release -- [options]

          --json          one JSON object per line: {"name": "...", "value": 0.61, "unit": "s"}
          --compare       then run the PyTorch and NumPy peers (Bench/peers/) and print medians, ratios and targets
          --only a,b      only these figures (names as printed; the peers get the same list)
          --runs N        runs per figure (default 5)
          --data DIR      the MNIST directory (default: $GRAPHDL_DATA/mnist or ~/.graphdl/data/mnist)
          --python PATH   the Python that runs the peers (default /usr/bin/python3)
        """;

    public bool Json { get; init; }
    public bool Compare { get; init; }
    public IReadOnlySet<string>? Only { get; init; }
    public int Runs { get; init; } = 5;
    public string DataDir { get; init; } = Mnist.DefaultDataDir;
    public string Python { get; init; } = "/usr/bin/python3";

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
                    "--runs" => options with { Runs = ParseRuns(Value()) },
                    "--data" => options with { DataDir = Path.GetFullPath(Value()) },
                    "--python" => options with { Python = Value() },
                    "--workload" => options with { Workload = Value() },
                    _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
                };
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"Bench: {e.Message}\n\n{Usage}");
                return null;
            }
        }
        return options;
    }

    private static HashSet<string> ParseNames(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = names.Where(n => !Names.Contains(n)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Unknown figure(s) {string.Join(", ", unknown)}; the figures are {string.Join(", ", Names)}.");
        return names;
    }

    private static int ParseRuns(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int runs) && runs >= 1
            ? runs
            : throw new ArgumentException($"--runs takes a whole number of at least 1, not '{text}'.");
}
