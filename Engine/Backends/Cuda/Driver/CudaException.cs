namespace GraphDL.Backends.Cuda.Driver;

/// <summary>
/// A CUDA driver call that returned a CUresult other than CUDA_SUCCESS, or an NVRTC call that returned an
/// nvrtcResult other than NVRTC_SUCCESS. The message names the call, the error by its CUDA name and number,
/// the driver's description of it and, for a failed compilation, NVRTC's log.
/// </summary>
public sealed class CudaException : Exception
{
    private const string Unknown = "unknown";

    internal CudaException(string call, int code, string errorName, string message, Exception? inner = null)
        : base(message, inner)
    {
        Call = call;
        Code = code;
        ErrorName = errorName;
    }

    /// <summary>The call that failed, as the library exports it ("cuMemAlloc_v2", "nvrtcCompileProgram").</summary>
    public string Call { get; }

    /// <summary>The CUresult or nvrtcResult the call returned.</summary>
    public int Code { get; }

    /// <summary>The result's name ("CUDA_ERROR_OUT_OF_MEMORY", "NVRTC_ERROR_COMPILATION"), or "unknown" for a code the library does not name.</summary>
    public string ErrorName { get; }

    /// <summary>
    /// The exception for a failed driver call. <paramref name="name"/> and <paramref name="description"/> look the
    /// code up (cuGetErrorName and cuGetErrorString on a real driver); either may return null for a code the
    /// driver does not know. <paramref name="context"/> is appended as a sentence of its own.
    /// </summary>
    internal static CudaException FromDriver(string call, int code, Func<int, string?> name, Func<int, string?> description, string? context = null)
    {
        string? errorName = name(code);
        string? text = description(code);
        var message = $"{call} failed with {errorName ?? "an unknown CUresult"} ({code})" + (string.IsNullOrEmpty(text) ? "." : $": {text}.");
        if (!string.IsNullOrEmpty(context)) message += " " + context;
        return new CudaException(call, code, errorName ?? Unknown, message);
    }

    /// <summary>
    /// The exception for a failed NVRTC call. NVRTC has one lookup (nvrtcGetErrorString), which gives the name;
    /// a failed compilation carries NVRTC's log, which says what was wrong in which file and line.
    /// </summary>
    internal static CudaException FromNvrtc(string call, int code, Func<int, string?> name, string? log = null)
    {
        string? errorName = name(code);
        var message = $"{call} failed with {errorName ?? "an unknown nvrtcResult"} ({code}).";
        if (!string.IsNullOrWhiteSpace(log)) message += "\nNVRTC log:\n" + log.TrimEnd();
        return new CudaException(call, code, errorName ?? Unknown, message);
    }
}
