using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace GraphDL.Tests.Gpu;

/// <summary>
/// Marks a test that runs kernels on the host emulation, which only Linux has: it is built with g++ into a .so
/// (Kernels/emu) and leans on glibc and the GNU linker. Elsewhere such a test is skipped, saying so. On Linux it
/// runs, and a missing emulator fails it: the build makes the emulator whenever g++ and cmake are installed, so a
/// missing one there is a fault to see, not a condition to skip.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresKernelEmulatorAttribute : NUnitAttribute, IApplyToTest
{
    public const string Reason = "The kernel emulator (Kernels/emu) is built with g++ and runs on Linux only.";

    public void ApplyToTest(Test test)
    {
        if (OperatingSystem.IsLinux() || test.RunState == RunState.NotRunnable) return;
        test.RunState = RunState.Ignored;
        test.Properties.Set(PropertyNames.SkipReason, Reason);
    }

    /// <summary>For a test whose cases run on several devices: skips the emulated case where there is no emulator.</summary>
    public static void SkipUnlessAvailable(string device)
    {
        if (device == "emulated" && !OperatingSystem.IsLinux()) Assert.Ignore(Reason);
    }
}
