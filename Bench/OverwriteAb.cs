namespace GraphDL.Bench;

/// <summary>
/// <c>--overwrite-ab N</c>: issue 19's training steps (the MNIST CNN's and the LSTM and GRU language models') with the
/// executor letting a step write its output over an input that no later step reads (<see cref="Op.MayOverwriteInput"/>,
/// the default) and without. Two sessions of each network in one process, the second bound with overwriting off,
/// timed in turns, the order swapped every round, so that a shared machine's load falls on both alike.
/// </summary>
public static class OverwriteAb
{
    private const int StepsPerRun = 5;

    public static void Run(int rounds)
    {
        Compare("cnn_step_ms", StepWorkloads.CnnTraining, rounds);
        Compare("lstm_step_ms", () => StepWorkloads.LanguageModelTraining(StepWorkloads.Cell.Lstm), rounds);
        Compare("gru_step_ms", () => StepWorkloads.LanguageModelTraining(StepWorkloads.Cell.Gru), rounds);
    }

    /// <summary>
    /// Builds the step twice, overwriting and not (a plan reads the switch in its binding runs, the first two), prints
    /// both plans' buffer bytes, then <paramref name="rounds"/> rounds of 5 steps each way and the in-turns summaries.
    /// </summary>
    private static void Compare(string figure, Func<(Session Session, Action Step)> build, int rounds)
    {
        var sides = new[] { (Name: "overwriting", Overwrite: true), (Name: "kept", Overwrite: false) }.Select(side =>
        {
            bool before = Plan.OverwriteInputs;
            Plan.OverwriteInputs = side.Overwrite;
            try
            {
                var (sess, step) = build();
                for (int i = 0; i < 2; i++) step();
                return (side.Name, Session: sess, Step: step);
            }
            finally
            {
                Plan.OverwriteInputs = before;
            }
        }).ToArray();
        try
        {
            Console.Error.WriteLine($"{figure}: the step's plan buffers, " + string.Join(", ",
                sides.Select(side => $"{side.Name} {side.Session.Plans.Max(p => p.BufferBytes) / 1e6:F1} MB")));
            foreach (var side in sides) Timing.SecondsPerCall(side.Step, runs: 1, minRunSeconds: 0.1, warmUpSeconds: 2);
            var wall = new[] { new List<double>(), new List<double>() };
            var cpu = new[] { new List<double>(), new List<double>() };
            for (int round = 0; round < rounds; round++)
                foreach (int k in round % 2 == 0 ? [0, 1] : new[] { 1, 0 })
                {
                    var (wallMs, cpuMs) = Timing.Turn(sides[k].Step, StepsPerRun);
                    wall[k].Add(wallMs);
                    cpu[k].Add(cpuMs);
                }
            Console.Error.WriteLine(Timing.InTurnsSummary($"{figure}, wall time per step", (sides[0].Name, wall[0]), (sides[1].Name, wall[1]), numerator: sides[1].Name, digits: 2, unit: "ms"));
            Console.Error.WriteLine(Timing.InTurnsSummary($"{figure}, process CPU time per step", (sides[0].Name, cpu[0]), (sides[1].Name, cpu[1]), numerator: sides[1].Name, digits: 2, unit: "ms"));
        }
        finally
        {
            foreach (var side in sides) side.Session.Dispose();
        }
    }
}
