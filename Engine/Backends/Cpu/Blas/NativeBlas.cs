using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cpu.Blas;

/// <summary>
/// A CBLAS library found on the machine (MKL, OpenBLAS, BLIS or the reference BLAS), bound through
/// function pointers to its <c>cblas_sgemm</c> and <c>cblas_dgemm</c>: the two routines a neural network
/// spends most of its CPU time in. Everything else the engine computes itself.
/// </summary>
public sealed unsafe class NativeBlas
{
    private const int ColumnMajor = 102, NoTrans = 111, Trans = 112;

    // Probed in this order: the fastest families first, the reference BLAS last.
    private static readonly (string Family, string[] Names)[] Candidates =
    [
        ("MKL", ["libmkl_rt.so.2", "libmkl_rt.so", "libmkl_rt.dylib", "mkl_rt.2.dll", "mkl_rt.dll"]),
        ("OpenBLAS", ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll", "openblas.dll"]),
        ("BLIS", ["libblis.so.4", "libblis.so", "libblis.dylib", "blis.dll"]),
        ("reference BLAS", ["libcblas.so.3", "libcblas.so", "libblas.so.3", "libblas.so", "libcblas.dylib"]),
    ];

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> _dgemm;

    // OpenBLAS can be told how many threads to use; the engine keeps small products on one.
    private readonly delegate* unmanaged<int, void> _setThreads;
    private readonly int _maxThreads;
    private int _threads;

    /// <summary>
    /// Products below this many floating-point operations run on one thread. Measured here with two threads:
    /// an (11, 512) x (512, 138) product took 3-4 ms threaded and 57 us on one thread, because waking and
    /// waiting for the second thread costs more than the work; from a few MFLOP up, two threads pay.
    /// </summary>
    public const long SingleThreadBelowFlops = 8_000_000;

    /// <summary>The library family and, where the library tells, its version and build: "OpenBLAS 0.3.21 ...".</summary>
    public string Description { get; }

    /// <summary>The file name the library was loaded by.</summary>
    public string Library { get; }

    private NativeBlas(string library, nint handle, string family)
    {
        Library = library;
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)NativeLibrary.GetExport(handle, "cblas_sgemm");
        _dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)NativeLibrary.GetExport(handle, "cblas_dgemm");
        Description = DescribeBuild(handle, family);
        if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint setThreads) &&
            NativeLibrary.TryGetExport(handle, "openblas_get_num_threads", out nint getThreads))
        {
            _setThreads = (delegate* unmanaged<int, void>)setThreads;
            _maxThreads = _threads = ((delegate* unmanaged<int>)getThreads)();
        }
    }

    /// <summary>The threads the library may use for large products (1 where it cannot be told).</summary>
    public int MaxThreads => Math.Max(1, _maxThreads);

    private void UseThreadsFor(long m, long n, long k)
    {
        if (_setThreads == null || _maxThreads <= 1) return;
        int wanted = 2 * m * n * k < SingleThreadBelowFlops ? 1 : _maxThreads;
        if (wanted == _threads) return;
        _setThreads(wanted);
        _threads = wanted;
    }

    /// <summary>
    /// Loads the first CBLAS library that exports both GEMMs: <paramref name="path"/> when given, else the
    /// candidates by name. <paramref name="tried"/> lists each name with why it was passed over.
    /// </summary>
    public static NativeBlas? Load(string? path, out List<string> tried)
    {
        tried = [];
        var candidates = path is null ? Candidates : [("CBLAS", [path])];
        foreach (var (family, names) in candidates)
        {
            if (family == "OpenBLAS") ChooseOpenBlasCoreType();
            foreach (string name in names)
            {
                if (!NativeLibrary.TryLoad(name, out nint handle))
                {
                    tried.Add($"{name}: not found");
                    continue;
                }
                if (NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _) && NativeLibrary.TryGetExport(handle, "cblas_dgemm", out _))
                    return new NativeBlas(name, handle, family);
                tried.Add($"{name}: loaded, but it exports no cblas_sgemm/cblas_dgemm");
                NativeLibrary.Free(handle);
            }
        }
        return null;
    }

    /// <summary>
    /// OpenBLAS picks its kernels by the CPU's model number, and on a virtual CPU that reports a generic model
    /// ("Intel Xeon Processor") it falls back to its oldest kernels (Prescott, no AVX): measured here, a
    /// 100x784x360 product took 35 ms instead of about 1.5 (the MLP's first layer: Bench's mlp_epoch_s runs it,
    /// <c>OPENBLAS_CORETYPE=Prescott dotnet run --project Bench -c Release -- --only mlp_epoch_s</c> with the old kernels). So unless the user chose (OPENBLAS_CORETYPE), the
    /// choice is made from the instruction sets the CPU really has, before the library reads it at load time.
    /// .NET's Environment.SetEnvironmentVariable does not reach native code on Unix, hence libc's setenv.
    /// </summary>
    private static void ChooseOpenBlasCoreType()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is not null) return;
        string? coreType = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "SkylakeX"
            : System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported ? "Haswell"
            : null;
        if (coreType is null) return;
        SetEnv("OPENBLAS_CORETYPE", coreType, 0);
        Environment.SetEnvironmentVariable("OPENBLAS_CORETYPE", coreType);
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);

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

    // Each family has its own way to say what it is; a library that says nothing is named by its family.
    private static string DescribeBuild(nint handle, string family)
    {
        if (NativeLibrary.TryGetExport(handle, "openblas_get_config", out nint openblasConfig))
            return Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)openblasConfig)())?.Trim() ?? "OpenBLAS";
        if (NativeLibrary.TryGetExport(handle, "bli_info_get_version_str", out nint blisVersion))
            return "BLIS " + Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)blisVersion)());
        if (NativeLibrary.TryGetExport(handle, "MKL_Get_Version_String", out nint mklVersion))
        {
            var buffer = stackalloc byte[256];
            ((delegate* unmanaged<byte*, int, void>)mklVersion)(buffer, 256);
            return Marshal.PtrToStringAnsi((nint)buffer)?.Trim() ?? "MKL";
        }
        return family;
    }
}
