namespace GraphDL.Backends.Cpu.Blas;

/// <summary>
/// Which matrix-product code to run on: a BLAS family, MathNet's managed code, or the automatic choice. The
/// environment variable GRAPHDL_BLAS names one (<c>mkl</c>, <c>openblas</c>, ...; see <see cref="BlasChoices.Parse"/>);
/// <see cref="BlasProvider.Use(BlasChoice)"/> switches in-process.
/// </summary>
public enum BlasChoice
{
    /// <summary>The first family of the search order that loads, else managed code with one warning.</summary>
    Auto,

    /// <summary>Intel MKL: the system's libmkl_rt, else the copy scripts/fetch-blas.sh put in the user cache.</summary>
    Mkl,

    /// <summary>Apple's Accelerate framework (macOS only).</summary>
    Accelerate,

    /// <summary>OpenBLAS: the system's, else the copy in the user cache.</summary>
    OpenBlas,

    /// <summary>BLIS (the system's).</summary>
    Blis,

    /// <summary>The reference BLAS (Netlib's libblas/libcblas).</summary>
    Reference,

    /// <summary>MathNet's managed C# code: correct everywhere, about 40 times slower at large sizes.</summary>
    Managed,
}

/// <summary>The names GRAPHDL_BLAS accepts for each <see cref="BlasChoice"/>.</summary>
public static class BlasChoices
{
    private static readonly (string Name, BlasChoice Choice)[] Names =
    [
        ("auto", BlasChoice.Auto), ("mkl", BlasChoice.Mkl), ("accelerate", BlasChoice.Accelerate), ("openblas", BlasChoice.OpenBlas),
        ("blis", BlasChoice.Blis), ("reference", BlasChoice.Reference), ("managed", BlasChoice.Managed),
    ];

    /// <summary>What GRAPHDL_BLAS may say: a name, or the path of a CBLAS library.</summary>
    public static string Known => $"{string.Join(", ", Names.Select(n => n.Name))}, or the path of a CBLAS library";

    /// <summary>The name GRAPHDL_BLAS gives <paramref name="choice"/>: "mkl", "openblas", ...</summary>
    public static string Name(BlasChoice choice) => Names.First(n => n.Choice == choice).Name;

    /// <summary>
    /// A GRAPHDL_BLAS value: empty means <see cref="BlasChoice.Auto"/>; a known name (any case) its choice; something
    /// that looks like a file (it holds a directory separator or ends in .so, .dylib or .dll) a library path, returned
    /// in <paramref name="path"/>. Anything else is a mistake worth stopping for, not a reason to guess.
    /// </summary>
    public static BlasChoice Parse(string? value, out string? path)
    {
        path = null;
        if (string.IsNullOrWhiteSpace(value)) return BlasChoice.Auto;
        string trimmed = value.Trim();
        foreach (var (name, choice) in Names)
            if (string.Equals(trimmed, name, StringComparison.OrdinalIgnoreCase)) return choice;
        bool looksLikeAFile = trimmed.Contains('/') || trimmed.Contains('\\') ||
                              trimmed.Contains(".so", StringComparison.Ordinal) || trimmed.EndsWith(".dylib", StringComparison.Ordinal) ||
                              trimmed.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        if (!looksLikeAFile)
            throw new BlasUnavailableException($"{BlasProvider.Variable}={value} names no BLAS GraphDL knows; use {Known}.");
        path = trimmed;
        return BlasChoice.Auto;
    }
}
