namespace GraphDL.Bench;

/// <summary>
/// The points <c>--sweep</c> measures and how long it times each: the MLP step at every (batch, width), the LSTM
/// language model's step at every sequence length, and sgemm at <see cref="SgemmN"/> as the machine's limit.
/// </summary>
/// <param name="Batches">The MLP's batch sizes.</param>
/// <param name="Widths">The MLP's hidden widths.</param>
/// <param name="Lengths">The language model's sequence lengths.</param>
/// <param name="SgemmN">The size of the square sgemm whose GFLOP/s is the limit the plots draw.</param>
/// <param name="FirstWarmUpSeconds">The first point's warm-up: long enough for .NET to promote the step's hot methods to optimised code.</param>
/// <param name="WarmUpSeconds">Every later point's warm-up, which also sets how many steps make a run.</param>
/// <param name="MinRunSeconds">How long a run lasts at least, so that a step of microseconds is timed over many calls.</param>
public sealed record SweepGrid(
    IReadOnlyList<int> Batches, IReadOnlyList<int> Widths, IReadOnlyList<int> Lengths, int SgemmN,
    double FirstWarmUpSeconds, double WarmUpSeconds, double MinRunSeconds)
{
    /// <summary>Issue 19's grid: batches 1 to 1,024, widths 64 to 4,096, sequences of 10 to 200 steps.</summary>
    public static SweepGrid Full { get; } = new([1, 4, 16, 64, 256, 1024], [64, 256, 1024, 4096], [10, 25, 50, 100, 200], 1024,
        FirstWarmUpSeconds: 2.0, WarmUpSeconds: 0.5, MinRunSeconds: 0.2);

    /// <summary><c>--sweep-small</c>: two tiny MLP points and one short sequence, to check the code path; the figures mean nothing.</summary>
    public static SweepGrid Small { get; } = new([1, 4], [64], [5], 128, FirstWarmUpSeconds: 0.05, WarmUpSeconds: 0.05, MinRunSeconds: 0.02);

    /// <summary>The point of issue 19's target: at width 4,096 and batch 256, at least 70% of sgemm's GFLOP/s.</summary>
    public static (int Batch, int Width) Target { get; } = (256, 4096);

    /// <summary>The share of sgemm's GFLOP/s the target asks the MLP step to reach.</summary>
    public const double TargetShare = 0.7;

    /// <summary>Every (batch, width) of the MLP, width by width.</summary>
    public IEnumerable<(int Batch, int Width)> MlpPoints => from width in Widths from batch in Batches select (batch, width);
}
