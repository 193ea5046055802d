using GraphDL.Data;

namespace GraphDL.Bench;

/// <summary>
/// Training steps of the networks issue 19 asks about: a character-level language model on an LSTM or a GRU, and the
/// MnistCnn lesson's convolutional network. One step is one <c>sess.Run([train], feeds)</c> with the fetches and feeds
/// made before the loop; the data are random, of the real shapes, since a step's cost does not depend on the values.
/// </summary>
public static class StepWorkloads
{
    /// <summary>The language model's sizes: 65 characters (the Shakespeare set's), embedded in 64, 128 units, 32 sequences of 50.</summary>
    public const int Characters = 65, Embedding = 64, Units = 128, Batch = 32, Time = 50;

    /// <summary>The CNN's batch, as in the lesson.</summary>
    public const int CnnBatch = 100;

    /// <summary>Which recurrent cell the language model unrolls.</summary>
    public enum Cell { Lstm, Gru }

    /// <summary>
    /// The language model, TF1 style: characters (batch, time) -> embedding (65, 64) -> the cell unrolled over 50 steps
    /// from the zero state -> one dense layer to 65 logits at every step -> the mean sparse softmax cross entropy
    /// against the next characters, Adam(1e-3). The steps' outputs are joined time-major, (time * batch, units), so
    /// the targets are fed time-major too.
    /// </summary>
    /// <param name="kind">The cell.</param>
    /// <param name="fused">One <see cref="LstmBlockCell"/> or <see cref="GruBlockCell"/> node per step (the default), or the unrolled gates.</param>
    /// <param name="time">The sequences' length: 50, or the lengths <c>--sweep</c> runs (<see cref="Sweep"/>).</param>
    public static (Graph Graph, Output Characters, Output Targets, Node Train) LanguageModel(Cell kind, bool fused = true, int time = Time)
    {
        var g = new Graph { Seed = Workloads.Seed };
        var characters = g.Placeholder(DType.Int32, new Shape(Batch, time), "characters");
        var targets = g.Placeholder(DType.Int32, new Shape(time, Batch), "targets");
        var embedding = g.Variable(Init.RandomUniform([Characters, Embedding], -0.05, 0.05), "embedding");
        RnnCell cell = kind == Cell.Lstm ? new LstmCell(Units, fused: fused) : new GruCell(Units, fused: fused);
        var rnn = g.StaticRnn(cell, g.Gather(embedding, characters));
        var W = g.Variable(Init.GlorotUniform([Units, Characters]), "W");
        var b = g.Variable(Init.Zeros(Characters), "b");
        var logits = g.MatMul(g.Concat(rnn.Outputs, axis: 0), W) + b;
        var loss = g.ReduceMean(g.SparseSoftmaxCrossEntropyWithLogits(g.Reshape(targets, [-1]), logits));
        var train = new AdamOptimizer(1e-3).Minimize(loss);
        return (g, characters, targets, train);
    }

    /// <summary>
    /// The LSTM language model's step with the fused cell and with the unrolled one, timed in turns (one run of each,
    /// <paramref name="rounds"/> times) so that both meet the same load; prints each round and the medians on standard
    /// error and returns the medians in milliseconds.
    /// </summary>
    public static (double Fused, double Unfused) FusedAgainstUnfused(int rounds) => FusedAgainstUnfused(Cell.Lstm, rounds);

    /// <summary>
    /// The language model's step on <paramref name="kind"/> with the fused cell and with the unrolled one, timed in turns
    /// as <see cref="FusedAgainstUnfused(int)"/> does for the LSTM; returns the medians in milliseconds.
    /// </summary>
    public static (double Fused, double Unfused) FusedAgainstUnfused(Cell kind, int rounds) =>
        InTurns(rounds, profile: false, ("fused", () => LanguageModel(kind, fused: true)), ("unfused", () => LanguageModel(kind, fused: false)));

    /// <summary>
    /// Two builds of the language model timed in turns, 5 steps of each per round, <paramref name="rounds"/> rounds:
    /// wall time and process CPU time per step, then with <paramref name="profile"/> each one's <see cref="Profile"/>;
    /// returns both wall-time medians in milliseconds.
    /// </summary>
    private static (double A, double B) InTurns(int rounds, bool profile,
        (string Name, Func<(Graph Graph, Output Characters, Output Targets, Node Train)> Build) a,
        (string Name, Func<(Graph Graph, Output Characters, Output Targets, Node Train)> Build) b)
    {
        var sessions = new[] { a.Build, b.Build }.Select(build =>
        {
            var (g, characters, targets, train) = build();
            var sess = new Session(g);
            sess.Run(g.GlobalVariablesInitializer());
            var feeds = new FeedDict
            {
                [characters] = RandomCharacters(new Shape(Batch, Time), seed: 1),
                [targets] = RandomCharacters(new Shape(Time, Batch), seed: 2),
            };
            Fetch[] step = [train];
            return (Session: sess, Step: (Action)(() => sess.Run(step, feeds)));
        }).ToArray();
        const int stepsPerRun = 5;
        var times = new List<double>[] { [], [] };
        var cpuTimes = new List<double>[] { [], [] };
        foreach (var (_, step) in sessions) Timing.SecondsPerCall(step, runs: 1, minRunSeconds: 0.1, warmUpSeconds: 2);
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < 2; k++)
            {
                var (wallMs, cpuMs) = Timing.Turn(sessions[k].Step, stepsPerRun);
                times[k].Add(wallMs);
                cpuTimes[k].Add(cpuMs);
            }
            Console.Error.WriteLine($"round {round + 1}: {a.Name} {times[0][^1]:F1} ms ({cpuTimes[0][^1]:F1} ms CPU), {b.Name} {times[1][^1]:F1} ms ({cpuTimes[1][^1]:F1} ms CPU)");
        }
        if (profile)
            for (int k = 0; k < 2; k++) Profile(k == 0 ? a.Name : b.Name, sessions[k].Session, sessions[k].Step);
        foreach (var (sess, _) in sessions) sess.Dispose();
        Console.Error.WriteLine(Timing.InTurnsSummary("wall time per step", (a.Name, times[0]), (b.Name, times[1]), numerator: b.Name, digits: 1, unit: "ms"));
        Console.Error.WriteLine(Timing.InTurnsSummary("process CPU time per step", (a.Name, cpuTimes[0]), (b.Name, cpuTimes[1]), numerator: b.Name, digits: 1, unit: "ms"));
        return (Timing.Median(times[0]), Timing.Median(times[1]));
    }

    /// <summary><c>lstm_step_ms</c> or <c>gru_step_ms</c>: one training step of <see cref="LanguageModel"/>, in milliseconds.</summary>
    public static Metric LanguageModelStep(Cell kind, int runs, bool profile = false)
    {
        var (sess, step) = LanguageModelTraining(kind);
        using (sess)
        {
            var seconds = Timing.SecondsPerCall(step, runs, minRunSeconds: 1.0);
            string name = kind == Cell.Lstm ? "lstm_step_ms" : "gru_step_ms";
            if (profile) Profile(name, sess, step);
            return Metric.OfRuns(name, "ms", Milliseconds(seconds));
        }
    }

    /// <summary>
    /// <see cref="LanguageModel"/> on <paramref name="kind"/>, initialised in a new session, and its training step on
    /// random characters. The caller disposes of the session.
    /// </summary>
    public static (Session Session, Action Step) LanguageModelTraining(Cell kind)
    {
        var (g, characters, targets, train) = LanguageModel(kind);
        var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict
        {
            [characters] = RandomCharacters(new Shape(Batch, Time), seed: 1),
            [targets] = RandomCharacters(new Shape(Time, Batch), seed: 2),
        };
        Fetch[] step = [train];
        return (sess, () => sess.Run(step, feeds));
    }

    /// <summary>
    /// <c>cnn_step_ms</c>: one training step of Lessons/MnistCnn's network on a batch of 100 (<see cref="CnnTraining"/>),
    /// in milliseconds.
    /// </summary>
    public static Metric CnnStep(int runs, bool profile = false)
    {
        var (sess, step) = CnnTraining();
        using (sess)
        {
            var seconds = Timing.SecondsPerCall(step, runs, minRunSeconds: 1.0);
            if (profile) Profile("cnn_step_ms", sess, step);
            return Metric.OfRuns("cnn_step_ms", "ms", Milliseconds(seconds));
        }
    }

    /// <summary>
    /// Lessons/MnistCnn's network, initialised in a new session, and its training step on a batch of 100 random images:
    /// 5x5 convolutions of 16 and 32 filters (SAME, ReLU, 2x2 max pooling each), a dense layer of 256 with dropout
    /// (keep 0.5), ten logits, softmax cross entropy, Adam(1e-3), Glorot-uniform weights and zero biases, as the lesson
    /// builds it. The caller disposes of the session.
    /// </summary>
    public static (Session Session, Action Step) CnnTraining()
    {
        const int filters1 = 16, filters2 = 32, hidden = 256;
        var g = new Graph { Seed = Workloads.Seed };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
        var y = g.Placeholder(DType.Float32, new Shape(-1, 10), "y");
        var keepProb = g.Placeholder(DType.Float32, Shape.Scalar, "keep_prob");
        var xImage = g.Reshape(x, [-1, 28, 28, 1]);
        var W_conv1 = g.Variable(Init.GlorotUniform([5, 5, 1, filters1]), "W_conv1");
        var b_conv1 = g.Variable(Init.Zeros(filters1), "b_conv1");
        var h_pool1 = g.MaxPool(g.Relu(g.Conv2D(xImage, W_conv1, stride: 1, padding: Padding.Same) + b_conv1), poolSize: 2, stride: 2);
        var W_conv2 = g.Variable(Init.GlorotUniform([5, 5, filters1, filters2]), "W_conv2");
        var b_conv2 = g.Variable(Init.Zeros(filters2), "b_conv2");
        var h_pool2 = g.MaxPool(g.Relu(g.Conv2D(h_pool1, W_conv2, stride: 1, padding: Padding.Same) + b_conv2), poolSize: 2, stride: 2);
        var flat = g.Flatten(h_pool2);
        var W_fc1 = g.Variable(Init.GlorotUniform([flat.Shape[1], hidden]), "W_fc1");
        var b_fc1 = g.Variable(Init.Zeros(hidden), "b_fc1");
        var h_fc1_drop = g.Dropout(g.Relu(g.MatMul(flat, W_fc1) + b_fc1), keepProb);
        var W_fc2 = g.Variable(Init.GlorotUniform([hidden, 10]), "W_fc2");
        var b_fc2 = g.Variable(Init.Zeros(10), "b_fc2");
        var logits = g.MatMul(h_fc1_drop, W_fc2) + b_fc2;
        var train = new AdamOptimizer(1e-3).Minimize(g.ReduceMean(g.SoftmaxCrossEntropyWithLogits(y, logits)));

        var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var random = new Random(3);
        var pixels = new float[CnnBatch * 784];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        var feeds = new FeedDict
        {
            [x] = Tensor.FromFlat(pixels, new Shape(CnnBatch, 784)),
            [y] = OneHotEncoding.Encode([.. Enumerable.Range(0, CnnBatch).Select(_ => random.Next(10))], 10),
            [keepProb] = Tensor.Scalar(0.5f),
        };
        Fetch[] step = [train];
        return (sess, () => sess.Run(step, feeds));
    }

    /// <summary>
    /// Runs <paramref name="steps"/> more steps under a <see cref="RunProfile"/> and prints, on standard error, the time
    /// per step by op (an unrolled network has one node per op and time step, so the op's total is what adds up) and
    /// the top nodes; in microseconds when a step takes less than a millisecond inside its nodes.
    /// </summary>
    internal static void Profile(string figure, Session sess, Action step, int steps = 10)
    {
        var profile = new RunProfile();
        sess.Profile = profile;
        for (int i = 0; i < steps; i++) step();
        sess.Profile = null;
        double total = profile.Entries.Sum(e => e.Time.TotalMilliseconds) / steps;
        (string unit, double scale) = total < 1 ? ("us", 1e3) : ("ms", 1.0);
        Console.Error.WriteLine($"Profile of {figure}, {steps} steps: {total * scale:F2} {unit} per step inside nodes");
        Console.Error.WriteLine($"{"op",-36} {"nodes",6} {unit + "/step",9} {"share",7}");
        foreach (var op in profile.Entries.GroupBy(e => e.Node.Op.TypeName)
                     .Select(o => (Op: o.Key, Nodes: o.Count(), Ms: o.Sum(e => e.Time.TotalMilliseconds) / steps))
                     .OrderByDescending(o => o.Ms).Take(15))
            Console.Error.WriteLine($"{op.Op,-36} {op.Nodes,6} {op.Ms * scale,9:F3} {op.Ms / total,7:P1}");
        Console.Error.WriteLine(profile.Report(top: 12));
    }

    internal static Tensor RandomCharacters(Shape shape, int seed)
    {
        var random = new Random(seed);
        var ids = new int[shape.Size];
        for (int i = 0; i < ids.Length; i++) ids[i] = random.Next(Characters);
        return Tensor.FromFlat(ids, shape);
    }

    private static double[] Milliseconds(double[] seconds) => [.. seconds.Select(s => s * 1e3)];
}
