using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cpu.Blas;

/// <summary>
/// A CBLAS library found on the machine or in the user cache (MKL, Accelerate, OpenBLAS, BLIS or the reference BLAS),
/// bound through function pointers to its <c>cblas_sgemm</c> and <c>cblas_dgemm</c>: the two routines a neural
/// network spends most of its CPU time in. Everything else the engine computes itself.
/// </summary>
public sealed unsafe class NativeBlas
{
    private const int ColumnMajor = 102, NoTrans = 111, Trans = 112;

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> _dgemm;

    // OpenBLAS and MKL can be told how many threads to use (each with its own pair of functions of the same shape);
    // the engine keeps small products on one.
    private readonly delegate* unmanaged<int, void> _setThreads;
    private readonly int _maxThreads;
    private int _threads;

    /// <summary>
    /// Products below this many floating-point operations run on one thread. Measured here with two threads:
    /// an (11, 512) x (512, 138) product took 3-4 ms threaded and 57 us on one thread, because waking and
    /// waiting for the second thread costs more than the work. Thin products of a few tens of MFLOP gain nothing
    /// from a second thread either: the MLP's (256, 4096) x (4096, 10) and its two gradients took 1.2 ms threaded
    /// on the quiet machine and about 1.1 ms on one thread under load, and moving the limit from 8 to 32 MFLOP made the
    /// MLP step at width 4,096 and the LSTM language model's step (its dense layer's products) about 1.16x faster in
    /// turns (<c>Bench --mlp-ab</c> with <c>--ab-single-thread-below</c>, Bench/README.md), while the MNIST MLP's
    /// (100, 784) x (784, 360) products, 56 MFLOP, stay on two threads.
    /// </summary>
    public const long SingleThreadBelowFlops = 32_000_000;

    /// <summary>The family the library belongs to: MKL, OpenBLAS, ...; <see cref="BlasChoice.Auto"/> for a path of unknown kind.</summary>
    public BlasChoice Family { get; }

    /// <summary>
    /// The library's build as it describes itself, and the file it was loaded from:
    /// "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64, /usr/lib/x86_64-linux-gnu/libopenblas.so.0".
    /// </summary>
    public string Description { get; }

    /// <summary>The name or path the library was loaded by.</summary>
    public string Library { get; }

    /// <summary>The file the library was loaded from, where the system can tell (else <see cref="Library"/>).</summary>
    public string LoadedFrom { get; }

    private NativeBlas(BlasChoice family, string library, nint handle, string build)
    {
        Family = family;
        Library = library;
        nint sgemm = NativeLibrary.GetExport(handle, "cblas_sgemm");
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        _dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)NativeLibrary.GetExport(handle, "cblas_dgemm");
        LoadedFrom = NativeLibraries.FileOf(sgemm) ?? library;
        Description = $"{build}, {LoadedFrom}";
        foreach (var (set, get) in (ReadOnlySpan<(string, string)>)[("openblas_set_num_threads", "openblas_get_num_threads"), ("MKL_Set_Num_Threads", "MKL_Get_Max_Threads")])
        {
            if (!NativeLibrary.TryGetExport(handle, set, out nint setThreads) || !NativeLibrary.TryGetExport(handle, get, out nint getThreads)) continue;
            _setThreads = (delegate* unmanaged<int, void>)setThreads;
            _maxThreads = _threads = ((delegate* unmanaged<int>)getThreads)();
            break;
        }
    }

    /// <summary>The threads the library may use for large products (1 where it cannot be told).</summary>
    public int MaxThreads => Math.Max(1, _maxThreads);

    private void UseThreadsFor(long m, long n, long k)
    {
        if (_setThreads == null || _maxThreads <= 1) return;
        int wanted = 2 * m * n * k < CpuTuning.SingleThreadBelowFlops ? 1 : _maxThreads;
        if (wanted == _threads) return;
        _setThreads(wanted);
        _threads = wanted;
    }

    /// <summary>
    /// Loads the first of <paramref name="family"/>'s locations that works, prepared the family's way, and adds every
    /// location it tried to <paramref name="tried"/> (with why it was passed over, or null for the one loaded).
    /// </summary>
    internal static NativeBlas? Load(BlasFamily family, List<BlasAttempt> tried)
    {
        foreach (string location in family.Locations)
        {
            var blas = TryLoad(family, location, out string? reason);
            tried.Add(new BlasAttempt(family.Name, location, reason));
            if (blas is not null) return blas;
        }
        return null;
    }

    private static NativeBlas? TryLoad(BlasFamily family, string location, out string? reason)
    {
        bool isPath = Path.IsPathRooted(location);
        if (isPath && !File.Exists(location))
        {
            reason = location.StartsWith(BlasCache.Root, StringComparison.Ordinal)
                ? "not fetched (the build runs bash scripts/fetch-blas.sh, which puts it there)"
                : "not found";
            return null;
        }
        if (isPath) LoadCompanions(family, Path.GetDirectoryName(location)!);
        if (family.Choice == BlasChoice.OpenBlas) ChooseOpenBlasCoreType();

        if (!NativeLibraries.TryLoad(location, global: false, out nint handle, out reason)) return null;
        // MKL loads its threading layer and kernels on its first call, not when libmkl_rt loads, so what they need
        // can still be put in place now, and only where there is an MKL to need it.
        var mkl = family.Choice == BlasChoice.Mkl ? MklSetup.Prepare(location) : null;
        if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _) || !NativeLibrary.TryGetExport(handle, "cblas_dgemm", out _))
        {
            reason = "loaded, but it exports no cblas_sgemm/cblas_dgemm";
            NativeLibrary.Free(handle);
            return null;
        }
        string build;
        if (mkl is not null)
        {
            reason = MklSetup.Configure(handle, mkl, out string threading);
            if (reason is not null)
            {
                NativeLibrary.Free(handle);
                return null;
            }
            build = MklSetup.Describe(handle, mkl, threading);
        }
        else build = DescribeBuild(handle, family.Name);
        reason = null;
        return new NativeBlas(family.Choice, location, handle, build);
    }

    /// <summary>
    /// Libraries a cached library needs that the system may lack, loaded from its folder first so that the dynamic
    /// loader, which matches a dependency by its soname against what is already loaded, finds them without
    /// LD_LIBRARY_PATH. The system's own copy wins where there is one.
    /// </summary>
    private static void LoadCompanions(BlasFamily family, string folder)
    {
        foreach (string companion in family.Companions)
        {
            if (NativeLibraries.TryLoad(companion, global: false, out _, out _)) continue;
            string beside = Path.Combine(folder, companion);
            if (File.Exists(beside)) NativeLibraries.TryLoad(beside, global: false, out _, out _);
        }
    }

    /// <summary>
    /// OpenBLAS picks its kernels by the CPU's model number, and on a virtual CPU that reports a generic model
    /// ("Intel Xeon Processor") it falls back to its oldest kernels (Prescott, no AVX): measured here, a
    /// 100x784x360 product took 35 ms instead of about 1.5 (the MLP's first layer: Bench's mlp_epoch_s runs it,
    /// <c>OPENBLAS_CORETYPE=Prescott dotnet run --project Bench -c Release -- --only mlp_epoch_s</c> with the old kernels). So unless the user chose (OPENBLAS_CORETYPE), the
    /// choice is made from the instruction sets the CPU really has, before the library reads it at load time.
    /// </summary>
    private static void ChooseOpenBlasCoreType()
    {
        if (!OperatingSystem.IsLinux()) return;
        string? coreType = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "SkylakeX"
            : System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported ? "Haswell"
            : null;
        if (coreType is not null) NativeEnvironment.SetUnlessSet("OPENBLAS_CORETYPE", coreType);
    }

    /// <summary>C = alpha op(A) op(B) + beta C, all column-major (the BLAS convention).</summary>
    public void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        UseThreadsFor(m, n, k);
        _sgemm(ColumnMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>The double-precision <see cref="Sgemm"/>.</summary>
    public void Dgemm(bool transposeA, bool transposeB, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc)
    {
        UseThreadsFor(m, n, k);
        _dgemm(ColumnMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>
    /// Keeps the library to one thread until a product large enough for more comes through <see cref="Sgemm"/> or
    /// <see cref="Dgemm"/>: for a caller that splits its work across the cores itself and multiplies on each core with
    /// <see cref="SgemmOnOneThread"/>. Call it before the split, on the calling thread: the thread count is one
    /// process-wide setting, which the cores' products must not change under each other.
    /// </summary>
    public void UseOneThread()
    {
        if (_setThreads == null || _threads == 1) return;
        _setThreads(1);
        _threads = 1;
    }

    /// <summary>
    /// <see cref="Sgemm"/> without choosing a thread count, so that several threads may call it at once after
    /// <see cref="UseOneThread"/>: each product then runs on its caller's thread alone.
    /// </summary>
    public void SgemmOnOneThread(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) =>
        _sgemm(ColumnMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>The double-precision <see cref="SgemmOnOneThread"/>.</summary>
    public void DgemmOnOneThread(bool transposeA, bool transposeB, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc) =>
        _dgemm(ColumnMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    // Each family has its own way to say what it is; a library that says nothing is named by its family.
    private static string DescribeBuild(nint handle, string family)
    {
        if (NativeLibrary.TryGetExport(handle, "openblas_get_config", out nint openblasConfig))
            return Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)openblasConfig)())?.Trim() ?? "OpenBLAS";
        if (NativeLibrary.TryGetExport(handle, "bli_info_get_version_str", out nint blisVersion))
            return "BLIS " + Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)blisVersion)());
        return family;
    }
}
