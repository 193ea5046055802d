using GraphDL.Backends.Cpu;
using GraphDL.Tests.Gpu;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>A lesson's --device flag: the same figures on the GPU backend (here its emulation) as on the CPU.</summary>
public class DeviceFlagTests
{
    [RequiresKernelEmulator]
    [Test]
    public void IrisOnTheEmulatedGpuPrintsTheCpusFigures()
    {
        // A short run: emulated kernels are slow, and the figures of the first few hundred steps already differ
        // whenever a kernel does.
        var cpu = LessonHarness.RunAndExpectPass("Iris", "--steps", "300", "--device", "cpu");
        var emulated = LessonHarness.RunAndExpectPass("Iris", "--steps", "300", "--device", "emulated");
        Assert.That(Session.DefaultBackend, Is.SameAs(CpuBackend.Instance), "the lesson's device ends with it");
        var measured = cpu.Figures.Where(f => f.Ours is not null).ToList();
        Assert.That(measured, Is.Not.Empty);
        foreach (var figure in measured)
            Assert.That(emulated.Figure(figure.Name).Ours, Is.EqualTo(figure.Ours).Within(1e-4), figure.Name);
    }

    [Test]
    public void AnUnknownDeviceIsAUsageError()
    {
        var e = Assert.Throws<GraphDL.Lessons.LessonUsageException>(() => GraphDL.Lessons.LessonRunner.Run("Iris", LessonHarness.OutRoot, "--device", "tpu"));
        Assert.That(e!.Message, Does.StartWith("Iris: --device tpu: Unknown device 'tpu'; known: cpu, gpu, emulated."));
    }
}
