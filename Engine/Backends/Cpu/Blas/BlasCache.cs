namespace GraphDL.Backends.Cpu.Blas;

/// <summary>
/// Where scripts/fetch-blas.sh puts the BLAS libraries it fetches from Debian's archive, which the build runs by
/// itself: <c>$GRAPHDL_BLAS_DIR</c>, else <c>~/.graphdl/blas</c>, one folder per library and version. The folder
/// names here and in the script must agree.
/// </summary>
public static class BlasCache
{
    /// <summary>The environment variable that moves the cache.</summary>
    public const string Variable = "GRAPHDL_BLAS_DIR";

    /// <summary>Intel MKL 2020.4: libmkl_rt.so and the libraries it loads from its own folder.</summary>
    public const string MklFolder = "mkl-2020.4";

    /// <summary>OpenBLAS 0.3.21: libopenblas.so.0 and the Fortran runtime it needs.</summary>
    public const string OpenBlasFolder = "openblas-0.3.21";

    /// <summary>The cache's root folder.</summary>
    public static string Root => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root
        ? Path.GetFullPath(root)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".graphdl", "blas");

    /// <summary>Whether the script fetches for this machine: the archive's packages are built for Linux on x86-64.</summary>
    public static bool AppliesHere => OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64;

    /// <summary>A file in one of the cache's library folders.</summary>
    public static string PathOf(string folder, string file) => Path.Combine(Root, folder, file);
}
