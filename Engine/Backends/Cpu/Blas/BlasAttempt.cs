namespace GraphDL.Backends.Cpu.Blas;

/// <summary>
/// One library the BLAS search tried: its family, the name or path it was loaded by, and why it was passed over
/// (null for the one in use). <see cref="BlasProvider.Tried"/> lists them in the order they were tried.
/// </summary>
public sealed record BlasAttempt(string Family, string Library, string? PassedOver)
{
    /// <summary>"MKL libmkl_rt.so: not found", or "...: in use" for the library chosen.</summary>
    public override string ToString() => $"{Family} {Library}: {PassedOver ?? "in use"}";
}
