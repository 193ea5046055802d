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
/// Chooses, once per process, the fastest matrix-product code the machine has and installs it as MathNet's
/// provider: MathNet's own MKL provider when the application ships it, else a native CBLAS found by name
/// (MKL, OpenBLAS, BLIS, reference BLAS), else MathNet's managed code with one warning on stderr.
/// The environment variable GRAPHDL_BLAS overrides the choice: <c>managed</c>, or the path of a CBLAS library.
/// </summary>
public static class BlasProvider
{
    private static readonly Lazy<(BlasKind Kind, string Description)> Choice = new(Choose);

    /// <summary>The kind of code in use.</summary>
    public static BlasKind Kind => Choice.Value.Kind;

    /// <summary>What is in use, for logs and benchmarks: "Native CBLAS (OpenBLAS 0.3.21 ...)".</summary>
    public static string Description => Choice.Value.Description;

    /// <summary>Makes the choice now (it is otherwise made by the first matrix product).</summary>
    public static void EnsureChosen() => _ = Choice.Value;

    private static (BlasKind, string) Choose()
    {
        string? setting = Environment.GetEnvironmentVariable("GRAPHDL_BLAS");
        if (string.Equals(setting, "managed", StringComparison.OrdinalIgnoreCase))
        {
            LinearAlgebraControl.UseManaged();
            return (BlasKind.Managed, "MathNet managed (GRAPHDL_BLAS=managed)");
        }
        if (string.IsNullOrEmpty(setting) && LinearAlgebraControl.TryUseNativeMKL())
            return (BlasKind.Native, LinearAlgebraControl.Provider.ToString() ?? "MathNet MKL");

        var blas = NativeBlas.Load(string.IsNullOrEmpty(setting) ? null : setting, out var tried);
        if (blas is not null)
        {
            var provider = new CblasLinearAlgebraProvider(blas);
            LinearAlgebraControl.Provider = provider;
            return (BlasKind.Native, provider.ToString());
        }

        LinearAlgebraControl.UseManaged();
        Console.Error.WriteLine(
            "GraphDL: no native BLAS found; matrix products run on MathNet's managed code, about 40x slower. " +
            "Install OpenBLAS (Debian/Ubuntu: sudo apt-get install libopenblas0-pthread; `bash scripts/setup.sh` does it)" +
            (string.IsNullOrEmpty(setting) ? "" : $" or fix GRAPHDL_BLAS={setting}") + $". Tried: {string.Join("; ", tried)}.");
        return (BlasKind.Managed, "MathNet managed (no native BLAS found)");
    }
}
