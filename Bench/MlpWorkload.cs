using GraphDL.Data;

namespace GraphDL.Bench;

/// <summary>
/// The slide's 784-360-10 ReLU MLP on MNIST, trained for one epoch (600 steps of <c>next_batch(100)</c>).
/// Each run is a child process of its own (<c>Bench --workload mlp</c>), so that its peak RSS is the MLP's:
/// the other workloads' matrices and MNIST copies never count. A child loads MNIST, warms up for 100 steps,
/// times one epoch, reads its peak RSS, then counts the bytes that 100 more training steps allocate.
/// </summary>
public static class MlpWorkload
{
    public const string Name = "mlp";

    public const int BatchSize = 100, StepsPerEpoch = 600, WarmUpSteps = 100;
    private const int AllocationSteps = 100;

    /// <summary>
    /// In the benchmark: one child per run, each on <paramref name="blas"/> (its GRAPHDL_BLAS setting), and the median
    /// of each figure over the children.
    /// </summary>
    public static List<Metric> Measure(Options options, string blas)
    {
        var samples = new Dictionary<string, (string Unit, List<double> Values)>();
        for (int run = 0; run < options.Runs; run++)
        {
            foreach (var metric in RunChild(options, blas))
            {
                if (!samples.TryGetValue(metric.Name, out var sample)) samples[metric.Name] = sample = (metric.Unit, []);
                sample.Values.Add(metric.Value);
            }
        }
        return [.. samples.Select(s => Metric.OfRuns(s.Key, s.Value.Unit, s.Value.Values))];
    }

    /// <summary>In the child: trains, measures, and prints the three figures as JSON lines.</summary>
    public static int Run(Options options)
    {
        MnistData mnist;
        try
        {
            // Silent: the benchmark has loaded MNIST (fetching it if need be) before starting its children.
            mnist = Mnist.Load(options.DataDir, log: null, seed: Workloads.Seed);
        }
        catch (DataUnavailableException e)
        {
            Console.Error.WriteLine($"Bench: no MNIST for the MLP: {e.Message}");
            return 3;
        }

        var (g, x, y, train) = Model();
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        // Batches go into two tensors kept for the whole run, so a training step, batching included, allocates nothing.
        var batchXs = new Tensor(new Shape(BatchSize, Mnist.Pixels));
        var batchYs = new Tensor(new Shape(BatchSize, Mnist.Classes));
        var feeds = new FeedDict { [x] = batchXs, [y] = batchYs };
        Fetch[] step = [train];
        void TrainOnNextBatch()
        {
            mnist.Train.NextBatch(batchXs, batchYs);
            sess.Run(step, feeds);
        }

        double epochSeconds = Timing.SecondsPerRun(TrainOnNextBatch, StepsPerEpoch, WarmUpSteps, runs: 1)[0];
        double peakRssMb = Timing.PeakRssMb();

        // Whole steps, the next batch included: what a training loop allocates once it runs.
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < AllocationSteps; i++) TrainOnNextBatch();
        double bytesPerStep = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)AllocationSteps;

        Console.WriteLine(new Metric("mlp_epoch_s", epochSeconds, "s", []).ToJson());
        Console.WriteLine(new Metric("mlp_peak_rss_mb", peakRssMb, "MB", []).ToJson());
        Console.WriteLine(new Metric("mlp_step_alloc_bytes", bytesPerStep, "B", []).ToJson());
        return 0;
    }

    /// <summary>The slide's MLP and its training op; the GPU benchmark trains the same graph (<see cref="GpuWorkloads.MlpEpoch"/>).</summary>
    /// <param name="hidden">The hidden layer's width: the slide's 360, or the widths <c>--sweep</c> runs (<see cref="Sweep"/>).</param>
    /// <param name="rate">Gradient descent's learning rate.</param>
    public static (Graph Graph, Output X, Output Y, Node Train) Model(int hidden = 360, double rate = 0.5)
    {
        var g = new Graph { Seed = Workloads.Seed };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Mnist.Pixels), "x");
        var y = g.Placeholder(DType.Float32, new Shape(-1, Mnist.Classes), "y");
        var W1 = g.Variable(Init.TruncatedNormal([Mnist.Pixels, hidden], stddev: 0.1), "W_1");
        var b1 = g.Variable(Init.Constant(0.1, hidden), "b_1");
        var h1 = g.Relu(g.MatMul(x, W1) + b1);
        var W2 = g.Variable(Init.TruncatedNormal([hidden, Mnist.Classes], stddev: 0.1), "W_2");
        var b2 = g.Variable(Init.Constant(0.1, Mnist.Classes), "b_2");
        var logits = g.MatMul(h1, W2) + b2;
        var loss = g.ReduceMean(g.SoftmaxCrossEntropyWithLogits(y, logits));
        var train = new GradientDescentOptimizer(rate).Minimize(loss);
        return (g, x, y, train);
    }

    private static List<Metric> RunChild(Options options, string blas) =>
        Json.ReadLines(FigureProcess.Run(["--workload", Name, "--data", options.DataDir], blas, "the MLP child process").Split('\n')).Metrics;
}
