using GraphDL.Backends.Cpu.Blas;

namespace GraphDL.Bench;

/// <summary>
/// A BLAS library the CPU figures are measured on. Every figure is taken on each native library the engine can load
/// (MKL and OpenBLAS, the engine's own choice first), one after the other for the same workload, so that the
/// libraries are compared on the same state of the machine; when GRAPHDL_BLAS names one, only that one.
/// </summary>
/// <param name="Name">How the figures name it: GRAPHDL_BLAS's name ("mkl", "openblas") or "path" for a library given by its path.</param>
/// <param name="Setting">What GRAPHDL_BLAS must say for a child process (the MLP's) to run on it.</param>
/// <param name="Description">What the engine says about it: version, kernels, file.</param>
public sealed record BlasUnderTest(string Name, string Setting, BlasChoice Choice, string Description)
{
    // The libraries worth setting side by side: the two the build fetches. BLIS and the reference BLAS are slower
    // stand-ins, managed code about 40 times slower.
    private static readonly BlasChoice[] Compared = [BlasChoice.Mkl, BlasChoice.OpenBlas];

    /// <summary>Puts this library in use in this process.</summary>
    public void Use()
    {
        if (BlasProvider.Choice != Choice || BlasProvider.Description != Description) BlasProvider.Use(Choice);
    }

    /// <summary>
    /// The libraries to measure, the engine's own choice first. An unloadable library is left out with a line on stderr
    /// (<paramref name="log"/>); a GRAPHDL_BLAS that cannot be honoured ends the benchmark, as it ends any program.
    /// </summary>
    public static List<BlasUnderTest> ToMeasure(Action<string> log)
    {
        BlasProvider.EnsureChosen();
        string? setting = Environment.GetEnvironmentVariable(BlasProvider.Variable);
        if (!string.IsNullOrWhiteSpace(setting)) return [Current(setting.Trim())];   // the user's choice, alone
        var chosen = Current(BlasChoices.Name(BlasProvider.Choice));
        if (BlasProvider.Kind == BlasKind.Managed) return [chosen];                    // nothing native to set beside it

        List<BlasUnderTest> libraries = [chosen];
        foreach (var choice in Compared.Where(c => c != chosen.Choice))
        {
            try
            {
                BlasProvider.Use(choice);
                libraries.Add(Current(BlasChoices.Name(choice)));
            }
            catch (BlasUnavailableException e)
            {
                log($"Bench: no {BlasChoices.Name(choice)} figures: {e.Message}");
            }
        }
        chosen.Use();
        return libraries;
    }

    private static BlasUnderTest Current(string setting)
    {
        bool byPath = BlasChoices.Parse(setting, out string? path) == BlasChoice.Auto && path is not null;
        return new BlasUnderTest(byPath ? "path" : BlasChoices.Name(BlasProvider.Choice), setting, BlasProvider.Choice, BlasProvider.Description);
    }
}
