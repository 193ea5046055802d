namespace GraphDL.Backends.Cuda;

/// <summary>A device address: a CUdeviceptr on a real GPU, a host address under the emulator. Kernels take it as a pointer.</summary>
public readonly record struct DevicePtr(ulong Address)
{
    public static readonly DevicePtr Null = new(0);

    public DevicePtr Offset(long bytes) => new(Address + (ulong)bytes);

    public override string ToString() => $"0x{Address:x}";
}

/// <summary>A grid or block size, as CUDA's dim3.</summary>
public readonly record struct Dim3(uint X, uint Y = 1, uint Z = 1)
{
    public ulong Count => (ulong)X * Y * Z;

    public override string ToString() => Y == 1 && Z == 1 ? $"{X}" : $"({X}, {Y}, {Z})";
}

/// <summary>
/// Where the kernels in <c>Kernels/*.cu</c> run: the real GPU through the CUDA driver (<see cref="Driver.CudaDevice"/>)
/// or the host emulation of <c>Kernels/emu/</c> (<see cref="Emulation.EmulatedDevice"/>). <see cref="CudaBackend"/> is
/// written once against this interface, so the emulator checks the same grid arithmetic and argument
/// marshalling the GPU gets.
/// </summary>
public interface IKernelDevice : IDisposable
{
    /// <summary>What runs the kernels, for messages: "NVIDIA H100 80GB HBM3 (sm_90)", "host emulation".</summary>
    string Name { get; }

    /// <summary>Allocates <paramref name="bytes"/> of device memory (contents undefined).</summary>
    DevicePtr Allocate(long bytes);

    void Free(DevicePtr pointer);

    void CopyToDevice(DevicePtr destination, ReadOnlySpan<byte> source);

    void CopyToHost(Span<byte> destination, DevicePtr source);

    void CopyOnDevice(DevicePtr destination, DevicePtr source, long bytes);

    /// <summary>
    /// Launches the kernel named <paramref name="kernel"/> (its <c>extern "C"</c> name), as cuLaunchKernel does:
    /// <paramref name="args"/> points at one pointer per kernel parameter, each pointing at the argument's value.
    /// Kernels use static shared memory only. Launches run in order; copies to the host wait for them.
    /// </summary>
    unsafe void Launch(string kernel, Dim3 grid, Dim3 block, void** args, int argCount);

    /// <summary>Waits until every launched kernel has finished.</summary>
    void Synchronize();
}
