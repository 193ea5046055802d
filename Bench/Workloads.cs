using GraphDL.Backends.Cpu;
using GraphDL.Data;

namespace GraphDL.Bench;

/// <summary>
/// GraphDL's side of the benchmark, each graph built the way its slide builds it. A training step is one
/// <see cref="Session.Run(IReadOnlyList{Fetch}, FeedDict?)"/> whose fetch list and feeds were made before the
/// loop, as a program that cares about speed would write it. The MLP runs elsewhere: <see cref="MlpWorkload"/>.
/// </summary>
public static class Workloads
{
    /// <summary>The graph seed of every workload, so that two benchmark runs train the same numbers.</summary>
    public const int Seed = 4;

    /// <summary>
    /// Float32 (n, n) x (n, n) through the CPU backend's MatMul, the kernel a MatMul node runs: no graph and no
    /// session around it, so this is the BLAS as GraphDL reaches it (the row-major/column-major swap included).
    /// </summary>
    public static Metric Sgemm(int n, int runs)
    {
        var a = RandomMatrix(n, seed: 1);
        var b = RandomMatrix(n, seed: 2);
        var product = new Tensor(new Shape(n, n));
        double flops = 2.0 * n * n * n;
        var seconds = Timing.SecondsPerCall(() => CpuBackend.Instance.MatMul(a, b, false, false, product), runs, minRunSeconds: 0.3);
        return Metric.OfRuns($"sgemm_gflops_n{n}", "GFLOP/s", [.. seconds.Select(s => flops / s / 1e9)]);
    }

    /// <summary>The slide's linear fit: 8 points as constants, W and b of shape [1], one step = <c>sess.run(train)</c>.</summary>
    public static Metric LinearFit(int runs)
    {
        var g = new Graph { Seed = Seed };
        var xData = g.Constant(new float[] { 32, 64, 96, 118, 126, 144, 152.5f, 158 }, "x_data");
        var yData = g.Constant(new float[] { 18, 24, 61.5f, 49, 52, 105, 130.3f, 125 }, "y_data");
        var W = g.Variable(Init.RandomNormal([1], mean: -10.0, stddev: 10.0), "W");
        var b = g.Variable(Init.RandomNormal([1], mean: -100.0, stddev: 100.0), "b");
        var hypothesis = W * xData + b;
        var cost = g.ReduceMean(g.Square(hypothesis - yData));
        var train = new GradientDescentOptimizer(0.00001).Minimize(cost);

        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        Fetch[] step = [train];
        var seconds = Timing.SecondsPerCall(() => sess.Run(step), runs);
        return Metric.OfRuns("linear_fit_step_us", "us", Microseconds(seconds));
    }

    /// <summary>Nodes in <see cref="NodeOverhead"/>'s chain: enough that the run's own fixed cost is a rounding error.</summary>
    public const int OverheadChainLength = 1000;

    /// <summary>
    /// What the executor costs per node, apart from the work: a chain of <see cref="OverheadChainLength"/> scalar
    /// additions, x + 1 + 1 + ..., fed and fetched in one run. Adding two float32 numbers takes a nanosecond or two, so
    /// the run's time over the node count is the per-node cost every small graph pays (dispatch, the node's inputs and
    /// outputs, buffer reuse): what the Iris step's 20-odd nodes of tens of nanoseconds each pay on top of their work.
    /// </summary>
    public static Metric NodeOverhead(int runs)
    {
        var g = new Graph { Seed = Seed };
        var x = g.Placeholder(DType.Float32, Shape.Scalar, "x");
        var one = g.Constant(1f, "one");
        var y = x;
        for (int i = 0; i < OverheadChainLength; i++) y = g.Add(y, one);

        using var sess = new Session(g);
        var feeds = new FeedDict { [x] = Tensor.Scalar(0f) };
        Fetch[] fetches = [y];
        var seconds = Timing.SecondsPerCall(() => sess.Run(fetches, feeds), runs);
        return Metric.OfRuns("node_overhead_ns", "ns", [.. seconds.Select(s => s * 1e9 / OverheadChainLength)]);
    }

    /// <summary>The slide's Iris model: one softmax layer, full batch of 150, one step = <c>sess.run([train, loss], feed)</c>.</summary>
    public static Metric Iris(string? csvPath, int runs, bool profile = false)
    {
        var (features, labels) = IrisData(csvPath);
        var g = new Graph { Seed = Seed };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4), "x");
        var y = g.Placeholder(DType.Float32, new Shape(-1, 3), "y");
        var W = g.Variable(Init.Zeros(4, 3), "W");
        var b = g.Variable(Init.Zeros(3), "b");
        var h = g.Softmax(g.MatMul(x, W) + b);
        var loss = g.ReduceMean(-g.ReduceSum(y * g.Log(h), axis: 1));
        var train = new GradientDescentOptimizer(0.001).Minimize(loss);

        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict { [x] = features, [y] = labels };
        Fetch[] step = [train, loss];
        var seconds = Timing.SecondsPerCall(() => sess.Run(step, feeds), runs);
        if (profile) StepWorkloads.Profile("iris_step_us", sess, () => sess.Run(step, feeds), steps: 10_000);
        return Metric.OfRuns("iris_step_us", "us", Microseconds(seconds));
    }

    /// <summary>
    /// The slide's single-layer MNIST model: 1000 steps of <c>next_batch(100)</c> and <c>sess.run([train, loss], feed)</c>,
    /// the batching included, as in the slide's loop. One run is 1000 steps after a warm-up of 100.
    /// </summary>
    public static Metric MnistSingleLayer(MnistData mnist, int runs)
    {
        const int steps = 1000, batchSize = 100;
        var g = new Graph { Seed = Seed };
        var x = g.Placeholder(DType.Float32, new Shape(-1, Mnist.Pixels), "x");
        var y = g.Placeholder(DType.Float32, new Shape(-1, Mnist.Classes), "y");
        var W = g.Variable(Init.Zeros(Mnist.Pixels, Mnist.Classes), "W");
        var b = g.Variable(Init.Zeros(Mnist.Classes), "b");
        var h = g.Softmax(g.MatMul(x, W) + b);
        var loss = g.ReduceMean(-g.ReduceSum(y * g.Log(h), axis: 1));
        var train = new GradientDescentOptimizer(0.5).Minimize(loss);

        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict();
        Fetch[] step = [train, loss];
        var seconds = Timing.SecondsPerRun(() =>
        {
            var (batchXs, batchYs) = mnist.Train.NextBatch(batchSize);
            feeds[x] = batchXs;
            feeds[y] = batchYs;
            sess.Run(step, feeds);
        }, stepsPerRun: steps, warmUpSteps: 100, runs);
        return Metric.OfRuns("mnist_single_1000_steps_s", "s", seconds);
    }

    /// <summary>
    /// The Iris features and one-hot species: the Iris lesson's CSV when the build found it, else synthetic
    /// data of the same shape (the step's cost does not depend on the values).
    /// </summary>
    public static (Tensor Features, Tensor Labels) IrisData(string? csvPath)
    {
        if (csvPath is not null)
        {
            var iris = Csv.Read(csvPath);
            var species = iris.Classes("species", "setosa", "versicolor", "virginica");
            return (iris.ToTensor("sepal_length", "sepal_width", "petal_length", "petal_width"), species.OneHot());
        }
        var random = new Random(Seed);
        var features = new float[150 * 4];
        for (int i = 0; i < features.Length; i++) features[i] = 1 + 6 * random.NextSingle();
        int[] classes = [.. Enumerable.Range(0, 150).Select(i => i / 50)];
        return (Tensor.FromFlat(features, new Shape(150, 4)), OneHotEncoding.Encode(classes, 3));
    }

    /// <summary>Where the build put the Iris lesson's CSV, or null when the lesson's file was not there to copy.</summary>
    public static string? IrisCsvPath()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "iris.csv");
        return File.Exists(path) ? path : null;
    }

    private static Tensor RandomMatrix(int n, int seed)
    {
        var random = new Random(seed);
        var data = new float[n * n];
        for (int i = 0; i < data.Length; i++) data[i] = random.NextSingle() - 0.5f;
        return Tensor.FromFlat(data, new Shape(n, n));
    }

    private static double[] Microseconds(double[] seconds) => [.. seconds.Select(s => s * 1e6)];
}
