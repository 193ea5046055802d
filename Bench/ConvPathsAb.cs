using GraphDL.Backends.Cpu;

namespace GraphDL.Bench;

/// <summary>
/// Two comparisons of the CPU backend's convolution paths on the MnistCnn training step
/// (<see cref="StepWorkloads.CnnTraining"/>), in one process and one session, in turns: a shared machine's load then
/// falls on both alike, which two separate runs cannot promise. <c>--conv-ab N</c>: the convolutions split across the
/// cores in groups of images (the default) against the older path, one chunk of images at a time through the BLAS's own
/// threads. <c>--conv-shallow-ab N</c>: the first layer's convolution and filter gradient computed directly (the
/// default for shallow windows) against im2col, then the same two ops alone over a table of shallow layers.
/// </summary>
public static class ConvPathsAb
{
    private const int StepsPerRun = 5;

    /// <summary>One side of a comparison: its name and how to put the backend on it.</summary>
    private sealed record Path(string Name, Action Choose);

    /// <summary>
    /// <c>--conv-ab</c>: <paramref name="rounds"/> rounds of 5 steps each way, the groups of images against the chunks.
    /// Returns the wall-time medians in milliseconds.
    /// </summary>
    public static (double Groups, double Chunks) Run(int rounds, bool profile) =>
        StepInTurns(rounds, profile,
            new Path("groups", () => CpuBackend.ConvolveInImageGroups = true),
            new Path("chunks", () => CpuBackend.ConvolveInImageGroups = false));

    /// <summary>
    /// <c>--conv-shallow-ab</c>: <paramref name="rounds"/> rounds of 5 steps each way, shallow convolutions direct
    /// against im2col, then <see cref="ShallowLayers"/>. Returns the step's wall-time medians in milliseconds.
    /// </summary>
    public static (double Direct, double Im2Col) RunShallow(int rounds, bool profile)
    {
        var medians = StepInTurns(rounds, profile,
            new Path("direct", () => CpuBackend.ConvolveShallowDirectly = true),
            new Path("im2col", () => CpuBackend.ConvolveShallowDirectly = false));
        ShallowLayers(rounds, vector512: true);
        // The kernels on Vector<T> alone, as a machine without AVX-512 runs them.
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) ShallowLayers(rounds, vector512: false);
        return medians;
    }

    /// <summary>
    /// Times <paramref name="rounds"/> rounds of 5 steps on each path, the order swapped every round; prints each round's
    /// wall and process CPU time per step, the medians, minimums and per-round ratios (the second path over the first)
    /// on standard error, and with <paramref name="profile"/> each path's <see cref="RunProfile"/>.
    /// </summary>
    private static (double First, double Second) StepInTurns(int rounds, bool profile, Path first, Path second)
    {
        var (sess, step) = StepWorkloads.CnnTraining();
        using (sess)
        {
            bool wasGroups = CpuBackend.ConvolveInImageGroups, wasDirect = CpuBackend.ConvolveShallowDirectly;
            try
            {
                var paths = new[] { first, second };
                foreach (var path in paths)
                {
                    path.Choose();
                    Timing.SecondsPerCall(step, runs: 1, minRunSeconds: 0.1, warmUpSeconds: 2);
                }
                var wall = new[] { new List<double>(), new List<double>() };
                var cpu = new[] { new List<double>(), new List<double>() };
                for (int round = 0; round < rounds; round++)
                {
                    foreach (int k in round % 2 == 0 ? [0, 1] : new[] { 1, 0 })
                    {
                        paths[k].Choose();
                        var (wallMs, cpuMs) = Timing.Turn(step, StepsPerRun);
                        wall[k].Add(wallMs);
                        cpu[k].Add(cpuMs);
                    }
                    Console.Error.WriteLine($"round {round + 1}: {first.Name} {wall[0][^1]:F1} ms ({cpu[0][^1]:F1} ms CPU), {second.Name} {wall[1][^1]:F1} ms ({cpu[1][^1]:F1} ms CPU)");
                }
                Console.Error.WriteLine(Timing.InTurnsSummary("wall time per step", (first.Name, wall[0]), (second.Name, wall[1]), numerator: second.Name, digits: 2, unit: "ms"));
                Console.Error.WriteLine(Timing.InTurnsSummary("process CPU time per step", (first.Name, cpu[0]), (second.Name, cpu[1]), numerator: second.Name, digits: 2, unit: "ms"));
                if (profile)
                    foreach (var path in paths)
                    {
                        path.Choose();
                        StepWorkloads.Profile($"cnn_step_ms, {path.Name}", sess, step);
                    }
                return (Timing.Median(wall[0]), Timing.Median(wall[1]));
            }
            finally
            {
                CpuBackend.ConvolveInImageGroups = wasGroups;
                CpuBackend.ConvolveShallowDirectly = wasDirect;
            }
        }
    }

    /// <summary>
    /// The layers <see cref="ShallowLayers"/> times: a batch of 100 images, SAME padding, filters of (size, size, input
    /// channels, output channels). MnistCnn's first layer and its neighbours on 28x28 images, one with strides of 2, then
    /// deeper windows on 14x14 up to MnistCnn's second layer (5x5x16x32), to show where the direct path stops paying.
    /// </summary>
    private static readonly (int Side, int Size, int InChannels, int OutChannels, int Stride)[] Layers =
    [
        (28, 5, 1, 8, 1), (28, 5, 8, 8, 1), (28, 5, 1, 16, 1), (28, 5, 1, 32, 1), (28, 5, 1, 64, 1), (28, 5, 2, 16, 1),
        (28, 5, 3, 16, 1), (28, 5, 3, 32, 1), (28, 5, 4, 16, 1), (28, 5, 6, 16, 1), (28, 5, 8, 16, 1), (28, 5, 16, 16, 1),
        (28, 3, 1, 16, 1), (28, 3, 3, 16, 1), (28, 3, 3, 64, 1), (28, 3, 8, 16, 1), (28, 3, 16, 16, 1), (28, 5, 3, 32, 2),
        (14, 3, 8, 32, 1), (14, 3, 16, 32, 1), (14, 5, 8, 32, 1), (14, 5, 16, 32, 1), (14, 3, 32, 64, 1),
    ];

    /// <summary>
    /// Conv2D and Conv2DBackpropFilter alone, direct against im2col, in turns (the order swapped every round), over
    /// <see cref="Layers"/>, with the direct path let past its depth limit so that the table shows where it stops
    /// paying: the medians of wall time and of process CPU time per call, and their ratios, im2col over direct.
    /// Float32, as the lessons train.
    /// </summary>
    private static void ShallowLayers(int rounds, bool vector512)
    {
        const int batch = 100, callsPerTurn = 10;
        var wasLimit = CpuBackend.ShallowLimit;
        bool wasDirect = CpuBackend.ConvolveShallowDirectly, was512 = CpuBackend.ShallowUsesVector512;
        string vectors = vector512 && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "512-bit vectors where 16 channels fill one" : $"Vector<T> ({System.Numerics.Vector<float>.Count * 32} bits)";
        Console.Error.WriteLine($"Shallow layers (batch {batch}, SAME, float32; the direct path on {vectors}): medians of {rounds} rounds of {callsPerTurn} calls each way,");
        Console.Error.WriteLine("ms per call, wall (process CPU); ratios im2col / direct, wall (CPU):");
        Console.Error.WriteLine($"{"image, filter, stride",-22} {"depth",5} | {"Conv2D direct",15} {"im2col",15} {"ratio",11} | {"filter grad direct",18} {"im2col",15} {"ratio",11}");
        var be = CpuBackend.Instance;
        var random = new Random(5);
        Tensor RandomTensor(Shape shape)
        {
            var values = new float[shape.Size];
            for (int i = 0; i < values.Length; i++) values[i] = random.NextSingle() * 2 - 1;
            return Tensor.FromFlat(values, shape);
        }
        try
        {
            CpuBackend.ShallowLimit = CpuBackend.ShallowLimits.Lifted;
            CpuBackend.ShallowUsesVector512 = vector512;
            foreach (var (side, size, inChannels, outChannels, stride) in Layers)
            {
                var x = RandomTensor(new Shape(batch, side, side, inChannels));
                var filter = RandomTensor(new Shape(size, size, inChannels, outChannels));
                var (window, outHeight, outWidth) = Window2D.Over(x.Shape, size, size, stride, stride, Padding.Same, "filter");
                var dout = RandomTensor(new Shape(batch, outHeight, outWidth, outChannels));
                var y = RandomTensor(dout.Shape);
                var dW = RandomTensor(filter.Shape);
                Action[] ops = [() => be.Conv2D(x, filter, window, y), () => be.Conv2DBackpropFilter(x, dout, window, dW)];
                // [op, path (0 direct, 1 im2col)]: per-call times of each round
                var wall = new List<double>[2, 2];
                var cpu = new List<double>[2, 2];
                for (int op = 0; op < 2; op++)
                    for (int path = 0; path < 2; path++)
                    {
                        CpuBackend.ConvolveShallowDirectly = path == 0;
                        // The step's warm-up has settled the JIT on both paths; this warms the caches and scratch.
                        for (int call = 0; call < 3; call++) ops[op]();
                        (wall[op, path], cpu[op, path]) = ([], []);
                    }
                for (int round = 0; round < rounds; round++)
                    for (int op = 0; op < 2; op++)
                        foreach (int path in round % 2 == 0 ? [0, 1] : new[] { 1, 0 })
                        {
                            CpuBackend.ConvolveShallowDirectly = path == 0;
                            var (wallMs, cpuMs) = Timing.Turn(ops[op], callsPerTurn);
                            wall[op, path].Add(wallMs);
                            cpu[op, path].Add(cpuMs);
                        }
                string Time(int op, int path) => $"{Timing.Median(wall[op, path]):F3} ({Timing.Median(cpu[op, path]):F3})";
                string Ratio(int op) =>
                    $"{Timing.Median(wall[op, 1]) / Timing.Median(wall[op, 0]):F2} ({Timing.Median(cpu[op, 1]) / Timing.Median(cpu[op, 0]):F2})";
                Console.Error.WriteLine($"{$"{side}x{side}, {size}x{size}x{inChannels}x{outChannels}, {stride}",-22} {size * size * inChannels,5} | " +
                    $"{Time(0, 0),15} {Time(0, 1),15} {Ratio(0),11} | {Time(1, 0),18} {Time(1, 1),15} {Ratio(1),11}");
            }
        }
        finally
        {
            CpuBackend.ShallowLimit = wasLimit;
            CpuBackend.ConvolveShallowDirectly = wasDirect;
            CpuBackend.ShallowUsesVector512 = was512;
        }
    }
}
