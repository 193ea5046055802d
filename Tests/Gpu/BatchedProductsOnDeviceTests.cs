using GraphDL.Backends.Cpu;
using GraphDL.Backends.Cuda;
using NUnit.Framework;

namespace GraphDL.Tests.Gpu;

/// <summary>
/// Batched MatMul, Einsum and Conv1D as whole graphs with their gradients on the GPU backend (here through the host
/// emulation), against the CPU: the batched kernels, the broadcast sums of the gradients and the reshapes between
/// them, placed and run as a session runs them.
/// </summary>
public class BatchedProductsOnDeviceTests
{
    /// <summary>
    /// Attention over (batch 2, heads 3, 4 queries, 5 keys, depth 6): scores by Einsum, softmax, the weighted sum
    /// of the values by a batched MatMul, then one output weight shared by every head through a broadcast MatMul.
    /// </summary>
    private static Tensor[] Attention(IBackend backend)
    {
        var g = new Graph();
        var q = g.Placeholder(DType.Float32, new Shape(-1, 3, 4, 6), "q");
        var k = g.Placeholder(DType.Float32, new Shape(-1, 3, 5, 6), "k");
        var v = g.Placeholder(DType.Float32, new Shape(-1, 3, 5, 6), "v");
        var w = g.Constant(Random([6, 7], 4));
        var weights = g.Softmax(g.Einsum("bhqd,bhkd->bhqk", q, k));
        var output = g.MatMul(g.MatMul(weights, v), w);
        var loss = g.ReduceSum(g.Square(output));
        var grads = g.Gradients([loss], [q, k, v, w]);
        using var session = new Session(g, backend);
        var result = session.Run([output, grads[0]!.Value, grads[1]!.Value, grads[2]!.Value, grads[3]!.Value],
            new FeedDict { [q] = Random([2, 3, 4, 6], 1), [k] = Random([2, 3, 5, 6], 2), [v] = Random([2, 3, 5, 6], 3) });
        return [.. result.Select(t => t!.ToHost())];
    }

    private static Tensor[] Conv1D(IBackend backend)
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 9, 3), "x");
        var filter = g.Constant(Random([3, 3, 4], 6));
        var y = g.Conv1D(x, filter, 2, Padding.Same);
        var grads = g.Gradients([g.ReduceSum(g.Square(y))], [x, filter]);
        using var session = new Session(g, backend);
        var result = session.Run([y, grads[0]!.Value, grads[1]!.Value], new FeedDict { [x] = Random([2, 9, 3], 5) });
        return [.. result.Select(t => t!.ToHost())];
    }

    [RequiresKernelEmulator]
    [Test]
    public void AttentionAndItsGradientsMatchTheCpu() => AssertSame(Attention(CpuBackend.Instance), Attention(CudaBackend.Emulated));

    [RequiresKernelEmulator]
    [Test]
    public void Conv1DAndItsGradientsMatchTheCpu() => AssertSame(Conv1D(CpuBackend.Instance), Conv1D(CudaBackend.Emulated));

    [RequiresKernelEmulator]
    [Test]
    public void ASteadyStepThroughABatchedProductOnTheDeviceAllocatesNothing()
    {
        var g = new Graph { Seed = 3 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4, 3), "x");
        var w = g.Variable(Init.RandomNormal([3, 2], stddev: 0.5), "W");
        var train = new GradientDescentOptimizer(0.1).Minimize(g.ReduceMean(g.Square(g.MatMul(x, w))));
        using var session = new Session(g, CudaBackend.Emulated);
        session.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict { [x] = Random([5, 4, 3], 2) };
        Fetch[] step = [train];
        for (int i = 0; i < 3; i++) session.Run(step, feeds);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) session.Run(step, feeds);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static void AssertSame(Tensor[] cpu, Tensor[] device)
    {
        Assert.That(device, Has.Length.EqualTo(cpu.Length));
        for (int i = 0; i < cpu.Length; i++)
        {
            Assert.That(device[i].Shape, Is.EqualTo(cpu[i].Shape), $"result {i}");
            var expected = cpu[i].ToDoubles();
            var actual = device[i].ToDoubles();
            for (int j = 0; j < expected.Length; j++)
                Assert.That(actual[j], Is.EqualTo(expected[j]).Within(1e-5 * (1 + Math.Abs(expected[j]))), $"result {i}, element {j}");
        }
    }

    private static Tensor Random(int[] shape, int seed)
    {
        var rng = new Random(seed);
        var t = new Tensor(new Shape(shape));
        var span = t.Span<float>();
        for (int i = 0; i < span.Length; i++) span[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }
}
