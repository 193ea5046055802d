using System.Diagnostics;
using System.Runtime.InteropServices;
using GraphDL.Backends.Cuda;
using GraphDL.Backends.Cuda.Driver;
using NUnit.Framework;

namespace GraphDL.Tests.Gpu;

/// <summary>
/// The CUDA driver and NVRTC binding: what can be checked without a driver (opening fails politely, errors read
/// well, the compile target is chosen right, the candidates for NVRTC come in order), and, in category Gpu, copies
/// and kernel compilation on a real device.
/// </summary>
public class DriverBindingTests
{
    private static bool DriverLibraryLoads() =>
        CudaDriver.LibraryNames.Any(name => NativeLibrary.TryLoad(name, out _));

    [Test]
    public void WithoutADriverTryOpenReturnsNullAndNamesTheLibrary()
    {
        if (DriverLibraryLoads()) Assert.Ignore("This machine has a CUDA driver library.");
        CudaDevice? device = null;
        string? whyNot = null;
        Assert.DoesNotThrow(() => device = CudaDevice.TryOpen(out whyNot));
        Assert.That(device, Is.Null);
        Assert.That(whyNot, Does.StartWith("no CUDA driver"));
        if (OperatingSystem.IsLinux()) Assert.That(whyNot, Does.Contain("libcuda.so.1"));
        if (OperatingSystem.IsWindows()) Assert.That(whyNot, Does.Contain("nvcuda.dll"));
        Assert.That(whyNot, Does.Not.Contain('\n'), "the reason is one line");
    }

    [Test]
    public void TryOpenNeverThrowsAndEitherOpensANamedDeviceOrSaysWhyNot()
    {
        CudaDevice? device = null;
        string? whyNot = null;
        Assert.DoesNotThrow(() => device = CudaDevice.TryOpen(out whyNot));
        using (device)
        {
            if (device is null)
            {
                Assert.That(whyNot, Is.Not.Null.And.Not.Empty);
                Assert.That(whyNot, Does.Not.Contain('\n'), "the reason is one line");
                return;
            }
            Assert.That(whyNot, Is.Null);
            var (major, minor) = device.ComputeCapability;
            Assert.That(device.Name, Is.EqualTo($"{device.DeviceName} (sm_{major}{minor})"));
            Assert.That(device.DriverVersion.Major, Is.GreaterThanOrEqualTo(11));
        }
    }

    [Test]
    public void ADriverErrorNamesTheCallTheCodeAndTheError()
    {
        var e = CudaException.FromDriver("cuMemAlloc_v2", 2,
            code => code == 2 ? "CUDA_ERROR_OUT_OF_MEMORY" : null,
            code => code == 2 ? "out of memory" : null,
            "It asked for 1024 bytes.");
        Assert.That(e.Message, Is.EqualTo("cuMemAlloc_v2 failed with CUDA_ERROR_OUT_OF_MEMORY (2): out of memory. It asked for 1024 bytes."));
        Assert.That(e.Call, Is.EqualTo("cuMemAlloc_v2"));
        Assert.That(e.Code, Is.EqualTo(2));
        Assert.That(e.ErrorName, Is.EqualTo("CUDA_ERROR_OUT_OF_MEMORY"));
    }

    [Test]
    public void ADriverErrorTheDriverCannotNameStillCarriesItsCode()
    {
        var e = CudaException.FromDriver("cuInit", 12345, _ => null, _ => null);
        Assert.That(e.Message, Is.EqualTo("cuInit failed with an unknown CUresult (12345)."));
        Assert.That(e.ErrorName, Is.EqualTo("unknown"));
        Assert.That(e.Code, Is.EqualTo(12345));
    }

    [Test]
    public void AFailedCompilationCarriesNvrtcsLog()
    {
        const string log = "common.cuh(12): error: identifier \"blockIdy\" is undefined\n\n1 error detected in the compilation of \"graphdl_kernels.cu\".\n";
        var e = CudaException.FromNvrtc("nvrtcCompileProgram", 6, code => code == 6 ? "NVRTC_ERROR_COMPILATION" : null, log);
        Assert.That(e.Message, Does.StartWith("nvrtcCompileProgram failed with NVRTC_ERROR_COMPILATION (6)."));
        Assert.That(e.Message, Does.Contain("common.cuh(12): error: identifier \"blockIdy\" is undefined"));
        Assert.That(e.Message, Does.EndWith("1 error detected in the compilation of \"graphdl_kernels.cu\"."));
        Assert.That(e.ErrorName, Is.EqualTo("NVRTC_ERROR_COMPILATION"));
    }

    private static readonly int[] Supported = [75, 80, 86, 89, 90];

    [TestCase(90, "sm_90", true, TestName = "A listed architecture gets a CUBIN for itself")]
    [TestCase(75, "sm_75", true, TestName = "The lowest listed architecture gets a CUBIN")]
    [TestCase(100, "compute_90", false, TestName = "A newer device gets PTX for the highest listed architecture")]
    [TestCase(120, "compute_90", false, TestName = "A much newer device gets PTX for the highest listed architecture")]
    [TestCase(87, "compute_86", false, TestName = "An unlisted architecture between listed ones gets PTX for the one below")]
    public void TheCompileTargetFollowsWhatNvrtcSupports(int device, string architecture, bool cubin)
    {
        var target = Nvrtc.ChooseTarget(device, Supported);
        Assert.That(target, Is.EqualTo(new NvrtcTarget(architecture, cubin)));
        Assert.That(target!.Value.Option, Is.EqualTo($"--gpu-architecture={architecture}"));
    }

    [Test]
    public void ADeviceOlderThanEveryListedArchitectureHasNoTarget() =>
        Assert.That(Nvrtc.ChooseTarget(70, Supported), Is.Null);

    [Test]
    public void AnNvrtcThatListsNothingIsTrustedWithTheDevicesArchitecture() =>
        Assert.That(Nvrtc.ChooseTarget(90, []), Is.EqualTo(new NvrtcTarget("sm_90", true)));

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static IEnumerable<string> NoFiles(string directory, string pattern) => [];

    [Test]
    public void TheOverrideVariableIsTheOnlyNvrtcCandidate()
    {
        var candidates = Nvrtc.Candidates(Environment(("GRAPHDL_NVRTC", "/opt/nvrtc/libnvrtc.so.13.0.48"), ("CUDA_HOME", "/opt/cuda")), windows: false, NoFiles);
        Assert.That(candidates, Is.EqualTo(new[] { "/opt/nvrtc/libnvrtc.so.13.0.48" }));
    }

    [Test]
    public void OnLinuxNvrtcIsLookedForByNameFirstThenInTheCudaDirectories()
    {
        var candidates = Nvrtc.Candidates(Environment(("CUDA_HOME", "/opt/cuda")), windows: false, NoFiles);
        Assert.That(candidates.Take(3), Is.EqualTo(new[] { "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so" }));
        Assert.That(candidates.Skip(3).Take(3), Is.EqualTo(new[] { "/opt/cuda/lib64/libnvrtc.so.13", "/opt/cuda/lib64/libnvrtc.so.12", "/opt/cuda/lib64/libnvrtc.so" }));
        Assert.That(candidates, Does.Contain("/usr/local/cuda/lib64/libnvrtc.so.13"));
        Assert.That(candidates, Does.Contain("/usr/local/cuda/targets/x86_64-linux/lib/libnvrtc.so.12"));
        Assert.That(candidates, Is.Unique);
    }

    [Test]
    public void OnWindowsTheNewestNvrtcOnThePathComesFirst()
    {
        string older = Path.Combine("C:", "old"), newer = Path.Combine("C:", "new");
        IEnumerable<string> Files(string directory, string pattern) =>
            directory == older ? [Path.Combine(older, "nvrtc64_120_0.dll")]
            : directory == newer ? [Path.Combine(newer, "nvrtc64_130_0.dll"), Path.Combine(newer, "nvrtc64_130_0.alt.dll")]
            : [];
        var candidates = Nvrtc.Candidates(Environment(("PATH", $"{older};{newer}")), windows: true, Files);
        Assert.That(candidates.Take(2), Is.EqualTo(new[] { Path.Combine(newer, "nvrtc64_130_0.dll"), Path.Combine(older, "nvrtc64_120_0.dll") }));
        Assert.That(candidates, Does.Not.Contain(Path.Combine(newer, "nvrtc64_130_0.alt.dll")));
    }

    [Test]
    public void TheKernelSourceIsCommonCuhThenEveryFileUnderItsOwnLineDirective()
    {
        var files = KernelSources.Files;
        Assert.That(files[0], Is.EqualTo("common.cuh"));
        Assert.That(files.Skip(1), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(files.Skip(1), Has.All.EndWith(".cu"));

        string unity = KernelSources.Unity();
        Assert.That(unity, Does.StartWith("#line 1 \"common.cuh\"\n" + KernelSources.Read("common.cuh")));
        int previous = -1;
        foreach (string file in files)
        {
            string directive = $"#line 1 \"{file}\"\n";
            int at = unity.IndexOf(directive, StringComparison.Ordinal);
            Assert.That(at, Is.GreaterThan(previous), $"{file} comes after the file before it");
            Assert.That(unity.IndexOf(directive, at + 1, StringComparison.Ordinal), Is.EqualTo(-1), $"{file} appears once");
            Assert.That(unity.AsSpan(at + directive.Length).StartsWith(KernelSources.Read(file)), $"{file}'s text follows its directive");
            previous = at;
        }
    }

    private static CudaDevice Gpu()
    {
        if (CudaBackend.Gpu?.Device is CudaDevice device) return device;
        Assert.Ignore($"No GPU: {CudaBackend.GpuUnavailableReason}");
        throw new UnreachableException();
    }

    [Test, Category("Gpu")]
    public void BytesSurviveTheTripToTheDeviceAcrossItAndBack()
    {
        var device = Gpu();
        var bytes = new byte[1000 * 4 + 3];
        new Random(7).NextBytes(bytes);
        var a = device.Allocate(bytes.Length);
        var b = device.Allocate(bytes.Length);
        try
        {
            device.CopyToDevice(a, bytes);
            device.CopyOnDevice(b, a, bytes.Length);
            var back = new byte[bytes.Length];
            device.CopyToHost(back, b);
            Assert.That(back, Is.EqualTo(bytes));

            // An offset inside a block, as a view's elements are addressed.
            var tail = new byte[17];
            device.CopyToHost(tail, b.Offset(bytes.Length - 17));
            Assert.That(tail, Is.EqualTo(bytes[^17..]));
        }
        finally
        {
            device.Free(a);
            device.Free(b);
        }
    }

    [Test, Category("Gpu")]
    public void TheKernelsCompileForTheDeviceAndTheTimeIsKept()
    {
        var device = Gpu();
        var time = device.CompileKernels();
        Assert.That(device.CompileTime, Is.EqualTo(time));
        Assert.That(time, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(device.CompileLog, Is.Not.Null);
        var (major, minor) = device.ComputeCapability;
        Assert.That(device.Target.Architecture, Does.EndWith($"_{major}{minor}").Or.StartWith("compute_"));
        TestContext.Out.WriteLine($"{device.Name}: {device.Target} by NVRTC {device.NvrtcVersion} ({device.NvrtcLibrary}), driver CUDA {device.DriverVersion}, {time.TotalMilliseconds:F0} ms");
    }

    [Test, Category("Gpu")]
    public unsafe void AnUnknownKernelNameIsAClearError()
    {
        var device = Gpu();
        var e = Assert.Throws<InvalidOperationException>(() => device.Launch("no_such_kernel_f32", new Dim3(1), new Dim3(1), null, 0));
        Assert.That(e!.Message, Does.Contain("'no_such_kernel_f32'"));
        Assert.That(e.InnerException, Is.InstanceOf<CudaException>());
        Assert.That(((CudaException)e.InnerException!).ErrorName, Is.EqualTo("CUDA_ERROR_NOT_FOUND"));
    }
}
