using System.Text.Json;
using System.Text.Json.Serialization;

namespace GraphDL.Bench;

/// <summary>
/// What <c>--sweep</c> measured, as it writes it to <c>sweep.json</c> (member names in snake case; Bench/README.md
/// describes each). PyTorch's members are null, and left out of the file, when the peer did not run.
/// </summary>
/// <param name="Date">When the sweep ran (UTC, ISO 8601).</param>
/// <param name="Machine">The CPU, its cores, the OS and .NET (<see cref="Report.Machine"/>).</param>
/// <param name="Blas">GraphDL's BLAS library, as the engine describes it.</param>
/// <param name="Data">What the workloads train on.</param>
/// <param name="Runs">Runs per point; each figure is their median.</param>
/// <param name="Small">True for <c>--sweep-small</c>, whose figures check the code path and measure nothing.</param>
/// <param name="Limit">sgemm's GFLOP/s, measured in the same run.</param>
/// <param name="Mlp">The MLP points, width by width, batch by batch.</param>
/// <param name="Lstm">The language model's points, by sequence length.</param>
/// <param name="Torch">The PyTorch peer's version, threads and BLAS, or null.</param>
/// <param name="OtherLoad">The share of the machine's CPU time other processes took while each engine ran.</param>
public sealed record SweepReport(
    string Date, string Machine, string Blas, string Data, int Runs, bool Small, SweepLimit Limit,
    IReadOnlyList<MlpPoint> Mlp, IReadOnlyList<LstmPoint> Lstm, PeerDescription? Torch, SweepLoad OtherLoad)
{
    private static readonly JsonSerializerOptions Format = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>The MLP point of issue 19's target (<see cref="SweepGrid.Target"/>), or null when the grid lacks it.</summary>
    [JsonIgnore]
    public MlpPoint? TargetPoint => Mlp.FirstOrDefault(p => (p.Batch, p.Width) == SweepGrid.Target);

    /// <summary>The report as the JSON file holds it.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Format);

    /// <summary>Reads a report <see cref="ToJson"/> wrote.</summary>
    public static SweepReport FromJson(string json) =>
        JsonSerializer.Deserialize<SweepReport>(json, Format) ?? throw new JsonException("sweep.json holds null, not a sweep report.");
}

/// <summary>sgemm's GFLOP/s at n x n x n, float32, the limit a step's matrix products could reach on this machine.</summary>
/// <param name="SgemmN">n.</param>
/// <param name="GraphdlGflops">Through GraphDL's CPU backend MatMul (as <c>sgemm_gflops_n1024</c>), median of the runs.</param>
/// <param name="TorchGflops">PyTorch's <c>torch.mm</c> at the same n, in the peer's run, or null.</param>
public sealed record SweepLimit(int SgemmN, double GraphdlGflops, double? TorchGflops);

/// <summary>One engine's time at one point.</summary>
/// <param name="StepMs">The median of the runs' milliseconds per step.</param>
/// <param name="StepMsMin">The fastest run's.</param>
/// <param name="Gflops">The point's counted flops over the median time, in GFLOP/s.</param>
public sealed record Timed(double StepMs, double StepMsMin, double Gflops)
{
    /// <summary>The figures of runs of <paramref name="milliseconds"/> each, for a point of <paramref name="flops"/> flops.</summary>
    public static Timed Of(IReadOnlyList<double> milliseconds, double flops)
    {
        double median = Timing.Median(milliseconds);
        return new(Significant(median), Significant(milliseconds.Min()), Significant(flops / (median * 1e-3) / 1e9));
    }

    /// <summary>A peer's figure, which comes as a median only (its minimum is not sent).</summary>
    public static Timed OfMedian(double milliseconds, double flops) =>
        new(Significant(milliseconds), Significant(milliseconds), Significant(flops / (milliseconds * 1e-3) / 1e9));

    /// <summary>Four significant digits, as the JSON lines have them: more would only repeat the noise between runs.</summary>
    public static double Significant(double value) => double.Parse(Json.Number(value), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One MLP point: 784 -> <paramref name="Width"/> -> 10 at batch <paramref name="Batch"/>.</summary>
/// <param name="Batch">The batch size.</param>
/// <param name="Width">The hidden layer's width.</param>
/// <param name="Flops">The step's matrix-product flops (<see cref="SweepWorkloads.MlpFlops"/>).</param>
/// <param name="Graphdl">GraphDL's training step.</param>
/// <param name="Products">The step's five matrix products alone through the backend (<see cref="SweepWorkloads.MlpProducts"/>).</param>
/// <param name="Torch">PyTorch's training step, or null.</param>
/// <param name="ShareOfSgemm">GraphDL's GFLOP/s over the limit's (<see cref="SweepLimit.GraphdlGflops"/>).</param>
/// <param name="ShareOfProducts">GraphDL's GFLOP/s over its products' alone: how much of the step is not the products.</param>
public sealed record MlpPoint(int Batch, int Width, double Flops, Timed Graphdl, Timed Products, Timed? Torch, double ShareOfSgemm, double ShareOfProducts);

/// <summary>One point of the LSTM language model: sequences of <paramref name="Time"/> characters.</summary>
/// <param name="Time">The sequence length.</param>
/// <param name="Flops">The step's matrix-product flops (<see cref="SweepWorkloads.LstmFlops"/>).</param>
/// <param name="Graphdl">GraphDL's training step.</param>
/// <param name="Torch">PyTorch's training step, or null.</param>
public sealed record LstmPoint(int Time, double Flops, Timed Graphdl, Timed? Torch);

/// <summary>The peer's own description of itself.</summary>
/// <param name="Version">torch.__version__.</param>
/// <param name="Threads">The threads it computes on.</param>
/// <param name="Blas">The BLAS libraries its process mapped.</param>
public sealed record PeerDescription(string Version, string Threads, string Blas);

/// <summary>The share (0 to 1) of all cores' time other processes took while each part ran; null where unknown or not run.</summary>
/// <param name="Graphdl">During GraphDL's points.</param>
/// <param name="Torch">During the PyTorch peer's.</param>
public sealed record SweepLoad(double? Graphdl, double? Torch);
