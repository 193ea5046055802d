namespace GraphDL.Backends.Cpu.Blas;

/// <summary>
/// One kind of CBLAS library and where to look for it on this operating system, best first: the system's names
/// (the dynamic loader's search: LD_LIBRARY_PATH, ld.so.cache, the standard folders), then fixed paths (Homebrew's,
/// the user cache that scripts/fetch-blas.sh fills). A library loaded from a path may bring companions: libraries it
/// needs that the system may lack (OpenBLAS's Fortran runtime), taken from its folder only when the system has none.
/// </summary>
internal sealed record BlasFamily(BlasChoice Choice, string Name, IReadOnlyList<string> Locations, IReadOnlyList<string> Companions)
{
    /// <summary>The families in the order the automatic choice tries them, each with only this system's locations.</summary>
    public static IReadOnlyList<BlasFamily> SearchOrder =>
        [.. ((BlasFamily[])[Mkl, Accelerate, OpenBlas, Blis, Reference]).Where(f => f.Locations.Count > 0)];

    /// <summary>The family of a choice (not <see cref="BlasChoice.Auto"/> or <see cref="BlasChoice.Managed"/>).</summary>
    public static BlasFamily Of(BlasChoice choice) => choice switch
    {
        BlasChoice.Mkl => Mkl,
        BlasChoice.Accelerate => Accelerate,
        BlasChoice.OpenBlas => OpenBlas,
        BlasChoice.Blis => Blis,
        BlasChoice.Reference => Reference,
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "Neither Auto nor Managed is a library family."),
    };

    /// <summary>
    /// The family a library file belongs to, told by its name (so that a path given in GRAPHDL_BLAS gets the same
    /// preparation as the family's own search: MKL its threading layer, OpenBLAS its Fortran runtime).
    /// </summary>
    public static BlasFamily ForFile(string path)
    {
        string file = Path.GetFileName(path);
        if (file.Contains("mkl_rt", StringComparison.OrdinalIgnoreCase)) return Mkl with { Locations = [path] };
        if (file.Contains("openblas", StringComparison.OrdinalIgnoreCase)) return OpenBlas with { Locations = [path] };
        if (file.Contains("blis", StringComparison.OrdinalIgnoreCase)) return Blis with { Locations = [path] };
        if (path.Contains("Accelerate.framework", StringComparison.Ordinal)) return Accelerate with { Locations = [path] };
        return new BlasFamily(BlasChoice.Auto, "CBLAS", [path], []);
    }

    // Linux: the Debian/Ubuntu sonames (libmkl_rt.so is MKL 2020's, libmkl_rt.so.2 oneAPI's). macOS: Homebrew's
    // OpenBLAS is keg-only, so its folders are named; Intel stopped shipping MKL for macOS after 2023.2. Windows: the
    // DLL names of the official builds. Only the Linux names have been tried on a real machine.
    private static BlasFamily Mkl => new(BlasChoice.Mkl, "MKL",
        OperatingSystem.IsLinux() ? ["libmkl_rt.so.2", "libmkl_rt.so", .. Cached(BlasCache.MklFolder, "libmkl_rt.so")]
        : OperatingSystem.IsMacOS() ? ["libmkl_rt.2.dylib", "libmkl_rt.dylib"]
        : OperatingSystem.IsWindows() ? ["mkl_rt.2.dll", "mkl_rt.dll"] : [],
        []);

    private static BlasFamily Accelerate => new(BlasChoice.Accelerate, "Accelerate",
        OperatingSystem.IsMacOS() ? ["/System/Library/Frameworks/Accelerate.framework/Accelerate"] : [], []);

    private static BlasFamily OpenBlas => new(BlasChoice.OpenBlas, "OpenBLAS",
        OperatingSystem.IsLinux() ? ["libopenblas.so.0", "libopenblas.so", .. Cached(BlasCache.OpenBlasFolder, "libopenblas.so.0")]
        : OperatingSystem.IsMacOS() ? ["/opt/homebrew/opt/openblas/lib/libopenblas.dylib", "/usr/local/opt/openblas/lib/libopenblas.dylib", "libopenblas.dylib"]
        : OperatingSystem.IsWindows() ? ["libopenblas.dll", "openblas.dll"] : [],
        // In the order they depend on each other: libgfortran needs libquadmath.
        OperatingSystem.IsLinux() ? ["libquadmath.so.0", "libgfortran.so.5"] : []);

    private static BlasFamily Blis => new(BlasChoice.Blis, "BLIS",
        OperatingSystem.IsLinux() ? ["libblis.so.4", "libblis.so"]
        : OperatingSystem.IsMacOS() ? ["libblis.dylib"]
        : OperatingSystem.IsWindows() ? ["blis.dll"] : [],
        []);

    private static BlasFamily Reference => new(BlasChoice.Reference, "reference BLAS",
        OperatingSystem.IsLinux() ? ["libcblas.so.3", "libcblas.so", "libblas.so.3", "libblas.so"]
        : OperatingSystem.IsWindows() ? ["cblas.dll"] : [],
        []);

    private static string[] Cached(string folder, string file) => BlasCache.AppliesHere ? [BlasCache.PathOf(folder, file)] : [];
}
