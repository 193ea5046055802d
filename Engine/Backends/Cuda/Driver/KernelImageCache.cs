using System.Security.Cryptography;
using System.Text;

namespace GraphDL.Backends.Cuda.Driver;

/// <summary>
/// Compiled kernels on disk, so that only the first program after a change to the kernels (or to the GPU or
/// NVRTC) waits for NVRTC, which takes tens of seconds for all of them. An image is filed under a hash of
/// everything that shapes it: the source, the target, the options and the NVRTC version. A file ends with the
/// SHA-256 of its image; a file that does not (truncated, damaged) is ignored and removed. The cache is a
/// convenience: when the directory cannot be written, compiling simply happens every time.
/// </summary>
internal static class KernelImageCache
{
    /// <summary>Overrides the directory (default ~/.graphdl/kernels); "off" turns the cache off.</summary>
    public const string DirectoryVariable = "GRAPHDL_KERNEL_CACHE";

    private const int HashBytes = 32;

    /// <summary>The cache directory, or null when the cache is off.</summary>
    public static string? Directory
    {
        get
        {
            string? set = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (string.Equals(set, "off", StringComparison.OrdinalIgnoreCase)) return null;
            return set is { Length: > 0 }
                ? set
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".graphdl", "kernels");
        }
    }

    /// <summary>The file name an image of <paramref name="source"/> compiled this way is kept under.</summary>
    public static string Key(string source, NvrtcTarget target, IReadOnlyList<string> options, Version nvrtcVersion)
    {
        var text = new StringBuilder(source)
            .Append('\0').Append(target.Option).Append(target.Cubin ? " cubin" : " ptx")
            .Append('\0').AppendJoin(' ', options)
            .Append('\0').Append(nvrtcVersion);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))) + ".bin";
    }

    /// <summary>The image filed under <paramref name="key"/> in <paramref name="directory"/>, or null.</summary>
    public static byte[]? TryRead(string directory, string key)
    {
        string path = Path.Combine(directory, key);
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (file.Length > HashBytes)
        {
            var image = file.AsSpan(0, file.Length - HashBytes);
            if (SHA256.HashData(image).AsSpan().SequenceEqual(file.AsSpan(file.Length - HashBytes))) return image.ToArray();
        }
        TryDelete(path);
        return null;
    }

    /// <summary>Files <paramref name="image"/> under <paramref name="key"/>: a temporary file, flushed, then renamed into place.</summary>
    public static void TryWrite(string directory, string key, byte[] image)
    {
        string path = Path.Combine(directory, key);
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(image);
                stream.Write(SHA256.HashData(image));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another process may hold it; the next reader checks it again.
        }
    }
}
