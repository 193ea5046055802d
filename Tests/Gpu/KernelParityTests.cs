using GraphDL.Backends.Cuda;
using GraphDL.GpuCheck;
using NUnit.Framework;

namespace GraphDL.Tests.Gpu;

/// <summary>
/// Every CUDA primitive against the CPU backend on odd, non-tile-multiple shapes: through the host emulation
/// always, and on a real GPU where there is one (category Gpu).
/// </summary>
public class KernelParityTests
{
    private static IEnumerable<TestCaseData> Cases() =>
        ParityCases.All.Select(c => new TestCaseData(c).SetName($"{c.Family}: {c.Name}"));

    private static IEnumerable<TestCaseData> GpuCases() => CudaBackend.Gpu is null
        ? [new TestCaseData(null).SetName("no GPU").Ignore($"No GPU: {CudaBackend.GpuUnavailableReason}")]
        : Cases();

    [RequiresKernelEmulator]
    [TestCaseSource(nameof(Cases))]
    public void Emulated(ParityCase parity) =>
        Assert.That(parity.Mismatch(CudaBackend.Emulated), Is.Null, parity.ToString());

    [TestCaseSource(nameof(GpuCases)), Category("Gpu")]
    public void OnGpu(ParityCase parity) =>
        Assert.That(parity.Mismatch(CudaBackend.Gpu!), Is.Null, parity.ToString());
}
