using GraphDL.Backends.Cpu;
using GraphDL.Backends.Cuda;

namespace GraphDL;

/// <summary>The backends by the names a command line uses: <c>--device cpu</c>, <c>gpu</c> or <c>emulated</c>.</summary>
public static class Devices
{
    /// <summary>The names <see cref="Get"/> knows, in the order a command line's help lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cpu", "gpu", "emulated"];

    /// <summary>The CPU backend: where sessions run unless told otherwise, and where device backends send what they cannot run.</summary>
    public static IBackend Cpu => CpuBackend.Instance;

    /// <summary>The backend named <paramref name="name"/>, or an error saying why it cannot be had (no GPU, emulator not built).</summary>
    public static IBackend Get(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => Cpu,
        "gpu" or "cuda" => CudaBackend.Gpu ?? throw new InvalidOperationException($"No GPU to run on: {CudaBackend.GpuUnavailableReason}"),
        "emulated" => CudaBackend.Emulated,
        _ => throw new ArgumentException($"Unknown device '{name}'; known: {string.Join(", ", Names)}."),
    };
}
