namespace GraphDL.Backends.Cuda.Emulation;

// PLACEHOLDER until the emulator lands.
internal sealed class EmulatedDevice
{
    public static IKernelDevice Open() => throw new InvalidOperationException("The kernel emulator is not written yet.");
}
