using GraphDL.Backends.Cpu;

namespace GraphDL.Bench;

/// <summary>
/// <c>--conv-ab N</c>: the MnistCnn training step (<see cref="StepWorkloads.CnnTraining"/>) with the CPU backend's
/// convolutions split across the cores in groups of images (the default) and with the older path, one chunk of
/// images at a time through the BLAS's own threads, in one process and one session, in turns: a shared machine's
/// load then falls on both alike, which two separate runs cannot promise.
/// </summary>
public static class ConvPathsAb
{
    private const int StepsPerRun = 5;

    /// <summary>
    /// Times <paramref name="rounds"/> rounds of 5 steps on each path, the order swapped every round; prints each round's
    /// wall and process CPU time per step, the medians, minimums and per-round ratios on standard error, and with
    /// <paramref name="profile"/> each path's <see cref="RunProfile"/>. Returns the wall-time medians in milliseconds.
    /// </summary>
    public static (double Groups, double Chunks) Run(int rounds, bool profile)
    {
        var (sess, step) = StepWorkloads.CnnTraining();
        using (sess)
        {
            bool wasGroups = CpuBackend.ConvolveInImageGroups;
            try
            {
                var paths = new[] { (Name: "groups", Groups: true), (Name: "chunks", Groups: false) };
                foreach (var path in paths)
                {
                    CpuBackend.ConvolveInImageGroups = path.Groups;
                    Timing.SecondsPerCall(step, runs: 1, minRunSeconds: 0.1, warmUpSeconds: 2);
                }
                var wall = new[] { new List<double>(), new List<double>() };
                var cpu = new[] { new List<double>(), new List<double>() };
                for (int round = 0; round < rounds; round++)
                {
                    foreach (int k in round % 2 == 0 ? [0, 1] : new[] { 1, 0 })
                    {
                        CpuBackend.ConvolveInImageGroups = paths[k].Groups;
                        var (wallMs, cpuMs) = Timing.Turn(step, StepsPerRun);
                        wall[k].Add(wallMs);
                        cpu[k].Add(cpuMs);
                    }
                    Console.Error.WriteLine($"round {round + 1}: groups {wall[0][^1]:F1} ms ({cpu[0][^1]:F1} ms CPU), chunks {wall[1][^1]:F1} ms ({cpu[1][^1]:F1} ms CPU)");
                }
                Console.Error.WriteLine(Timing.InTurnsSummary("wall time per step", ("groups", wall[0]), ("chunks", wall[1]), numerator: "chunks", digits: 2, unit: "ms"));
                Console.Error.WriteLine(Timing.InTurnsSummary("process CPU time per step", ("groups", cpu[0]), ("chunks", cpu[1]), numerator: "chunks", digits: 2, unit: "ms"));
                if (profile)
                    foreach (var path in paths)
                    {
                        CpuBackend.ConvolveInImageGroups = path.Groups;
                        StepWorkloads.Profile($"cnn_step_ms, {path.Name}", sess, step);
                    }
                return (Timing.Median(wall[0]), Timing.Median(wall[1]));
            }
            finally
            {
                CpuBackend.ConvolveInImageGroups = wasGroups;
            }
        }
    }
}
