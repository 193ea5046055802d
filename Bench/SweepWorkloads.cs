using GraphDL.Backends.Cpu;
using GraphDL.Data;

namespace GraphDL.Bench;

/// <summary>
/// What <c>--sweep</c> times at each point, and the work each point does, counted from the shapes. Only the matrix
/// products are counted: they are the flops a BLAS can run at its peak, so GFLOP/s against sgemm's says how much of
/// the step is spent elsewhere (per-node overhead, elementwise passes, the optimizer's update).
/// </summary>
public static class SweepWorkloads
{
    /// <summary>
    /// The MLP's learning rate. Lower than the slide's 0.5: the sweep trains on random images against random labels for
    /// thousands of steps, and a step must stay a step on finite numbers.
    /// </summary>
    public const double LearningRate = 0.01;

    /// <summary>
    /// The matrix-product flops of one MLP training step at (batch B, width W), with D = 784 pixels and C = 10 classes:
    /// forward x·W1 (2BDW) and h·W2 (2BWC); backward dW2 = hᵀ·dlogits (2BWC), dh = dlogits·W2ᵀ (2BCW) and
    /// dW1 = xᵀ·dh (2BDW). The input's gradient is not computed (x is fed, not trained). In all 2B(2DW + 3WC).
    /// </summary>
    public static double MlpFlops(int batch, int width) =>
        2.0 * batch * (2.0 * Mnist.Pixels * width + 3.0 * width * Mnist.Classes);

    /// <summary>
    /// The matrix-product flops of one language-model step over <paramref name="time"/> steps, with N = 32 sequences,
    /// E = 64, H = 128 and V = 65 characters: at each step the cell's [x, h]·K, (N, E+H) x (E+H, 4H), and its two
    /// gradients, [x, h]ᵀ·dgates and dgates·Kᵀ, the same flops each; then the dense layer over all steps,
    /// (TN, H) x (H, V), and its two gradients. In all 6TN(4H(E+H) + HV). The first step's product with the zero state
    /// is counted as any other; the embedding's gather and its scatter-add are not products.
    /// </summary>
    public static double LstmFlops(int time) =>
        6.0 * time * StepWorkloads.Batch * (4.0 * StepWorkloads.Units * (StepWorkloads.Embedding + StepWorkloads.Units)
                                            + (double)StepWorkloads.Units * StepWorkloads.Characters);

    /// <summary>
    /// Seconds per MLP training step (<see cref="MlpWorkload.Model"/> at this width, <see cref="LearningRate"/>), one
    /// figure per run: one <c>sess.Run([train], feeds)</c> on a batch of random pixels in [0, 1) and random one-hot labels.
    /// </summary>
    public static double[] MlpStep(int batch, int width, int runs, double warmUpSeconds, double minRunSeconds, bool profile)
    {
        var (g, x, y, train) = MlpWorkload.Model(width, LearningRate);
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var random = new Random(Workloads.Seed);
        var feeds = new FeedDict
        {
            [x] = RandomMatrix(batch, Mnist.Pixels, random, offset: 0),
            [y] = OneHotEncoding.Encode([.. Enumerable.Range(0, batch).Select(_ => random.Next(Mnist.Classes))], Mnist.Classes),
        };
        Fetch[] step = [train];
        var seconds = Timing.SecondsPerCall(() => sess.Run(step, feeds), runs, minRunSeconds, warmUpSeconds);
        if (profile) StepWorkloads.Profile($"the MLP step at batch {batch}, width {width}", sess, () => sess.Run(step, feeds));
        EnsureFinite(g, sess, $"the MLP at batch {batch}, width {width}");
        return seconds;
    }

    /// <summary>
    /// Seconds per set of the MLP step's five matrix products alone (<see cref="MlpFlops"/>), through the CPU backend's
    /// MatMul with the transposes the gradient builder asks for, into results made beforehand: the step's GEMM work
    /// with nothing around it, the limit at the sweep's own shapes.
    /// </summary>
    public static double[] MlpProducts(int batch, int width, int runs, double warmUpSeconds, double minRunSeconds)
    {
        const int pixels = Mnist.Pixels, classes = Mnist.Classes;
        var random = new Random(Workloads.Seed);
        Tensor x = RandomMatrix(batch, pixels, random), W1 = RandomMatrix(pixels, width, random), W2 = RandomMatrix(width, classes, random);
        Tensor h = RandomMatrix(batch, width, random), dlogits = RandomMatrix(batch, classes, random);
        Tensor logits = new(new Shape(batch, classes)), dh = new(new Shape(batch, width));
        Tensor dW1 = new(new Shape(pixels, width)), dW2 = new(new Shape(width, classes));
        var be = CpuBackend.Instance;
        return Timing.SecondsPerCall(() =>
        {
            be.MatMul(x, W1, false, false, h);
            be.MatMul(h, W2, false, false, logits);
            be.MatMul(h, dlogits, true, false, dW2);
            be.MatMul(dlogits, W2, false, true, dh);
            be.MatMul(x, dh, true, false, dW1);
        }, runs, minRunSeconds, warmUpSeconds);
    }

    /// <summary>Seconds per step of the LSTM language model (<see cref="StepWorkloads.LanguageModel"/>) over <paramref name="time"/> steps.</summary>
    public static double[] LstmStep(int time, int runs, double warmUpSeconds, double minRunSeconds)
    {
        var (g, characters, targets, train) = StepWorkloads.LanguageModel(StepWorkloads.Cell.Lstm, time: time);
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict
        {
            [characters] = StepWorkloads.RandomCharacters(new Shape(StepWorkloads.Batch, time), seed: 1),
            [targets] = StepWorkloads.RandomCharacters(new Shape(time, StepWorkloads.Batch), seed: 2),
        };
        Fetch[] step = [train];
        var seconds = Timing.SecondsPerCall(() => sess.Run(step, feeds), runs, minRunSeconds, warmUpSeconds);
        EnsureFinite(g, sess, $"the LSTM language model over {time} steps");
        return seconds;
    }

    // A NaN would make every later step a different computation from the one being timed: say so rather than report it.
    private static void EnsureFinite(Graph g, Session sess, string what)
    {
        foreach (var variable in g.TrainableVariables)
            if (!sess.Run(variable).ToArray<float>().All(float.IsFinite))
                throw new InvalidOperationException($"{what} trained its variable '{variable.Node.Name}' to NaN or infinity; its time would not be a training step's.");
    }

    private static Tensor RandomMatrix(int rows, int columns, Random random, float offset = -0.5f)
    {
        var data = new float[rows * columns];
        for (int i = 0; i < data.Length; i++) data[i] = random.NextSingle() + offset;
        return Tensor.FromFlat(data, new Shape(rows, columns));
    }
}
