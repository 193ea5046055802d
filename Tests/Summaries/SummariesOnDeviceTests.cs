using GraphDL.Backends.Cuda;
using GraphDL.Summaries;
using GraphDL.Tests.Gpu;
using NUnit.Framework;

namespace GraphDL.Tests.Summaries;

/// <summary>Summaries in a session on the emulated GPU: fetched with the training step, the values the CPU gives, and the profile's devices.</summary>
public class SummariesOnDeviceTests
{
    private static (double[] Losses, long[] WCounts, RunProfile Profile, Node MatMul, Node LossSummary) Train(IBackend backend)
    {
        var g = new Graph();
        var x = g.Constant(new float[,] { { 1, 2 }, { 3, 4 }, { -1, 0.5f } }, "x");
        var y = g.Constant(new float[,] { { 1 }, { 0 }, { 2 } }, "y");
        var w = g.Variable(new float[,] { { 0.5f }, { -0.25f } }, "W");
        var product = g.MatMul(x, w);
        var loss = g.ReduceMean(g.Square(product - y));
        var lossSummary = Summary.Scalar("loss", loss);
        Summary.Histogram("W", w, bins: 4);
        var train = new GradientDescentOptimizer(0.05).Minimize(loss);
        var merged = Summary.MergeAll(g);
        using var session = new Session(g, backend) { Profile = new RunProfile() };
        session.Run(g.GlobalVariablesInitializer());
        var losses = new List<double>();
        var counts = new List<long>();
        for (int step = 0; step < 3; step++)
        {
            var (summary, _) = session.Run(merged, [train]);
            losses.Add(((ScalarValue)summary["loss"]).Value);
            counts.AddRange(((HistogramValue)summary["W"]).Histogram.Counts);
        }
        return ([.. losses], [.. counts], session.Profile, product.Node, lossSummary.Node);
    }

    [RequiresKernelEmulator]
    [Test]
    public void TheEmulatedGpuLogsWhatTheCpuLogsAndSaysWhereNodesRan()
    {
        var cpu = Train(GraphDL.Backends.Cpu.CpuBackend.Instance);
        var gpu = Train(CudaBackend.Emulated);
        Assert.That(gpu.Losses, Is.EqualTo(cpu.Losses).Within(1e-5));
        Assert.That(gpu.WCounts, Is.EqualTo(cpu.WCounts));

        var entries = gpu.Profile.Entries.ToDictionary(e => e.Node);
        Assert.That(entries[gpu.MatMul].RanOnDevice, Is.True, "the MatMul ran on the device");
        Assert.That(entries[gpu.MatMul].Device, Is.EqualTo(CudaBackend.Emulated.Name));
        Assert.That(entries[gpu.LossSummary].Calls, Is.EqualTo(3), "the summary ran with every step, with no kernel of its own");
        Assert.That(cpu.Profile.Entries.All(e => !e.RanOnDevice && e.Device == "CPU"));
    }
}
