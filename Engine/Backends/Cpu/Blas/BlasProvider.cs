using MathNet.Numerics.Providers.LinearAlgebra;

namespace GraphDL.Backends.Cpu.Blas;

/// <summary>Which kind of matrix-product code the CPU backend runs on.</summary>
public enum BlasKind
{
    /// <summary>A native BLAS: MathNet's MKL provider, or a CBLAS library through <see cref="CblasLinearAlgebraProvider"/>.</summary>
    Native,

    /// <summary>MathNet's managed C# code: correct everywhere, about 40 times slower at large sizes.</summary>
    Managed,
}

/// <summary>
/// Chooses the fastest matrix-product code the machine has and installs it as MathNet's provider: MathNet's own MKL
/// provider when the application ships it, else a native CBLAS library in the order of <see cref="BlasFamily.SearchOrder"/>
/// (MKL, Accelerate on macOS, OpenBLAS, BLIS, the reference BLAS; each the system's first, then the copy
/// scripts/fetch-blas.sh put in the user cache), else MathNet's managed code with one warning on stderr.
/// </summary>
/// <remarks>
/// The environment variable GRAPHDL_BLAS forces a choice: <c>mkl</c>, <c>openblas</c>, ... or the path of a CBLAS
/// library (<see cref="BlasChoices.Parse"/>). A forced choice that cannot be had, or a value nobody knows, is an error
/// (<see cref="BlasUnavailableException"/>) raised by the first matrix product, never a quiet fallback. The choice is
/// made once, by the first product (the CPU backend's start-up asks for it early); <see cref="Use(BlasChoice)"/>
/// changes it afterwards, which is how Bench measures each library in one process. A library once loaded stays loaded.
/// </remarks>
public static class BlasProvider
{
    /// <summary>The environment variable that forces the choice.</summary>
    public const string Variable = "GRAPHDL_BLAS";

    private sealed record Selection(BlasKind Kind, BlasChoice Choice, string Description, ILinearAlgebraProvider Provider, IReadOnlyList<BlasAttempt> Tried);

    private static readonly object Gate = new();
    // Each library loaded so far, by the location it was loaded from, with the family's attempts that led to it.
    private static readonly Dictionary<string, (NativeBlas Blas, BlasAttempt[] Attempts)> Loaded = [];
    private static Selection? _current;
    private static BlasUnavailableException? _failure;

    /// <summary>The kind of code in use.</summary>
    public static BlasKind Kind => Current.Kind;

    /// <summary>The family in use (<see cref="BlasChoice.Auto"/> for a library given by a path whose kind is not known).</summary>
    public static BlasChoice Choice => Current.Choice;

    /// <summary>
    /// What is in use, for logs and benchmarks, with the file it came from:
    /// "Native CBLAS (Intel MKL 2020.0.4 build 20200917, AVX-512 kernels, GNU OpenMP threads, /home/me/.graphdl/blas/mkl-2020.4/libmkl_rt.so)".
    /// </summary>
    public static string Description => Current.Description;

    /// <summary>
    /// Every library the latest choice tried, in order, each with why it was passed over; the one in use last, with
    /// none. Empty when no library was looked for (GRAPHDL_BLAS=managed, or MathNet's own MKL provider).
    /// </summary>
    public static IReadOnlyList<BlasAttempt> Tried => Current.Tried;

    /// <summary>The provider in use; the CPU backend's matrix products go through it.</summary>
    public static ILinearAlgebraProvider LinearAlgebra => Current.Provider;

    /// <summary>Makes the choice now (it is otherwise made by the first matrix product); throws a <see cref="BlasUnavailableException"/> when GRAPHDL_BLAS asks for what cannot be had.</summary>
    public static void EnsureChosen() => _ = Current;

    private static Selection Current => Volatile.Read(ref _current) ?? ChooseOnce();

    private static Selection ChooseOnce()
    {
        lock (Gate)
        {
            if (_current is not null) return _current;
            if (_failure is not null) throw _failure;   // the same clear error for every product, not a half-made choice
            string? setting = Environment.GetEnvironmentVariable(Variable);
            try
            {
                var choice = BlasChoices.Parse(setting, out string? path);
                var tried = new List<BlasAttempt>();
                var selection = (path is not null ? FromPath(path, tried) : Select(choice, tried))
                                ?? throw new BlasUnavailableException($"{Variable}={setting}: {Unavailable(choice, path, tried)}");
                return Install(selection);
            }
            catch (BlasUnavailableException e)
            {
                _failure = e;
                throw;
            }
        }
    }

    /// <summary>
    /// Switches to <paramref name="choice"/> in this process and returns its description; <see cref="BlasChoice.Auto"/>
    /// makes the automatic choice again. Meant for benchmarks and tests: do not call it while other threads multiply.
    /// </summary>
    /// <exception cref="BlasUnavailableException">The library cannot be loaded; the message lists what was tried. The choice in use stays.</exception>
    public static string Use(BlasChoice choice)
    {
        lock (Gate)
        {
            var tried = new List<BlasAttempt>();
            var selection = Select(choice, tried) ?? throw new BlasUnavailableException(Unavailable(choice, null, tried));
            return Install(selection).Description;
        }
    }

    /// <summary>Switches to the CBLAS library at <paramref name="path"/>, as GRAPHDL_BLAS=path would; returns its description.</summary>
    public static string UseLibrary(string path)
    {
        lock (Gate)
        {
            var tried = new List<BlasAttempt>();
            var selection = FromPath(path, tried) ?? throw new BlasUnavailableException(Unavailable(BlasChoice.Auto, path, tried));
            return Install(selection).Description;
        }
    }

    /// <summary>
    /// Loads the CBLAS library at <paramref name="path"/> (or finds it loaded) without putting it in use: for checking
    /// one library's products beside another's in one process.
    /// </summary>
    internal static NativeBlas Load(string path)
    {
        lock (Gate)
        {
            var tried = new List<BlasAttempt>();
            var selection = FromPath(path, tried) ?? throw new BlasUnavailableException(Unavailable(BlasChoice.Auto, path, tried));
            return ((CblasLinearAlgebraProvider)selection.Provider).Blas;
        }
    }

    private static Selection Install(Selection selection)
    {
        LinearAlgebraControl.Provider = selection.Provider;
        _failure = null;
        Volatile.Write(ref _current, selection);
        return selection;
    }

    private static Selection? Select(BlasChoice choice, List<BlasAttempt> tried)
    {
        switch (choice)
        {
            case BlasChoice.Managed:
                return new Selection(BlasKind.Managed, BlasChoice.Managed, $"MathNet managed ({Variable}=managed)", new ManagedLinearAlgebraProvider(), tried);
            case BlasChoice.Auto:
                if (LinearAlgebraControl.TryUseNativeMKL())
                    return new Selection(BlasKind.Native, BlasChoice.Mkl, LinearAlgebraControl.Provider.ToString() ?? "MathNet MKL", LinearAlgebraControl.Provider, tried);
                foreach (var family in BlasFamily.SearchOrder)
                    if (Native(family, tried) is { } found) return found;
                string remedy = BlasCache.AppliesHere
                    ? $"The build fetches Intel MKL and OpenBLAS into {BlasCache.Root} (bash scripts/fetch-blas.sh does it by hand), " +
                      "or install OpenBLAS (Debian/Ubuntu: sudo apt-get install libopenblas0-pthread)"
                    : OperatingSystem.IsMacOS() ? "Install OpenBLAS (brew install openblas)" : "Install OpenBLAS or MKL where the loader finds it";
                Console.Error.WriteLine(
                    $"GraphDL: no native BLAS found; matrix products run on MathNet's managed code, about 40x slower. {remedy}. " +
                    $"Tried: {string.Join("; ", tried)}.");
                return new Selection(BlasKind.Managed, BlasChoice.Managed, "MathNet managed (no native BLAS found)", new ManagedLinearAlgebraProvider(), tried);
            default:
                return Native(BlasFamily.Of(choice), tried);
        }
    }

    private static Selection? FromPath(string path, List<BlasAttempt> tried) => Native(BlasFamily.ForFile(Path.GetFullPath(path)), tried);

    // A library already loaded is reused (loading MKL again would set its layers on a running library), and the
    // attempts that found it are told again.
    private static Selection? Native(BlasFamily family, List<BlasAttempt> tried)
    {
        NativeBlas? blas = null;
        foreach (string location in family.Locations)
            if (Loaded.TryGetValue(location, out var loaded))
            {
                blas = loaded.Blas;
                tried.AddRange(loaded.Attempts);
                break;
            }
        if (blas is null)
        {
            int first = tried.Count;
            blas = NativeBlas.Load(family, tried);
            if (blas is null) return null;
            Loaded[blas.Library] = (blas, tried[first..].ToArray());
        }
        var provider = new CblasLinearAlgebraProvider(blas);
        return new Selection(BlasKind.Native, blas.Family, provider.ToString(), provider, tried);
    }

    private static string Unavailable(BlasChoice choice, string? path, List<BlasAttempt> tried)
    {
        string what = path is not null ? $"the library {path}" : BlasFamily.Of(choice).Name;
        string tail = tried.Count == 0 ? $"{what} is not looked for on this system" : $"tried {string.Join("; ", tried)}";
        string hint = (choice is BlasChoice.Mkl or BlasChoice.OpenBlas) && BlasCache.AppliesHere
            ? $". The build fetches MKL and OpenBLAS into {BlasCache.Root} (bash scripts/fetch-blas.sh)"
            : "";
        return $"{what} could not be loaded: {tail}{hint}.";
    }
}
