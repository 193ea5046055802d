using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Text;
using GraphDL.Backends.Cpu.Blas;
using GraphDL.Backends.Cuda;
using GraphDL.Backends.Cuda.Driver;
using GraphDL.Backends.Cuda.Emulation;
using GraphDL.Data;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace GraphDL.Diagnostics;

/// <summary>One thing GraphDL found out about the machine: what was looked at and what was found.</summary>
public sealed record MachineFact(string Topic, string Finding);

/// <summary>
/// What GraphDL finds on this machine, asked of the same code that chooses at run time: the runtime and the CPU,
/// the BLAS the CPU backend runs on and the libraries it passed over, the GPU or why there is none, NVRTC, the
/// kernel emulator, and the caches under <c>~/.graphdl</c> with the variables that move them. It lives in the
/// engine, beside what it reports, so that any program (Tour's <c>--info</c>, a user's own) can print it, and so
/// that it cannot drift from how the engine really looks for things.
/// </summary>
public static class MachineReport
{
    /// <summary>
    /// Looks at everything in turn. Asking loads what a run would load (the BLAS, the CUDA driver, NVRTC, the
    /// emulator library) but computes nothing; a question that fails is reported as its own finding.
    /// </summary>
    public static IReadOnlyList<MachineFact> Gather() =>
    [
        Fact(".NET", () => $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})"),
        Fact("OS", () => $"{RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}"),
        Fact("CPU", () => $"{CpuName()}, {Environment.ProcessorCount} logical cores"),
        Fact("Instruction sets", InstructionSets),
        Fact("BLAS in use", () => BlasProvider.Description),
        Fact("BLAS tried", BlasTried),
        Fact("BLAS cache", BlasCacheContents),
        Fact("GPU", Gpu),
        Fact("NVRTC", NvrtcForTheGpu),
        Fact("NVRTC 11.8 (checks)", NvrtcForCompileChecks),
        Fact("Kernel emulator", Emulator),
        Fact("Kernel cache", KernelCache),
        Fact("Data cache", DataCache),
        Fact("MNIST", MnistCache),
    ];

    /// <summary>The facts as two aligned columns, one fact per line.</summary>
    public static string Format(IReadOnlyList<MachineFact> facts)
    {
        int width = facts.Max(f => f.Topic.Length) + 2;
        var text = new StringBuilder();
        foreach (var fact in facts) text.Append(fact.Topic.PadRight(width)).AppendLine(fact.Finding);
        return text.ToString();
    }

    // A report is read when something is wrong, so one question that throws must not hide the answers to the others.
    private static MachineFact Fact(string topic, Func<string> find)
    {
        try
        {
            return new MachineFact(topic, find());
        }
        catch (Exception e)
        {
            return new MachineFact(topic, $"could not tell: {e.GetType().Name}: {e.Message}");
        }
    }

    private static string CpuName()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo)) return $"{RuntimeInformation.ProcessArchitecture} (no {cpuInfo} to name it)";
        string? model = File.ReadLines(cpuInfo)
            .Select(line => line.Split(':', 2))
            .FirstOrDefault(pair => pair.Length == 2 && pair[0].Trim() == "model name")?[1].Trim();
        return model ?? $"{RuntimeInformation.ProcessArchitecture} ({cpuInfo} names no model)";
    }

    // What decides the speed of the CPU kernels: TensorPrimitives' vector width, and the OpenBLAS kernels that
    // NativeBlas picks from these when the CPU's model name is too generic for OpenBLAS to pick well itself.
    private static string InstructionSets()
    {
        string sets = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => string.Join(", ",
                new[] { ("AVX2", Avx2.IsSupported), ("FMA", Fma.IsSupported), ("AVX-512F", Avx512F.IsSupported) }
                    .Select(s => $"{s.Item1} {(s.Item2 ? "yes" : "no")}")),
            Architecture.Arm64 => $"AdvSIMD {(AdvSimd.IsSupported ? "yes" : "no")}",
            var other => $"none checked on {other}",
        };
        return Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is { Length: > 0 } coreType
            ? $"{sets}; OPENBLAS_CORETYPE={coreType}"
            : sets;
    }

    private static string BlasTried()
    {
        BlasProvider.EnsureChosen();
        if (LinearAlgebraControl.Provider is not CblasLinearAlgebraProvider && BlasProvider.Kind == BlasKind.Native)
            return "none: MathNet's own MKL provider came first";
        var passedOver = BlasProvider.Tried.Where(attempt => attempt.PassedOver is not null).ToList();
        if (passedOver.Count == 0) return BlasProvider.Kind == BlasKind.Native ? "none: the first candidate loaded" : "none";
        // "libmkl_rt.so.2, libmkl_rt.so: not found" and its like, grouped by why, in the order they were tried.
        return string.Join("; ", passedOver
            .GroupBy(attempt => attempt.PassedOver!, attempt => attempt.Library)
            .Select(group => $"{string.Join(", ", group)}: {group.Key}"));
    }

    private static string BlasCacheContents()
    {
        if (!BlasCache.AppliesHere) return $"none: the build fetches MKL and OpenBLAS on Linux x86-64 only ({RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture})";
        var found = new[] { (BlasCache.MklFolder, "libmkl_rt.so"), (BlasCache.OpenBlasFolder, "libopenblas.so.0") }
            .Select(library => File.Exists(BlasCache.PathOf(library.Item1, library.Item2)) ? library.Item1 : $"{library.Item1} not fetched");
        return $"{BlasCache.Root} ({string.Join(", ", found)}; bash scripts/fetch-blas.sh fills it, {MovedBy(BlasCache.Variable)})";
    }

    private static string Gpu()
    {
        if (CudaBackend.Gpu?.Device is not CudaDevice device) return $"none: {CudaBackend.GpuUnavailableReason}";
        var (_, total) = device.MemoryInfo();
        return $"{device.Name}, {total / (1024.0 * 1024 * 1024):F1} GiB, driver for CUDA {device.DriverVersion}";
    }

    private static string NvrtcForTheGpu()
    {
        if (CudaBackend.Gpu?.Device is CudaDevice device)
            return $"{device.NvrtcLibrary} (NVRTC {device.NvrtcVersion}), compiling {device.Target}";
        // Without a GPU nothing needs NVRTC; look anyway, the way a GPU run would, to tell whether it would be found.
        var nvrtc = Nvrtc.TryLoad(driverVersion: 0, out string? whyNot);
        return nvrtc is null ? $"not found: {whyNot}" : $"{nvrtc.Library} (NVRTC {nvrtc.Version}); unused without a GPU";
    }

    private static string NvrtcForCompileChecks() =>
        File.Exists(FetchedNvrtc.LibraryPath)
            ? $"{FetchedNvrtc.LibraryPath} (the tests compile the kernels with it)"
            : $"not fetched: no {FetchedNvrtc.LibraryPath} (bash scripts/fetch-nvrtc.sh; {FetchedNvrtc.DirectoryVariable} moves it)";

    private static string Emulator()
    {
        try
        {
            var device = (EmulatedDevice)CudaBackend.Emulated.Device;
            return $"{device.LibraryPath} ({device.Kernels.Count} kernels)";
        }
        catch (InvalidOperationException e)
        {
            return $"not available: {e.Message}";
        }
    }

    private static string KernelCache()
    {
        string? directory = KernelImageCache.Directory;
        if (directory is null) return $"off ({KernelImageCache.DirectoryVariable}=off)";
        string images = Directory.Exists(directory) ? $"{Directory.GetFiles(directory).Length} compiled images" : "not created yet";
        return $"{directory} ({images}; {MovedBy(KernelImageCache.DirectoryVariable)})";
    }

    private static string DataCache() =>
        $"{Path.GetDirectoryName(Mnist.DefaultDataDir)} ({MovedBy(Mnist.DataDirVariable)})";

    private static string MnistCache()
    {
        string directory = Mnist.DefaultDataDir;
        var missing = new MnistFetcher(directory).NotInCache(Mnist.Files);
        return missing.Count == 0
            ? $"cached in {directory} (all {Mnist.Files.Count} files; their SHA-256 is checked when they are loaded)"
            : $"not cached: {string.Join(", ", missing.Select(f => f.Name))} missing from {directory}; the MNIST lessons fetch them on first use";
    }

    private static string MovedBy(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } ? $"set by {variable}" : $"{variable} moves it";
}
