using System.Text;
using System.Text.RegularExpressions;
using GraphDL.Backends.Cuda;
using GraphDL.Backends.Cuda.Driver;
using GraphDL.Backends.Cuda.Emulation;
using NUnit.Framework;

namespace GraphDL.Tests.Gpu;

/// <summary>
/// The kernels through NVIDIA's own runtime compiler, without a GPU: NVRTC 11.8, which scripts/fetch-nvrtc.sh puts
/// in a cache, compiles the embedded source through the engine's binding for an H100 (sm_90). This is the
/// compiler a GPU machine runs, so what it rejects, and the SGEMM kernels' register spills, show up here.
/// </summary>
[NonParallelizable]
public class NvrtcCompileTests
{
    private static readonly Lazy<(Nvrtc? Nvrtc, string? WhyNot)> s_nvrtc = new(() =>
    {
        string path = FetchedNvrtc.LibraryPath;
        if (!OperatingSystem.IsLinux() || !File.Exists(path)) return (null, $"no {path} (bash scripts/fetch-nvrtc.sh fetches it)");
        var nvrtc = Nvrtc.TryLoadFile(path, out string? whyNot);
        return (nvrtc, whyNot);
    });

    private static Nvrtc Compiler => s_nvrtc.Value.Nvrtc ?? Ignore<Nvrtc>($"NVRTC not available: {s_nvrtc.Value.WhyNot}");

    private static T Ignore<T>(string why)
    {
        Assert.Ignore(why);
        throw new InvalidOperationException();   // not reached
    }

    [Test]
    public void TheKernelsCompileToCubinForTheH100WithoutSpillsInTheSgemm()
    {
        var cubin = Compiler.Compile(KernelSources.Unity(), "graphdl.cu", new NvrtcTarget("sm_90", Cubin: true),
            ["--std=c++17", "--ptxas-options=-v"], out string log);
        Assert.That(cubin, Has.Length.GreaterThan(100_000));

        // ptxas reports each kernel's properties, then its registers: "Function properties for sgemm_nn_f32 ...
        // N bytes spill stores, M bytes spill loads ... Used R registers".
        var spills = Regex.Matches(log, @"Function properties for (\w+)\s+.*?(\d+) bytes spill stores, (\d+) bytes spill loads", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value) + int.Parse(m.Groups[3].Value));
        TestContext.Out.WriteLine(string.Join("\n", spills.Where(s => s.Value > 0).Select(s => $"{s.Key}: {s.Value} bytes spilled")));
        var gemms = spills.Keys.Where(k => k.StartsWith("sgemm_", StringComparison.Ordinal)).ToList();
        Assert.That(gemms, Has.Count.GreaterThanOrEqualTo(8), log);
        Assert.That(gemms.Where(k => spills[k] > 0), Is.Empty, "the product kernels keep their 8x8 accumulators in registers");
    }

    [RequiresKernelEmulator]
    [Test]
    public void ThePtxHoldsEveryKernelTheEmulatorRegisters()
    {
        var ptx = Compiler.Compile(KernelSources.Unity(), "graphdl.cu", new NvrtcTarget("compute_90", Cubin: false), ["--std=c++17"], out _);
        var entries = Regex.Matches(Encoding.ASCII.GetString(ptx), @"\.entry (\w+)\(").Select(m => m.Groups[1].Value).ToHashSet();
        var emulated = ((EmulatedDevice)CudaBackend.Emulated.Device).Kernels.Where(k => !k.StartsWith("emu_test_", StringComparison.Ordinal)).ToHashSet();
        Assert.That(entries, Is.EquivalentTo(emulated), "both compilers see the same kernels");
    }

    [Test]
    public void ACompileErrorCarriesNvrtcsLog()
    {
        var e = Assert.Throws<CudaException>(() => Compiler.Compile("extern \"C\" __global__ void broken(float* y) { y[0] = undefined_name; }",
            "broken.cu", new NvrtcTarget("compute_90", Cubin: false), [], out _));
        Assert.That(e!.Message, Does.Contain("NVRTC_ERROR_COMPILATION").And.Contain("undefined_name"));
    }
}
