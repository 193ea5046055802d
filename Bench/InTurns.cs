namespace GraphDL.Bench;

/// <summary>
/// With <c>--compare</c>, the steps whose targets are ratios to PyTorch's are taken in turns with PyTorch's: GraphDL's
/// child process for the figure (on each library), then the PyTorch peer on that figure alone, <see cref="Rounds"/>
/// times over, and each side's figure is the median of its rounds. This machine's speed drifts by a quarter over
/// minutes (the Iris step measured 4.4 and 7.3 us in two runs a minute apart, every op in its profile slower alike),
/// and the peers used to run minutes after GraphDL's figures: a ratio then compared two states of the machine.
/// </summary>
public static class InTurns
{
    public const int Rounds = 3;

    /// <summary>The figures with a target against PyTorch's: the linear fit, the Iris step, the language models and the CNN.</summary>
    public static readonly string[] Figures = ["linear_fit_step_us", "iris_step_us", "lstm_step_ms", "gru_step_ms", "cnn_step_ms"];

    public static bool Applies(Options options, string figure) => options.Compare && !options.InProcess && Figures.Contains(figure);

    /// <summary>
    /// Takes <paramref name="figure"/> in turns: per round, GraphDL's child process on each library, then the PyTorch peer.
    /// Returns GraphDL's figure per library (the median of the rounds' medians, the rounds as its runs) and PyTorch's
    /// (named torch_FIGURE, as the peer names it), or no PyTorch figure when the peer did not give one, and the peer's
    /// notes (its version, threads and BLAS).
    /// </summary>
    public static (List<Metric> Ours, Metric? Torch, List<Note> TorchNotes) Take(Options options, IReadOnlyList<BlasUnderTest> libraries, string figure, string? irisCsv)
    {
        var ours = new List<Metric>();
        var torch = new List<double>();
        var notes = new List<Note>();
        var peerOptions = options with { Only = new HashSet<string> { figure } };
        for (int round = 0; round < Rounds; round++)
        {
            foreach (var library in libraries)
                ours.AddRange(FigureProcess.Measure(options, library.Setting, figure).Select(m => m with { Blas = library.Name }));
            if (!options.Json) Console.Error.WriteLine($"Running the PyTorch peer on {figure} (round {round + 1} of {Rounds})...");
            var peer = Peers.Run("torch", peerOptions, irisCsv);
            if (peer.Value(figure) is { } value) torch.Add(value);
            notes = peer.Notes;
        }
        string unit = ours.FirstOrDefault()?.Unit ?? "";
        var perLibrary = ours.GroupBy(m => m.Blas)
            .Select(rounds => Metric.OfRuns(figure, unit, [.. rounds.Select(m => m.Value)]) with { Blas = rounds.Key })
            .ToList();
        return (perLibrary, torch.Count > 0 ? Metric.OfRuns($"torch_{figure}", unit, torch) : null, notes);
    }
}
