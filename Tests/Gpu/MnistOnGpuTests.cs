using GraphDL.Backends.Cuda;
using GraphDL.Data;
using GraphDL.GpuCheck;
using NUnit.Framework;

namespace GraphDL.Tests.Gpu;

/// <summary>The MNIST single-layer training run on the GPU backend reaches the CPU's accuracy from the same start and batches.</summary>
public class MnistOnGpuTests
{
    private static readonly Lazy<MnistData> s_mnist = new(() => Mnist.Load(seed: 1));

    [RequiresKernelEmulator]
    [Test]
    public void AShortRunThroughTheEmulationMatchesTheCpu()
    {
        // Emulated kernels run a few hundred times slower than native ones: 30 steps and 500 test images keep it short.
        var cpu = MnistCheck.Train(GraphDL.Backends.Cpu.CpuBackend.Instance, s_mnist.Value, steps: 30, testRows: 500);
        var emulated = MnistCheck.Train(CudaBackend.Emulated, s_mnist.Value, steps: 30, testRows: 500);
        Assert.That(emulated.FinalLoss, Is.EqualTo(cpu.FinalLoss).Within(1e-4));
        Assert.That(emulated.Accuracy, Is.EqualTo(cpu.Accuracy).Within(0.004), "at most 2 of 500 test images decided differently");
        Assert.That(cpu.Accuracy, Is.GreaterThan(0.8), "30 steps already learn something");
    }

    [Test, Category("Gpu")]
    public void TheFullRunOnTheGpuReachesTheCpuAccuracy()
    {
        if (CudaBackend.Gpu is not { } gpu)
        {
            Assert.Ignore($"No GPU: {CudaBackend.GpuUnavailableReason}");
            return;
        }
        var mismatch = MnistCheck.Mismatch(gpu, s_mnist.Value, steps: 1000, testRows: null, tolerance: 0.005,
            report: o => TestContext.Out.WriteLine($"{o.Backend}: accuracy {o.Accuracy:P2}, final loss {o.FinalLoss:F4}, {o.Time.TotalSeconds:F1} s"));
        Assert.That(mismatch, Is.Null);
    }
}
