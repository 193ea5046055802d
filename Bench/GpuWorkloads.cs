using System.Diagnostics;
using GraphDL.Backends.Cuda;
using GraphDL.Data;

namespace GraphDL.Bench;

/// <summary>
/// The sizes of the GPU workloads: the measured ones, or with <c>--small</c> tiny ones that the host emulation
/// runs in seconds, which check the code path (launches, synchronisation, the session on the device) and
/// measure nothing worth keeping.
/// </summary>
public sealed record GpuSizes(int SgemmN, int ConvBatch, int ConvSide, int ConvChannels, int MlpSteps, int MlpWarmUpSteps, bool Small)
{
    public static GpuSizes Full { get; } = new(4096, 64, 56, 64, MlpWorkload.StepsPerEpoch, MlpWorkload.WarmUpSteps, Small: false);

    public static GpuSizes Tiny { get; } = new(64, 1, 8, 4, 5, 1, Small: true);

    public override string ToString() =>
        $"{(Small ? "small, a check of the code path and not a measurement" : "full")}: sgemm n={SgemmN}, " +
        $"conv N={ConvBatch} {ConvSide}x{ConvSide} C=K={ConvChannels} 3x3, MLP {MlpSteps} steps after {MlpWarmUpSteps}";
}

/// <summary>
/// GraphDL's side of the GPU benchmark: the primitives the CPU figures have no counterpart for (a large SGEMM,
/// a ResNet-sized convolution) called directly on device tensors, and the MLP of <see cref="MlpWorkload"/>
/// trained in a session on the GPU backend. Launches are asynchronous, so every timed stretch ends with a
/// device synchronisation.
/// </summary>
public static class GpuWorkloads
{
    /// <summary>Float32 (n, n) x (n, n), <see cref="CudaBackend.MatMul"/> on device tensors; 2n³ flops per product.</summary>
    public static Metric Sgemm(CudaBackend gpu, GpuSizes sizes, int runs)
    {
        int n = sizes.SgemmN;
        var a = OnDevice(gpu, new Shape(n, n), seed: 1);
        var b = OnDevice(gpu, new Shape(n, n), seed: 2);
        var product = gpu.Allocate(new Shape(n, n), DType.Float32);
        double flops = 2.0 * n * n * n;
        var seconds = Timing.SecondsPerCall(() => gpu.MatMul(a, b, false, false, product), runs, warmUpSeconds: 0.5, waitForDevice: gpu.Device.Synchronize);
        return Metric.OfRuns("gpu_sgemm_gflops_n4096", "GFLOP/s", [.. seconds.Select(s => flops / s / 1e9)]);
    }

    /// <summary>
    /// <see cref="CudaBackend.Conv2D"/> of a ResNet stage's shape: x (N, H, W, C) NHWC, filter (3, 3, C, K), stride 1,
    /// SAME padding (one zero on each side), Float32.
    /// </summary>
    public static Metric ConvForward(CudaBackend gpu, GpuSizes sizes, int runs)
    {
        int n = sizes.ConvBatch, side = sizes.ConvSide, channels = sizes.ConvChannels;
        var x = OnDevice(gpu, new Shape(n, side, side, channels), seed: 3);
        var filter = OnDevice(gpu, new Shape(3, 3, channels, channels), seed: 5);
        var y = gpu.Allocate(new Shape(n, side, side, channels), DType.Float32);
        var window = new Window2D(3, 3, 1, 1, 1, 1);
        var seconds = Timing.SecondsPerCall(() => gpu.Conv2D(x, filter, window, y), runs, warmUpSeconds: 0.5, waitForDevice: gpu.Device.Synchronize);
        return Metric.OfRuns("gpu_conv_fwd_ms", "ms", [.. seconds.Select(s => s * 1e3)]);
    }

    /// <summary>
    /// One epoch of the MLP (600 steps of 100, after 100 warm-up steps) in a session on <paramref name="gpu"/>: each
    /// run one epoch, the batches crossing to the device each step as a training loop's do. MNIST when there is one,
    /// else random images of its shape (the time of a step does not depend on the pixels). Also returns the nodes
    /// the session ran on the CPU for want of a kernel, which make the figure no GPU figure.
    /// </summary>
    public static (Metric Epoch, IReadOnlyList<string> OnCpu) MlpEpoch(CudaBackend gpu, MnistData? mnist, GpuSizes sizes, int runs)
    {
        var train = mnist?.Train ?? RandomImages(rows: 1000);
        var (g, x, y, trainOp) = MlpWorkload.Model();
        var onCpu = new List<string>();
        using var sess = new Session(g, gpu);
        sess.Log = message =>
        {
            onCpu.Add(message);
            Console.Error.WriteLine(message);
        };
        sess.Run(g.GlobalVariablesInitializer());
        var batchXs = new Tensor(new Shape(MlpWorkload.BatchSize, Mnist.Pixels));
        var batchYs = new Tensor(new Shape(MlpWorkload.BatchSize, Mnist.Classes));
        var feeds = new FeedDict { [x] = batchXs, [y] = batchYs };
        Fetch[] step = [trainOp];
        void TrainOnNextBatch()
        {
            train.NextBatch(batchXs, batchYs);
            sess.Run(step, feeds);
        }

        for (int i = 0; i < sizes.MlpWarmUpSteps; i++) TrainOnNextBatch();
        gpu.Device.Synchronize();
        var seconds = new double[runs];
        var clock = new Stopwatch();
        for (int run = 0; run < runs; run++)
        {
            clock.Restart();
            for (int i = 0; i < sizes.MlpSteps; i++) TrainOnNextBatch();
            gpu.Device.Synchronize();
            seconds[run] = clock.Elapsed.TotalSeconds;
        }
        return (Metric.OfRuns("gpu_mlp_epoch_s", "s", seconds), onCpu);
    }

    /// <summary>Float32 uniform in [-0.5, 0.5) from a fixed seed, copied into the device's memory.</summary>
    private static Tensor OnDevice(CudaBackend gpu, Shape shape, int seed)
    {
        var random = new Random(seed);
        var data = new float[shape.Size];
        for (int i = 0; i < data.Length; i++) data[i] = random.NextSingle() - 0.5f;
        var t = gpu.Allocate(shape, DType.Float32);
        t.CopyFrom(Tensor.FromFlat(data, shape));
        return t;
    }

    /// <summary>Random pixels in [0, 1) and random one-hot labels in MNIST's shapes, for when MNIST is not there.</summary>
    private static DataSet RandomImages(int rows)
    {
        var random = new Random(Workloads.Seed);
        var pixels = new float[rows * Mnist.Pixels];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        int[] classes = [.. Enumerable.Range(0, rows).Select(_ => random.Next(Mnist.Classes))];
        return new DataSet(Tensor.FromFlat(pixels, new Shape(rows, Mnist.Pixels)), OneHotEncoding.Encode(classes, Mnist.Classes), seed: Workloads.Seed);
    }
}
