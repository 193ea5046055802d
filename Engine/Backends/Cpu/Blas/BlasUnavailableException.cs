namespace GraphDL.Backends.Cpu.Blas;

/// <summary>
/// The BLAS that was asked for (GRAPHDL_BLAS, or <see cref="BlasProvider.Use(BlasChoice)"/>) cannot be had. The
/// message names the request and everything that was tried. A request is never quietly swapped for another library:
/// whoever asks for MKL and measures OpenBLAS would draw the wrong conclusion.
/// </summary>
public sealed class BlasUnavailableException(string message) : InvalidOperationException(message);
