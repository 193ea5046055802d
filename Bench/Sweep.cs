using System.Globalization;
using GraphDL.Backends.Cpu.Blas;

namespace GraphDL.Bench;

/// <summary>
/// <c>--sweep</c>: how a training step's cost grows with its size. sgemm's GFLOP/s first, as the limit; then the MLP
/// step at every (batch, width) of the grid, each beside its five matrix products timed alone; then the LSTM language
/// model at every sequence length; with <c>--compare</c>, the PyTorch peer's sweep over the same grid. Writes
/// <c>sweep.json</c> (<see cref="SweepReport"/>) and the plots of <see cref="SweepPlots"/> to <c>--out</c>, and prints
/// a table and issue 19's target. It runs on the engine's own BLAS choice only (GRAPHDL_BLAS picks another).
/// </summary>
public static class Sweep
{
    /// <summary>The JSON file's name in <c>--out</c>.</summary>
    public const string FileName = "sweep.json";

    /// <summary>Runs the sweep; returns the exit code.</summary>
    public static int Run(Options options)
    {
        var grid = options.SweepSmall ? SweepGrid.Small : SweepGrid.Full;
        try
        {
            BlasProvider.EnsureChosen();
        }
        catch (BlasUnavailableException e)
        {
            Console.Error.WriteLine($"Bench: {e.Message}");
            return 2;
        }
        // With --json, standard output holds the JSON document alone; the progress goes to standard error.
        var progress = options.Json ? Console.Error : Console.Out;
        progress.WriteLine($"GraphDL sweep on {Report.Machine()}, BLAS {BlasProvider.Description}, {options.Runs} runs per point{(options.SweepSmall ? " (--sweep-small: checks the code path, measures nothing)" : "")}");

        var load = new OtherLoad();
        var sgemm = Workloads.Sgemm(grid.SgemmN, options.Runs);
        progress.WriteLine($"sgemm n={grid.SgemmN}: {sgemm.Value:F1} GFLOP/s (the limit)");

        var ourMlp = new List<(int Batch, int Width, Timed Step, Timed Products)>();
        progress.WriteLine($"{"batch",6} {"width",6} {"ms/step",10} {"GFLOP/s",9} {"products ms",12} {"GFLOP/s",9}");
        bool first = true;
        foreach (var (batch, width) in grid.MlpPoints)
        {
            double warmUp = first ? grid.FirstWarmUpSeconds : grid.WarmUpSeconds;
            first = false;
            double flops = SweepWorkloads.MlpFlops(batch, width);
            bool profile = options.Profile && (batch, width) == SweepGrid.Target;
            var step = Timed.Of(Milliseconds(SweepWorkloads.MlpStep(batch, width, options.Runs, warmUp, grid.MinRunSeconds, profile)), flops);
            var products = Timed.Of(Milliseconds(SweepWorkloads.MlpProducts(batch, width, options.Runs, grid.WarmUpSeconds, grid.MinRunSeconds)), flops);
            ourMlp.Add((batch, width, step, products));
            progress.WriteLine($"{batch,6} {width,6} {step.StepMs,10:G4} {step.Gflops,9:G4} {products.StepMs,12:G4} {products.Gflops,9:G4}");
        }

        var ourLstm = new List<(int Time, Timed Step)>();
        progress.WriteLine($"{"length",6} {"ms/step",10} {"GFLOP/s",9}  (LSTM language model)");
        foreach (int time in grid.Lengths)
        {
            var step = Timed.Of(Milliseconds(SweepWorkloads.LstmStep(time, options.Runs, grid.WarmUpSeconds, grid.MinRunSeconds)), SweepWorkloads.LstmFlops(time));
            ourLstm.Add((time, step));
            progress.WriteLine($"{time,6} {step.StepMs,10:G4} {step.Gflops,9:G4}");
        }
        double? ourLoad = load.Share();

        PeerResult? torch = null;
        double? torchLoad = null;
        if (options.Compare)
        {
            progress.WriteLine("Running the PyTorch peer's sweep...");
            load = new OtherLoad();
            torch = Peers.Run("torch", options, PeerArguments(grid));
            torchLoad = load.Share();
        }

        var report = Join(options, grid, sgemm, ourMlp, ourLstm, torch, new SweepLoad(Rounded(ourLoad), Rounded(torchLoad)));
        Directory.CreateDirectory(options.OutDir);
        string json = Path.Combine(options.OutDir, FileName);
        File.WriteAllText(json, report.ToJson());
        var pictures = SweepPlots.Save(report, options.OutDir);

        if (options.Json) Console.WriteLine(report.ToJson());
        else Summary(Console.Out, report);
        progress.WriteLine($"Wrote {json} and {string.Join(", ", pictures.Select(Path.GetFileName))}.");
        return 0;
    }

    /// <summary>The grid and timing, told to the peer, so that both engines measure the same points the same way.</summary>
    private static string[] PeerArguments(SweepGrid grid)
    {
        static string List(IEnumerable<int> values) => string.Join(',', values);
        static string Seconds(double s) => s.ToString(CultureInfo.InvariantCulture);
        return ["--sweep", "--batches", List(grid.Batches), "--widths", List(grid.Widths), "--lengths", List(grid.Lengths),
                "--sgemm-n", grid.SgemmN.ToString(CultureInfo.InvariantCulture),
                "--first-warm-up", Seconds(grid.FirstWarmUpSeconds), "--warm-up", Seconds(grid.WarmUpSeconds), "--min-run", Seconds(grid.MinRunSeconds)];
    }

    /// <summary>The peer's figure name of an MLP point, without its <c>torch_</c> prefix.</summary>
    public static string MlpFigure(int batch, int width) => $"sweep_mlp_step_ms_b{batch}_w{width}";

    /// <summary>The peer's figure name of a language-model point, without its prefix.</summary>
    public static string LstmFigure(int time) => $"sweep_lstm_step_ms_t{time}";

    /// <summary>The peer's sgemm figure, without its prefix.</summary>
    public const string SgemmFigure = "sweep_sgemm_gflops";

    private static SweepReport Join(
        Options options, SweepGrid grid, Metric sgemm, List<(int Batch, int Width, Timed Step, Timed Products)> mlp,
        List<(int Time, Timed Step)> lstm, PeerResult? torch, SweepLoad load)
    {
        Timed? Peer(string figure, double flops) => torch?.Value(figure) is { } ms ? Timed.OfMedian(ms, flops) : null;
        double limit = sgemm.Value;
        return new SweepReport(
            Date: DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            Machine: Report.Machine(),
            Blas: BlasProvider.Description,
            Data: "random: pixels uniform in [0, 1) and one-hot labels for the MLP, characters for the language model (a step's cost does not depend on the values)",
            Runs: options.Runs,
            Small: options.SweepSmall,
            Limit: new SweepLimit(grid.SgemmN, Timed.Significant(limit), torch?.Value(SgemmFigure)),
            Mlp: [.. mlp.Select(p =>
            {
                double flops = SweepWorkloads.MlpFlops(p.Batch, p.Width);
                return new MlpPoint(p.Batch, p.Width, flops, p.Step, p.Products, Peer(MlpFigure(p.Batch, p.Width), flops),
                    Timed.Significant(p.Step.Gflops / limit), Timed.Significant(p.Step.Gflops / p.Products.Gflops));
            })],
            Lstm: [.. lstm.Select(p =>
            {
                double flops = SweepWorkloads.LstmFlops(p.Time);
                return new LstmPoint(p.Time, flops, p.Step, Peer(LstmFigure(p.Time), flops));
            })],
            Torch: torch is null ? null : new PeerDescription(torch.Text("version") ?? "?", torch.Text("threads") ?? "?", torch.Text("blas") ?? "?"),
            OtherLoad: load);
    }

    /// <summary>The joined points as Markdown tables, then issue 19's target at width 4,096 and batch 256.</summary>
    private static void Summary(TextWriter output, SweepReport report)
    {
        static string Ms(Timed? t) => t is null ? "-" : t.StepMs.ToString("G4", CultureInfo.InvariantCulture);
        static string Gflops(Timed? t) => t is null ? "-" : t.Gflops.ToString("G4", CultureInfo.InvariantCulture);
        static string Percent(double share) => $"{share * 100:F0}%";
        static string Edge(Timed ours, Timed? theirs) => theirs is null ? "-" : $"{theirs.StepMs / ours.StepMs:F2}x";

        output.WriteLine();
        output.WriteLine($"Limit: sgemm n={report.Limit.SgemmN}, {report.Limit.GraphdlGflops:F1} GFLOP/s through GraphDL's MatMul" +
                         (report.Limit.TorchGflops is { } t ? $", {t:F1} through torch.mm" : ""));
        output.WriteLine();
        output.WriteLine("| batch | width | GraphDL ms | GFLOP/s | of sgemm | products alone ms | of products | PyTorch ms | GFLOP/s | GraphDL vs PyTorch |");
        output.WriteLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var p in report.Mlp)
            output.WriteLine($"| {p.Batch} | {p.Width} | {Ms(p.Graphdl)} | {Gflops(p.Graphdl)} | {Percent(p.ShareOfSgemm)} | {Ms(p.Products)} | {Percent(p.ShareOfProducts)} | {Ms(p.Torch)} | {Gflops(p.Torch)} | {Edge(p.Graphdl, p.Torch)} |");
        output.WriteLine();
        output.WriteLine("| sequence length | GraphDL ms | GFLOP/s | PyTorch ms | GFLOP/s | GraphDL vs PyTorch |");
        output.WriteLine("|--:|--:|--:|--:|--:|--:|");
        foreach (var p in report.Lstm)
            output.WriteLine($"| {p.Time} | {Ms(p.Graphdl)} | {Gflops(p.Graphdl)} | {Ms(p.Torch)} | {Gflops(p.Torch)} | {Edge(p.Graphdl, p.Torch)} |");
        output.WriteLine();
        if (report.TargetPoint is { } target)
            output.WriteLine($"Target (issue 19): the MLP at width {target.Width}, batch {target.Batch} reaches {Percent(target.ShareOfSgemm)} of sgemm's GFLOP/s " +
                             $"({target.Graphdl.Gflops:F1} of {report.Limit.GraphdlGflops:F1}; at least {Percent(SweepGrid.TargetShare)} asked): " +
                             $"{(target.ShareOfSgemm >= SweepGrid.TargetShare ? "met" : "not met")}. Its products alone reach {target.Products.Gflops:F1} GFLOP/s.");
    }

    private static double? Rounded(double? share) => share is { } s ? Math.Round(s, 3) : null;

    private static double[] Milliseconds(double[] seconds) => [.. seconds.Select(s => s * 1e3)];
}
