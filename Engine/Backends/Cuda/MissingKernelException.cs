namespace GraphDL.Backends.Cuda;

/// <summary>
/// Thrown by a <see cref="CudaBackend"/> primitive, before it changes anything, when it has no kernel for the
/// request (a primitive or a dtype). The session then runs that node on the CPU and says so once.
/// </summary>
public sealed class MissingKernelException(string primitive, string detail)
    : NotSupportedException($"The GPU backend has no kernel for {primitive}: {detail}.")
{
    public string Primitive { get; } = primitive;
}
