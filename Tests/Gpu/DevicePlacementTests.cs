using GraphDL.Backends.Cuda;
using NUnit.Framework;

namespace GraphDL.Tests.Gpu;

/// <summary>
/// A whole graph on the GPU backend (here through the host emulation): variables resident on the device, feeds
/// copied in, fetches copied out, host-only nodes and nodes without a kernel run on the CPU between copies.
/// </summary>
public class DevicePlacementTests
{
    private static (Graph G, Output X, Output Labels, Output Loss, Node Train, Output W1) SmallClassifier()
    {
        var g = new Graph { Seed = 7 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4), "x");
        var labels = g.Placeholder(DType.Float32, new Shape(-1, 3), "labels");
        var w1 = g.Variable(Init.TruncatedNormal([4, 5], stddev: 0.5), "W1");
        var b1 = g.Variable(Init.Zeros(5), "b1");
        var w2 = g.Variable(Init.TruncatedNormal([5, 3], stddev: 0.5), "W2");
        var b2 = g.Variable(Init.Constant(0.1, 3), "b2");
        var hidden = g.Relu(g.MatMul(x, w1) + b1);
        var loss = g.ReduceMean(g.SoftmaxCrossEntropyWithLogits(labels, g.MatMul(hidden, w2) + b2));
        var train = new GradientDescentOptimizer(0.3).Minimize(loss);
        return (g, x, labels, loss, train, w1);
    }

    private static FeedDict Batch(Output x, Output labels, int rows, int seed)
    {
        var rng = new Random(seed);
        var xs = new float[rows, 4];
        var ys = new float[rows, 3];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < 4; j++) xs[i, j] = (float)(rng.NextDouble() * 2 - 1);
            ys[i, (int)(xs[i, 0] > 0 ? 0 : xs[i, 1] > 0 ? 1 : 2)] = 1;
        }
        return new() { [x] = xs, [labels] = ys };
    }

    private static List<double> Train(IBackend backend, out Tensor w1)
    {
        var (g, x, labels, loss, train, w1Out) = SmallClassifier();
        using var session = new Session(g, backend);
        session.Run(g.GlobalVariablesInitializer());
        var losses = new List<double>();
        for (int step = 0; step < 6; step++)
        {
            // A new batch size halfway exercises rebinding of the device buffers.
            var feed = Batch(x, labels, step < 3 ? 9 : 5, step);
            losses.Add((double)session.Run([loss, train], feed)[0]);
        }
        w1 = session.GetValue(w1Out);
        return losses;
    }

    [RequiresKernelEmulator]
    [Test]
    public void TrainingOnTheGpuBackendMatchesTheCpu()
    {
        var cpuLosses = Train(GraphDL.Backends.Cpu.CpuBackend.Instance, out var cpuW1);
        var gpuLosses = Train(CudaBackend.Emulated, out var gpuW1);
        Assert.That(gpuLosses, Is.EqualTo(cpuLosses).Within(1e-5));
        Assert.That(gpuW1.IsOnDevice, Is.False, "GetValue hands back a host copy");
        Assert.That(gpuW1.ToDoubles(), Is.EqualTo(cpuW1.ToDoubles()).Within(1e-5));
        Assert.That(cpuLosses[^1], Is.LessThan(cpuLosses[0]), "the run trains at all");
    }

    [RequiresKernelEmulator]
    [Test]
    public void ASteadyTrainingStepOnTheDeviceAllocatesNothing()
    {
        var (g, x, labels, _, train, _) = SmallClassifier();
        using var session = new Session(g, CudaBackend.Emulated);
        session.Run(g.GlobalVariablesInitializer());
        var feeds = Batch(x, labels, 8, 0);
        Fetch[] step = [train];
        for (int i = 0; i < 3; i++) session.Run(step, feeds);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) session.Run(step, feeds);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [RequiresKernelEmulator]
    [Test]
    public void ASteadyAdamStepOnTheDeviceAllocatesNothing()
    {
        // Adam's rate depends on its β-power variables, which the update kernel reads in device memory.
        var (g, x, labels, loss, _, _) = SmallClassifier();
        var train = new AdamOptimizer(0.01).Minimize(loss);
        using var session = new Session(g, CudaBackend.Emulated);
        session.Run(g.GlobalVariablesInitializer());
        var feeds = Batch(x, labels, 8, 0);
        Fetch[] step = [train];
        for (int i = 0; i < 3; i++) session.Run(step, feeds);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) session.Run(step, feeds);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [RequiresKernelEmulator]
    [Test]
    public void ASteadyStepWithALearningRateVariableOnTheDeviceAllocatesNothing()
    {
        var (g, x, labels, loss, _, _) = SmallClassifier();
        var learningRate = g.Variable(Tensor.Scalar(0.05f), "lr", trainable: false);
        var train = new MomentumOptimizer(learningRate, 0.9).Minimize(loss);
        var decay = g.Assign(learningRate, learningRate * 0.99f).Node;
        using var session = new Session(g, CudaBackend.Emulated);
        session.Run(g.GlobalVariablesInitializer());
        var feeds = Batch(x, labels, 8, 0);
        Fetch[] step = [train, decay];
        for (int i = 0; i < 3; i++) session.Run(step, feeds);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) session.Run(step, feeds);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That((double)session.Run(learningRate), Is.EqualTo(0.05 * Math.Pow(0.99, 8)).Within(1e-7));
    }

    [RequiresKernelEmulator]
    [Test]
    public void VariablesStayOnTheDeviceAndFetchesComeBackToTheHost()
    {
        var (g, x, labels, loss, _, w1) = SmallClassifier();
        using var session = new Session(g, CudaBackend.Emulated);
        session.Run(g.GlobalVariablesInitializer());
        Assert.That(session.ReadVariable(w1.Node).IsOnDevice, Is.True);
        var fetched = session.Run([loss, w1], Batch(x, labels, 4, 1));
        Assert.That(fetched[0].IsOnDevice || fetched[1].IsOnDevice, Is.False);

        var replacement = Kit(new Shape(4, 5), 0.25f);
        session.SetValue(w1, replacement);
        Assert.That(session.ReadVariable(w1.Node).IsOnDevice, Is.True);
        Assert.That(session.GetValue(w1).ToDoubles(), Is.EqualTo(replacement.ToDoubles()));
    }

    [RequiresKernelEmulator]
    [Test]
    public void InferenceFromSeveralThreadsOnTheDevice()
    {
        var (g, x, labels, loss, _, _) = SmallClassifier();
        using var session = new Session(g, CudaBackend.Emulated);
        session.Run(g.GlobalVariablesInitializer());
        var batches = Enumerable.Range(0, 24).Select(i => Batch(x, labels, 3 + i % 5, 100 + i)).ToArray();
        var expected = batches.Select(feed => (double)session.Run(loss, feed)).ToArray();
        var actual = new double[batches.Length];
        Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = (double)session.Run(loss, batches[i]));
        Assert.That(actual, Is.EqualTo(expected));
    }

    [RequiresKernelEmulator]
    [Test]
    public void ANodeWithoutAKernelRunsOnTheCpuAndSaysSoOnce()
    {
        // The kernels are Float32; a Float64 graph has nothing the GPU backend can run.
        var g = new Graph();
        var a = g.Placeholder(DType.Float64, new Shape(3), "a");
        var y = g.Mul(a, g.Constant(2.0, Shape.Scalar, DType.Float64), "twice");
        var log = new List<string>();
        using var session = new Session(g, CudaBackend.Emulated) { Log = log.Add };
        for (int run = 0; run < 3; run++)
        {
            var result = session.Run(y, new() { [a] = new double[] { 1, 2, run } });
            Assert.That(result.ToDoubles(), Is.EqualTo(new double[] { 2, 4, 2 * run }));
        }
        Assert.That(log, Has.Count.EqualTo(1), string.Join("\n", log));
        Assert.That(log[0], Does.StartWith("GraphDL: Mul 'twice' runs on the CPU: CUDA (host emulation) has no kernel for Binary"));
    }

    [RequiresKernelEmulator]
    [Test]
    public void AnInt32GlobalStepAdvancesOnTheDevice()
    {
        var g = new Graph();
        var w = g.Variable(Tensor.Scalar(2f), "w");
        var globalStep = g.Variable(Tensor.Scalar(0), "global_step", trainable: false);
        var rate = g.ExponentialDecay(0.5, globalStep, decaySteps: 1, decayRate: 0.5);
        var train = new GradientDescentOptimizer(rate).Minimize(0.5f * g.Square(w), globalStep: globalStep);
        var log = new List<string>();
        using var session = new Session(g, CudaBackend.Emulated) { Log = log.Add };
        session.Run(g.GlobalVariablesInitializer());
        for (int step = 0; step < 3; step++) session.Run(train);
        Assert.That(session.GetValue(globalStep).Scalar<int>(), Is.EqualTo(3));
        // dL/dw = w and the rate halves each step: w = 2 · (1 - 0.5) · (1 - 0.25) · (1 - 0.125).
        Assert.That(session.GetValue(w).Scalar<float>(), Is.EqualTo(2 * 0.5f * 0.75f * 0.875f).Within(1e-6));
        Assert.That(log, Is.Empty, "the whole step, counter included, has kernels");
    }

    /// <summary>
    /// An in-place update has no output for the plan's host fallback to copy back, so a dtype the device has no
    /// kernel for (Float64) fails, as an optimizer's update does, with an error naming the node and the kernel.
    /// </summary>
    [RequiresKernelEmulator]
    [Test]
    public void AnInPlaceUpdateWithoutAKernelFailsNamingTheNode()
    {
        var g = new Graph();
        var total = g.Variable(Tensor.Scalar(1.0), "total", trainable: false);
        var add = g.AssignAdd(total, g.Constant(0.25, Shape.Scalar, DType.Float64), "accumulate");
        using var session = new Session(g, CudaBackend.Emulated);
        session.Run(g.GlobalVariablesInitializer());
        var e = Assert.Throws<RunException>(() => session.Run(add))!;
        Assert.That(e.Message, Does.Contain("AssignAdd 'accumulate'").And.Contain("Binary"));
        Assert.That(session.GetValue(total).Scalar<double>(), Is.EqualTo(1.0), "the variable is left as it was");
    }

    [RequiresKernelEmulator]
    [Test]
    public void RandomDrawsAreTheSameOnEveryBackend()
    {
        Tensor Draw(IBackend backend)
        {
            var g = new Graph { Seed = 3 };
            var r = g.Variable(Init.RandomNormal([2, 7]), "r");
            using var session = new Session(g, backend);
            session.Run(g.GlobalVariablesInitializer());
            return session.GetValue(r);
        }
        Assert.That(Draw(CudaBackend.Emulated).ToDoubles(), Is.EqualTo(Draw(GraphDL.Backends.Cpu.CpuBackend.Instance).ToDoubles()));
    }

    [RequiresKernelEmulator]
    [Test]
    public void AFedValueCanBeFetchedBack()
    {
        var g = new Graph();
        var a = g.Placeholder(DType.Float32, new Shape(2), "a");
        using var session = new Session(g, CudaBackend.Emulated);
        var r = session.Run([a, g.Neg(a)], new() { [a] = new float[] { 1.5f, -2 } });
        Assert.That(r[0].ToDoubles(), Is.EqualTo(new double[] { 1.5, -2 }));
        Assert.That(r[1].ToDoubles(), Is.EqualTo(new double[] { -1.5, 2 }));
    }

    [Test]
    public void AskingForAMissingGpuSaysWhy()
    {
        Assume.That(CudaBackend.Gpu, Is.Null, "this machine has a GPU");
        var e = Assert.Throws<InvalidOperationException>(() => Devices.Get("gpu"));
        Assert.That(e!.Message, Does.StartWith("No GPU to run on: ").And.Contains(CudaBackend.GpuUnavailableReason!));
        Assert.That(Assert.Throws<ArgumentException>(() => Devices.Get("tpu"))!.Message, Is.EqualTo("Unknown device 'tpu'; known: cpu, gpu, emulated."));
    }

    private static Tensor Kit(Shape shape, float value) => Tensor.Filled(shape, DType.Float32, value);
}
