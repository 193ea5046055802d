using GraphDL.Backends.Cpu;
using GraphDL.Data;

namespace GraphDL.Bench;

/// <summary>
/// <c>--mlp-ab N</c>: the MLP step with the CPU backend's earlier elementwise paths (A) and its current ones (B), or with
/// <c>--ab-single-thread-below F</c> the current paths with small products on one BLAS thread below the default's
/// FLOP count (A) and below F (B), timed in turns in one process so that both meet the same load. Two points: the
/// epoch's (batch 100, width 360) and the sweep's target (batch 256, width 4,096), on random pixels and one-hot labels;
/// for the thread limit, the LSTM language model's step too.
/// </summary>
public static class MlpInTurns
{
    private static readonly (int Batch, int Width)[] Points = [(MlpWorkload.BatchSize, 360), SweepGrid.Target];

    /// <summary>Runs <paramref name="rounds"/> rounds at each point and prints every round, then medians, minimums and ratios, on standard error.</summary>
    public static void Run(int rounds, bool profile, long? singleThreadBelowFlops)
    {
        long defaultThreshold = CpuTuning.SingleThreadBelowFlops;
        string a = singleThreadBelowFlops is null ? "earlier paths" : $"one BLAS thread below {defaultThreshold:N0} flops";
        string b = singleThreadBelowFlops is { } f ? $"one BLAS thread below {f:N0} flops" : "current paths";
        void Choose(bool first)
        {
            if (singleThreadBelowFlops is { } flops) CpuTuning.SingleThreadBelowFlops = first ? defaultThreshold : flops;
            else CpuTuning.EarlierPaths = first;
        }
        foreach (var (point, build) in StepsToTime(withLanguageModel: singleThreadBelowFlops is not null))
        {
            var (sess, runStep) = build();
            using var _ = sess;

            // Steps per turn: about 0.1 s of them, from a warm-up that also settles the JIT on both paths.
            double perStep = 0;
            foreach (bool first in (bool[])[true, false])
            {
                Choose(first);
                perStep = Timing.SecondsPerCall(runStep, runs: 1, minRunSeconds: 0.1, warmUpSeconds: 1)[0];
            }
            int stepsPerTurn = Math.Max(1, (int)Math.Ceiling(0.1 / perStep));

            var wall = new List<double>[] { [], [] };
            var cpu = new List<double>[] { [], [] };
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < 2; k++)
                {
                    Choose(k == 0);
                    var (wallMs, cpuMs) = Timing.Turn(runStep, stepsPerTurn);
                    wall[k].Add(wallMs);
                    cpu[k].Add(cpuMs);
                }
            }
            Console.Error.WriteLine($"{point}, {rounds} rounds of {stepsPerTurn} steps each way (A: {a}, B: {b}):");
            Console.Error.WriteLine("  " + Timing.InTurnsSummary("wall ms per step", ("A", wall[0]), ("B", wall[1]), numerator: "A", digits: 3));
            Console.Error.WriteLine("  " + Timing.InTurnsSummary("process CPU ms per step", ("A", cpu[0]), ("B", cpu[1]), numerator: "A", digits: 3));
            if (profile)
                foreach (bool first in (bool[])[true, false])
                {
                    Choose(first);
                    StepWorkloads.Profile($"{point}, {(first ? "A" : "B")}", sess, runStep, steps: 20);
                }
        }
        CpuTuning.EarlierPaths = false;
        CpuTuning.SingleThreadBelowFlops = defaultThreshold;
    }

    /// <summary>
    /// The MLP step at both points, each a session and its step; with <paramref name="withLanguageModel"/> the LSTM
    /// language model's step too (<see cref="StepWorkloads.LanguageModel"/>), whose dense layer and its gradients are
    /// products of 27 MFLOP.
    /// </summary>
    private static IEnumerable<(string Point, Func<(Session Session, Action Step)> Build)> StepsToTime(bool withLanguageModel)
    {
        foreach (var (batch, width) in Points)
            yield return ($"MLP step at batch {batch}, width {width}", () => MlpStep(batch, width));
        if (withLanguageModel) yield return ("LSTM language-model step", LanguageModelStep);
    }

    private static (Session, Action) MlpStep(int batch, int width)
    {
        var (g, x, y, train) = MlpWorkload.Model(width, SweepWorkloads.LearningRate);
        var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var random = new Random(Workloads.Seed);
        var pixels = new float[batch * Mnist.Pixels];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        var feeds = new FeedDict
        {
            [x] = Tensor.FromFlat(pixels, new Shape(batch, Mnist.Pixels)),
            [y] = OneHotEncoding.Encode([.. Enumerable.Range(0, batch).Select(_ => random.Next(Mnist.Classes))], Mnist.Classes),
        };
        Fetch[] step = [train];
        return (sess, () => sess.Run(step, feeds));
    }

    private static (Session, Action) LanguageModelStep()
    {
        var (g, characters, targets, train) = StepWorkloads.LanguageModel(StepWorkloads.Cell.Lstm);
        var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict
        {
            [characters] = StepWorkloads.RandomCharacters(new Shape(StepWorkloads.Batch, StepWorkloads.Time), seed: 1),
            [targets] = StepWorkloads.RandomCharacters(new Shape(StepWorkloads.Time, StepWorkloads.Batch), seed: 2),
        };
        Fetch[] step = [train];
        return (sess, () => sess.Run(step, feeds));
    }
}
