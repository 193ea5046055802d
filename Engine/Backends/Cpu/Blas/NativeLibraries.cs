using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cpu.Blas;

/// <summary>
/// Loading native libraries with what <see cref="NativeLibrary"/> does not offer on Linux: the loader's own reason
/// for a failure (a missing dependency is worth naming), the global symbol scope (MKL's threading layer expects
/// libgomp's symbols there, since it does not list libgomp as a dependency), and the file a loaded library came
/// from (to look beside it). Elsewhere it falls back to <see cref="NativeLibrary"/>, which gives none of the three.
/// </summary>
internal static unsafe class NativeLibraries
{
    private const int RtldLazy = 0x1, RtldGlobal = 0x100;

    // glibc 2.34 moved dlopen into libc.so.6; before that it lived in libdl.so.2, which newer glibc keeps as a stub
    // whose lookups reach libc. So libc first, libdl second.
    private static readonly Lazy<Dl?> Loader = new(() =>
        !OperatingSystem.IsLinux() ? null : Dl.From("libc.so.6") ?? Dl.From("libdl.so.2"));

    private sealed class Dl
    {
        public delegate* unmanaged<byte*, int, nint> Open;
        public delegate* unmanaged<byte*> Error;
        public delegate* unmanaged<nint, DlInfo*, int> Address;

        public static Dl? From(string library)
        {
            if (!NativeLibrary.TryLoad(library, out nint handle)) return null;
            if (!NativeLibrary.TryGetExport(handle, "dlopen", out nint open) || !NativeLibrary.TryGetExport(handle, "dlerror", out nint error) ||
                !NativeLibrary.TryGetExport(handle, "dladdr", out nint address))
                return null;
            return new Dl
            {
                Open = (delegate* unmanaged<byte*, int, nint>)open,
                Error = (delegate* unmanaged<byte*>)error,
                Address = (delegate* unmanaged<nint, DlInfo*, int>)address,
            };
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public nint FileName, FileBase, SymbolName, SymbolAddress;
    }

    /// <summary>
    /// Loads <paramref name="nameOrPath"/> (a bare name is searched the system's way). <paramref name="global"/> puts
    /// its symbols where libraries loaded later find them. On failure <paramref name="error"/> says why: "not found",
    /// or the loader's message (which names a missing dependency).
    /// </summary>
    public static bool TryLoad(string nameOrPath, bool global, out nint handle, out string? error)
    {
        error = null;
        var dl = Loader.Value;
        if (dl is null)
        {
            if (NativeLibrary.TryLoad(nameOrPath, out handle)) return true;
            error = "not found";
            return false;
        }
        int length = System.Text.Encoding.UTF8.GetByteCount(nameOrPath);
        var name = new byte[length + 1];
        System.Text.Encoding.UTF8.GetBytes(nameOrPath, name);
        fixed (byte* pointer = name)
        {
            dl.Error();   // clears a message left by an earlier failure
            handle = dl.Open(pointer, RtldLazy | (global ? RtldGlobal : 0));
        }
        if (handle != 0) return true;
        string message = Marshal.PtrToStringUTF8((nint)dl.Error()) ?? "";
        // The library itself missing is the common case and needs no details; anything else (a dependency missing,
        // the wrong architecture) is the loader's own words.
        bool itselfMissing = message.StartsWith(nameOrPath + ":", StringComparison.Ordinal) && message.Contains("No such file", StringComparison.Ordinal);
        error = message.Length == 0 || itselfMissing ? "not found" : message;
        return false;
    }

    /// <summary>The file the library holding <paramref name="export"/> was loaded from, or null where that cannot be told.</summary>
    public static string? FileOf(nint export)
    {
        var dl = Loader.Value;
        if (dl is null || export == 0) return null;
        DlInfo info;
        return dl.Address(export, &info) != 0 && info.FileName != 0 ? Marshal.PtrToStringUTF8(info.FileName) : null;
    }
}
