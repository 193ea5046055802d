namespace GraphDL.Backends.Cpu;

/// <summary>
/// Switches for timing the CPU backend's current choices against the ones they replaced, in one process and in turns
/// (<c>Bench --mlp-ab</c>): what a change gains is seen under the same load on both sides. Both sides compute the
/// same values within float rounding.
/// </summary>
internal static class CpuTuning
{
    /// <summary>True: the replaced elementwise paths run (a broadcast binary op's rows, such as a bias over a batch, on one core).</summary>
    public static bool EarlierPaths { get; set; }

    /// <summary>
    /// Matrix products below this many floating-point operations run on one BLAS thread (see
    /// <see cref="Blas.NativeBlas.SingleThreadBelowFlops"/>, the default).
    /// </summary>
    public static long SingleThreadBelowFlops { get; set; } = Blas.NativeBlas.SingleThreadBelowFlops;
}
