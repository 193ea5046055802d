using GraphDL.Backends.Cuda.Driver;
using GraphDL.Backends.Cuda.Emulation;

namespace GraphDL.Backends.Cuda;

/// <summary>
/// The GPU backend: every primitive is a launch of a handwritten kernel from <c>Kernels/*.cu</c>. It runs on
/// an <see cref="IKernelDevice"/>: the machine's NVIDIA GPU through the CUDA driver (<see cref="Gpu"/>) or the
/// host emulation (<see cref="Emulated"/>), which runs the same kernels on CPU threads so that they can be
/// checked on machines without a GPU. Tensors it computes live in device memory; a primitive without a
/// kernel throws <see cref="MissingKernelException"/> before touching anything, and the session runs that
/// node on the CPU instead. Its methods are split by family over the CudaBackend.*.cs files.
/// </summary>
public sealed partial class CudaBackend : IBackend
{
    private static readonly Lazy<(CudaBackend? Backend, string? WhyNot)> s_gpu = new(() =>
    {
        var device = CudaDevice.TryOpen(out string? whyNot);
        return (device is null ? null : new CudaBackend(device), whyNot);
    });

    private static readonly Lazy<CudaBackend> s_emulated = new(() => new CudaBackend(EmulatedDevice.Open()));

    internal CudaBackend(IKernelDevice device) => Device = device;

    /// <summary>The backend on this machine's first NVIDIA GPU, or null (see <see cref="GpuUnavailableReason"/>).</summary>
    public static CudaBackend? Gpu => s_gpu.Value.Backend;

    /// <summary>Why <see cref="Gpu"/> is null ("no CUDA driver: libcuda.so.1 could not be loaded"), else null.</summary>
    public static string? GpuUnavailableReason => s_gpu.Value.WhyNot;

    /// <summary>The backend on the host emulation of the kernels (built by the build, Engine/NativeDependencies.targets); an error says how to build it.</summary>
    public static CudaBackend Emulated => s_emulated.Value;

    /// <inheritdoc/>
    public string Name => $"CUDA ({Device.Name})";

    internal IKernelDevice Device { get; }

    /// <summary>Threads per block for one-thread-per-element kernels.</summary>
    internal const int ThreadsPerBlock = 256;

    /// <summary>Blocks of <paramref name="threads"/> that cover <paramref name="count"/> elements, one per thread.</summary>
    internal static Dim3 BlocksFor(long count, int threads = ThreadsPerBlock) =>
        new((uint)Math.Max(1, (count + threads - 1) / threads));

    /// <inheritdoc/>
    public Tensor Allocate(Shape shape, DType dtype) => Tensor.OnDevice(shape, dtype, new DeviceMemory(Device, (long)shape.Size * dtype.ByteSize()));

    /// <summary>Tensors live in device memory: a session copies feeds in and fetches out.</summary>
    public bool UsesDeviceMemory => true;

    /// <summary>Nodes without a kernel here (and random draws) run on the CPU between copies.</summary>
    public IBackend Host => Devices.Cpu;

    /// <summary>The device address of a tensor's elements, or an error when the tensor is on the host.</summary>
    internal DevicePtr Ptr(Tensor t) => t.DeviceStorage is DeviceMemory memory && memory.Device == Device
        ? memory.Pointer
        : throw new InvalidOperationException(t.IsOnDevice
            ? $"A {t.DType} tensor of shape {t.Shape} belongs to another device than {Name}."
            : $"A {t.DType} tensor of shape {t.Shape} on the host was handed to {Name}; the session moves values to the device first.");

    /// <summary>Throws <see cref="MissingKernelException"/> unless every tensor is Float32 (the dtype the float kernels are written for).</summary>
    internal static void RequireFloat32(string primitive, params ReadOnlySpan<Tensor?> tensors)
    {
        foreach (var t in tensors)
            if (t is not null && t.DType != DType.Float32) throw new MissingKernelException(primitive, $"its kernels are Float32, got {t.DType}");
    }

    /// <inheritdoc/>
    public void Copy(Tensor x, Tensor y)
    {
        if (x.DType != y.DType || x.Size != y.Size)
            throw new ShapeException($"Cannot copy a {x.DType} tensor of shape {x.Shape} into a {y.DType} tensor of shape {y.Shape}.");
        Device.CopyOnDevice(Ptr(y), Ptr(x), (long)x.Size * x.DType.ByteSize());
    }
}
