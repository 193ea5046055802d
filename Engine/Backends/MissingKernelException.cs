namespace GraphDL;

/// <summary>
/// Thrown by a backend primitive, before it changes anything, when the backend cannot serve the request (no kernel
/// for the primitive or for its dtypes). A session then runs that node on the backend's <see cref="IBackend.Host"/>
/// between copies, and says so once.
/// </summary>
public sealed class MissingKernelException(string primitive, string detail)
    : NotSupportedException($"no kernel for {primitive}: {detail}.")
{
    /// <summary>The <see cref="IBackend"/> method that had no kernel.</summary>
    public string Primitive { get; } = primitive;
}
