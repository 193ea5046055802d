using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace GraphDL.Backends.Cpu.Blas;

/// <summary>
/// What Intel MKL's single entry point, libmkl_rt, needs before its first call, and what it says about itself after.
/// </summary>
/// <remarks>
/// libmkl_rt loads the rest of MKL on its first call, by full path from its own folder: the interface layer
/// (libmkl_intel_lp64), the threading layer and libmkl_core, which then loads the kernels for the CPU found
/// (libmkl_avx512, libmkl_avx2 or libmkl_def). So a copy in the user cache works without LD_LIBRARY_PATH, and
/// preloading its parts is neither needed nor possible (they need each other's symbols). Three things must be right
/// first, because MKL ends the whole process when a part it wants cannot be loaded:
/// <list type="bullet">
/// <item>The threading layer must be GNU OpenMP (libmkl_gnu_thread over libgomp, which gcc brings): MKL's default is
/// Intel's OpenMP, libiomp5, which neither Debian's MKL packages nor the cache hold. It is set by calling
/// MKL_Set_Threading_Layer, not through MKL_THREADING_LAYER: .NET's Environment.SetEnvironmentVariable does not
/// reach native code on Unix, and a call says what it got. A user's own MKL_THREADING_LAYER is left alone.</item>
/// <item>libmkl_gnu_thread names no dependency on libgomp, yet calls it, so libgomp goes into the global symbol scope
/// beforehand (the system's, else the cache's copy).</item>
/// <item>The interface layer is set to LP64 (32-bit integers), the one the engine's calls use.</item>
/// </list>
/// On a CPU that is not Intel's, MKL 2020 runs its generic kernels (measured on a 2-core AMD EPYC, Bench: sgemm n=1024
/// at 146-161 GFLOP/s instead of 357-370 with its AVX-512 kernels); Native/mkl_cpu_vendor.c, compiled by scripts/fetch-blas.sh,
/// lets it choose by instruction set. MKL_DEBUG_CPU_TYPE=5, the older way, is ignored by MKL 2020.4 (measured: the
/// same generic kernels load with and without it).
/// </remarks>
internal static unsafe class MklSetup
{
    // mkl_service.h
    private const int InterfaceLp64 = 0, ThreadingSequential = 1, ThreadingGnu = 3;

    /// <summary>The shim's file name, beside the cached MKL.</summary>
    public const string VendorShim = "libgraphdl_mkl_cpu_vendor.so";

    /// <summary>What was done before libmkl_rt was loaded, for its description.</summary>
    public sealed record Preparation(bool GnuOpenMp, string? SpinCount, string? VendorShimPath);

    /// <summary>How long libgomp's idle threads spin before they sleep, unless the user says otherwise (see <see cref="Prepare"/>).</summary>
    public const string ShortSpin = "10000";

    [StructLayout(LayoutKind.Sequential)]
    private struct MklVersion
    {
        public int Major, Minor, Update;
        public nint ProductStatus, Build, Processor, Platform;
    }

    /// <summary>libgomp in the global scope and, on a CPU not made by Intel, the vendor shim: both before MKL's first call.</summary>
    public static Preparation Prepare(string location)
    {
        if (!OperatingSystem.IsLinux()) return new Preparation(false, null, null);
        string? folder = Path.IsPathRooted(location) ? Path.GetDirectoryName(location) : null;
        string cacheFolder = Path.Combine(BlasCache.Root, BlasCache.MklFolder);

        // libgomp's idle threads spin for 300,000 turns (about a millisecond here) after each parallel region before
        // they sleep. On two cores with anything else running, that spinning thread holds a core the next product's
        // threads need. Measured on this 2-core machine (Bench, MKL): idle, sgemm n=256 at 342 GFLOP/s with that
        // default, 333 with 10,000 turns, 284-293 with no spinning at all (OMP_WAIT_POLICY=PASSIVE); beside other
        // builds, 35-55 with the default and 163-169 passive; beside two busy loops, 75-97 with the default or
        // passive and 56-159 with 10,000 turns (the busy machine's figures swing). 10,000 keeps nearly all of the
        // idle speed and drops the long spin. Set before libgomp loads, which reads it then; a user's own
        // GOMP_SPINCOUNT or OMP_WAIT_POLICY is left alone.
        bool userWaitPolicy = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"));
        string? spin = userWaitPolicy ? null : NativeEnvironment.SetUnlessSet("GOMP_SPINCOUNT", ShortSpin) ? ShortSpin : Environment.GetEnvironmentVariable("GOMP_SPINCOUNT");
        bool gomp = NativeLibraries.TryLoad("libgomp.so.1", global: true, out _, out _) ||
                    (folder is not null && NativeLibraries.TryLoad(Path.Combine(folder, "libgomp.so.1"), global: true, out _, out _)) ||
                    NativeLibraries.TryLoad(Path.Combine(cacheFolder, "libgomp.so.1"), global: true, out _, out _);

        string? shim = null;
        if (!IsIntelCpu())
            foreach (string? candidate in (string?[])[folder is null ? null : Path.Combine(folder, VendorShim), Path.Combine(cacheFolder, VendorShim)])
                if (candidate is not null && File.Exists(candidate) && NativeLibraries.TryLoad(candidate, global: true, out _, out _))
                {
                    shim = candidate;
                    break;
                }
        return new Preparation(gomp, spin, shim);
    }

    /// <summary>
    /// Sets the interface and threading layers of the just-loaded libmkl_rt, before anything else calls it. Returns
    /// null when MKL is ready, else why it must be passed over (it is then never called, so it cannot end the process).
    /// </summary>
    public static string? Configure(nint handle, Preparation preparation, out string threading)
    {
        threading = "MKL's default threading";
        if (!NativeLibrary.TryGetExport(handle, "MKL_Set_Threading_Layer", out nint setThreading) ||
            !NativeLibrary.TryGetExport(handle, "MKL_Set_Interface_Layer", out nint setInterface))
            return "loaded, but it exports no MKL_Set_Threading_Layer/MKL_Set_Interface_Layer (not libmkl_rt?)";
        if (!OperatingSystem.IsLinux()) return null;   // the defaults there (Intel OpenMP) ship with MKL; untested

        string? folder = Path.GetDirectoryName(NativeLibraries.FileOf(setThreading) ?? "");
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MKL_INTERFACE_LAYER")))
        {
            if (folder is not null && !Beside(folder, "libmkl_intel_lp64"))
                return $"{folder} lacks libmkl_intel_lp64.so, which MKL would load on its first call (and end the process when it cannot)";
            ((delegate* unmanaged<int, int>)setInterface)(InterfaceLp64);
        }
        if (Environment.GetEnvironmentVariable("MKL_THREADING_LAYER") is { Length: > 0 } layer)
        {
            threading = $"MKL_THREADING_LAYER={layer}";
            return null;
        }
        int wanted;
        if (preparation.GnuOpenMp && (folder is null || Beside(folder, "libmkl_gnu_thread")))
        {
            wanted = ThreadingGnu;
            threading = preparation.SpinCount is { } spin ? $"GNU OpenMP threads, GOMP_SPINCOUNT={spin}" : "GNU OpenMP threads";
        }
        else if (folder is not null && Beside(folder, "libmkl_sequential"))
        {
            wanted = ThreadingSequential;
            threading = preparation.GnuOpenMp ? "one thread (no libmkl_gnu_thread beside it)" : "one thread (no libgomp.so.1 on this machine)";
        }
        else
        {
            return preparation.GnuOpenMp
                ? $"{folder} has neither libmkl_gnu_thread.so nor libmkl_sequential.so, and MKL would end the process on its first call"
                : "libgomp.so.1 (GNU OpenMP, which comes with gcc) is missing, and MKL's folder has no libmkl_sequential.so";
        }
        if (folder is not null && !Beside(folder, "libmkl_core"))
            return $"{folder} lacks libmkl_core.so, which MKL would load on its first call (and end the process when it cannot)";
        int got = ((delegate* unmanaged<int, int>)setThreading)(wanted);
        return got == wanted ? null : $"MKL_Set_Threading_Layer({wanted}) answered {got}";
    }

    /// <summary>"Intel MKL 2020.0.4 build 20200917, AVX-512 kernels, GNU OpenMP threads".</summary>
    public static string Describe(nint handle, Preparation preparation, string threading)
    {
        string text = "Intel MKL";
        if (NativeLibrary.TryGetExport(handle, "MKL_Get_Version", out nint getVersion))
        {
            MklVersion version;
            ((delegate* unmanaged<MklVersion*, void>)getVersion)(&version);
            text = $"Intel MKL {version.Major}.{version.Minor}.{version.Update} build {Marshal.PtrToStringAnsi(version.Build)}, " +
                   Kernels(Marshal.PtrToStringAnsi(version.Processor) ?? "");
        }
        text += $", {threading}";
        if (preparation.VendorShimPath is not null) text += ", vendor check bypassed for this non-Intel CPU";
        else if (OperatingSystem.IsLinux() && !IsIntelCpu()) text += ", generic kernels on this non-Intel CPU (no vendor shim)";
        return text;
    }

    // MKL names the code path it chose at length, "Intel(R) Advanced Vector Extensions 512 (Intel(R) AVX-512) with support
    // of ..."; the short name in the first parentheses says it. Its generic path is "Intel(R) Architecture processors".
    private static string Kernels(string processor)
    {
        var shortName = System.Text.RegularExpressions.Regex.Match(processor, @"\(Intel\(R\) ([^()]+)\)");
        return shortName.Success ? $"{shortName.Groups[1].Value} kernels" : $"kernels for {processor.Replace("(R)", "", StringComparison.Ordinal)}";
    }

    /// <summary>Whether the CPU says it is Intel's (CPUID leaf 0: "GenuineIntel"); a non-x86 CPU is not.</summary>
    public static bool IsIntelCpu()
    {
        if (!X86Base.IsSupported) return false;
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<int> vendor = [ebx, edx, ecx];
        return System.Text.Encoding.ASCII.GetString(MemoryMarshal.AsBytes(vendor)) == "GenuineIntel";
    }

    // MKL 2020 names its libraries lib*.so, oneAPI's lib*.so.2.
    private static bool Beside(string folder, string library) =>
        File.Exists(Path.Combine(folder, library + ".so")) || File.Exists(Path.Combine(folder, library + ".so.2"));
}
