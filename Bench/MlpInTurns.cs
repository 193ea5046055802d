using System.Diagnostics;
using GraphDL.Backends.Cpu;
using GraphDL.Data;

namespace GraphDL.Bench;

/// <summary>
/// <c>--mlp-ab N</c>: the MLP step with the CPU backend's earlier elementwise paths (A) and its current ones (B), or with
/// <c>--ab-single-thread-below F</c> the current paths with small products on one BLAS thread below the default's
/// FLOP count (A) and below F (B), timed in turns in one process so that both meet the same load. Two points: the
/// epoch's (batch 100, width 360) and the sweep's target (batch 256, width 4,096), on random pixels and one-hot labels.
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
        foreach (var (batch, width) in Points)
        {
            var (g, x, y, train) = MlpWorkload.Model(width, SweepWorkloads.LearningRate);
            using var sess = new Session(g);
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
            void Step() => sess.Run(step, feeds);
            string point = $"batch {batch}, width {width}";

            // Steps per turn: about 0.1 s of them, from a warm-up that also settles the JIT on both paths.
            double perStep = 0;
            foreach (bool first in (bool[])[true, false])
            {
                Choose(first);
                perStep = Timing.SecondsPerCall(Step, runs: 1, minRunSeconds: 0.1, warmUpSeconds: 1)[0];
            }
            int stepsPerTurn = Math.Max(1, (int)Math.Ceiling(0.1 / perStep));

            var wall = new List<double>[] { [], [] };
            var cpu = new List<double>[] { [], [] };
            using var process = Process.GetCurrentProcess();
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < 2; k++)
                {
                    Choose(k == 0);
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    wall[k].Add(Timing.SecondsPerRun(Step, stepsPerTurn, warmUpSteps: 0, runs: 1)[0] * 1e3 / stepsPerTurn);
                    process.Refresh();
                    cpu[k].Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds / stepsPerTurn);
                }
            }
            Console.Error.WriteLine($"MLP step at {point}, {rounds} rounds of {stepsPerTurn} steps each way (A: {a}, B: {b}):");
            Console.Error.WriteLine(Summary("wall ms per step", wall[0], wall[1]));
            Console.Error.WriteLine(Summary("process CPU ms per step", cpu[0], cpu[1]));
            if (profile)
                foreach (bool first in (bool[])[true, false])
                {
                    Choose(first);
                    StepWorkloads.Profile($"the MLP step at {point}, {(first ? "A" : "B")}", sess, Step, steps: 20);
                }
        }
        CpuTuning.EarlierPaths = false;
        CpuTuning.SingleThreadBelowFlops = defaultThreshold;
    }

    private static string Summary(string what, List<double> a, List<double> b)
    {
        var ratios = a.Zip(b, (earlier, current) => earlier / current).ToList();
        return $"  {what}: A median {Timing.Median(a):F3} (min {a.Min():F3}), B median {Timing.Median(b):F3} (min {b.Min():F3}); " +
               $"A / B per round: median {Timing.Median(ratios):F3}, range {ratios.Min():F2} - {ratios.Max():F2}; of the minimums {a.Min() / b.Min():F3}";
    }
}
