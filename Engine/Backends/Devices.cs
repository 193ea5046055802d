using GraphDL.Backends.Cpu;
using GraphDL.Backends.Cuda;

namespace GraphDL;

/// <summary>The backends by the names a command line uses: <c>--device cpu</c>, <c>gpu</c> or <c>emulated</c>.</summary>
public static class Devices
{
    public static IReadOnlyList<string> Names { get; } = ["cpu", "gpu", "emulated"];

    /// <summary>The backend named <paramref name="name"/>, or an error saying why it cannot be had (no GPU, emulator not built).</summary>
    public static IBackend Get(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => CpuBackend.Instance,
        "gpu" or "cuda" => CudaBackend.Gpu ?? throw new InvalidOperationException($"No GPU to run on: {CudaBackend.GpuUnavailableReason}"),
        "emulated" => CudaBackend.Emulated,
        _ => throw new ArgumentException($"Unknown device '{name}'; known: {string.Join(", ", Names)}."),
    };
}
