using System.Runtime.InteropServices;

namespace GraphDL.Data;

/// <summary>
/// Flushes a directory's entries to the disk. A file written, flushed and renamed into place survives a killed
/// process; surviving a power cut also needs the rename itself on the disk, which on Linux and macOS means an fsync
/// of the directory that holds the new name. .NET opens no directory as a file, so the C library does it.
/// </summary>
internal static partial class DirectorySync
{
    /// <summary>
    /// Flushes <paramref name="directory"/>'s entries; true when the system confirmed it. On Windows, where a rename is
    /// written through by the file system, and wherever the directory cannot be opened, nothing happens and the result
    /// is false: a rename that is not yet on the disk may be lost by a power cut, but is never half done.
    /// </summary>
    public static bool Flush(string directory)
    {
        if (OperatingSystem.IsWindows()) return false;
        int descriptor;
        try { descriptor = Open(directory, ReadOnly); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
        if (descriptor < 0) return false;
        try { return Fsync(descriptor) == 0; }
        finally { Close(descriptor); }
    }

    private const int ReadOnly = 0;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
