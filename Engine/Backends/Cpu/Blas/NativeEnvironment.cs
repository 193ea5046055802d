using System.Runtime.InteropServices;
using System.Text;

namespace GraphDL.Backends.Cpu.Blas;

/// <summary>
/// Environment variables that native libraries read when they load (OPENBLAS_CORETYPE, OMP_WAIT_POLICY). On Linux,
/// .NET's Environment.SetEnvironmentVariable changes only .NET's own copy, not the C library's environ that native
/// code reads with getenv, hence glibc's setenv (named by its soname: a bare "libc" finds only the development
/// package's linker script). .NET's copy is set too, so that both say the same.
/// </summary>
internal static unsafe class NativeEnvironment
{
    private static readonly Lazy<nint> SetEnvExport = new(() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out nint libc) && NativeLibrary.TryGetExport(libc, "setenv", out nint setenv) ? setenv : 0);

    /// <summary>Sets <paramref name="name"/> unless the user set it; returns whether it is now <paramref name="value"/> for native code too.</summary>
    public static bool SetUnlessSet(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } users) return users == value;
        if (SetEnvExport.Value == 0) return false;
        fixed (byte* n = Encoding.UTF8.GetBytes(name + "\0"), v = Encoding.UTF8.GetBytes(value + "\0"))
            if (((delegate* unmanaged<byte*, byte*, int, int>)SetEnvExport.Value)(n, v, 1) != 0) return false;
        Environment.SetEnvironmentVariable(name, value);
        return true;
    }
}
