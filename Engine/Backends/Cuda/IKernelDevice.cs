namespace GraphDL.Backends.Cuda;

/// <summary>A device address: a CUdeviceptr on a real GPU, a host address under the emulator. Kernels take it as a pointer.</summary>
public readonly record struct DevicePtr(ulong Address)
{
    /// <summary>The null device address, what an empty allocation gets.</summary>
    public static readonly DevicePtr Null = new(0);

    /// <summary>The address <paramref name="bytes"/> further on, as pointer arithmetic on a CUdeviceptr.</summary>
    public DevicePtr Offset(long bytes) => new(Address + (ulong)bytes);

    /// <summary>The address in hexadecimal, "0x7f3a00000000".</summary>
    public override string ToString() => $"0x{Address:x}";
}

/// <summary>A grid or block size, as CUDA's dim3.</summary>
public readonly record struct Dim3(uint X, uint Y = 1, uint Z = 1)
{
    /// <summary>The number of blocks (or threads) it describes: X * Y * Z.</summary>
    public ulong Count => (ulong)X * Y * Z;

    /// <summary>"256" for a one-dimensional size, "(16, 16, 1)" otherwise.</summary>
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

    /// <summary>Returns memory from <see cref="Allocate"/>; the null pointer is ignored.</summary>
    void Free(DevicePtr pointer);

    /// <summary>Copies host bytes into device memory at <paramref name="destination"/> (cuMemcpyHtoD).</summary>
    void CopyToDevice(DevicePtr destination, ReadOnlySpan<byte> source);

    /// <summary>Copies device memory at <paramref name="source"/> into host bytes (cuMemcpyDtoH), as many as <paramref name="destination"/> holds.</summary>
    void CopyToHost(Span<byte> destination, DevicePtr source);

    /// <summary>Copies <paramref name="bytes"/> from one device address to another without a trip through the host (cuMemcpyDtoD).</summary>
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
