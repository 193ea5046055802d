namespace GraphDL.Backends.Cuda.Driver;

/// <summary>
/// The NVRTC 11.8 that scripts/fetch-nvrtc.sh takes from Debian's archive into a cache, so that NVIDIA's own
/// compiler can check the kernels on a machine with neither a GPU nor a CUDA toolkit (the tests' compile checks).
/// A GPU run does not use it: it loads the NVRTC that goes with the machine's driver (<see cref="Nvrtc.TryLoad"/>).
/// </summary>
internal static class FetchedNvrtc
{
    /// <summary>Moves the cache (default <c>~/.graphdl/nvrtc-11.8</c>); scripts/fetch-nvrtc.sh reads the same variable.</summary>
    public const string DirectoryVariable = "GRAPHDL_NVRTC_DIR";

    /// <summary>The library's soname, as Debian ships it for every 11.x release.</summary>
    public const string LibraryName = "libnvrtc.so.11.2";

    /// <summary>Where scripts/fetch-nvrtc.sh puts the library.</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".graphdl", "nvrtc-11.8");

    /// <summary>The library's full path, whether or not it has been fetched.</summary>
    public static string LibraryPath => Path.Combine(Directory, LibraryName);
}
