using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace GraphDL.Backends.Cuda.Driver;

/// <summary>
/// What NVRTC compiles the kernels to: a CUBIN for the device's own architecture ("sm_90"), or, when this NVRTC
/// does not know the device's architecture, PTX for the highest one it knows below it ("compute_90"), which the
/// driver compiles for the device when it loads the module.
/// </summary>
internal readonly record struct NvrtcTarget(string Architecture, bool Cubin)
{
    public string Option => $"--gpu-architecture={Architecture}";

    public override string ToString() => Cubin ? $"CUBIN for {Architecture}" : $"PTX for {Architecture}, compiled further by the driver";
}

/// <summary>
/// The CUDA runtime compiler, bound through function pointers like <see cref="CudaDriver"/>. Every nvrtcResult
/// other than NVRTC_SUCCESS becomes a <see cref="CudaException"/>; a failed compilation carries NVRTC's log.
/// </summary>
internal sealed unsafe class Nvrtc
{
    private const int Success = 0;

    /// <summary>The environment variable that names the NVRTC library's full path, tried instead of the search.</summary>
    public const string OverrideVariable = "GRAPHDL_NVRTC";

    private static readonly string[] LinuxNames = ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"];
    private static readonly string[] WindowsNames = ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll"];

    private readonly delegate* unmanaged<int, byte*> _getErrorString;
    private readonly delegate* unmanaged<int*, int*, int> _version;
    private readonly delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int> _createProgram;
    private readonly delegate* unmanaged<nint, int, byte**, int> _compileProgram;
    private readonly delegate* unmanaged<nint*, int> _destroyProgram;
    private readonly delegate* unmanaged<nint, nuint*, int> _getProgramLogSize;
    private readonly delegate* unmanaged<nint, byte*, int> _getProgramLog;
    private readonly delegate* unmanaged<nint, nuint*, int> _getCubinSize;
    private readonly delegate* unmanaged<nint, byte*, int> _getCubin;
    private readonly delegate* unmanaged<nint, nuint*, int> _getPtxSize;
    private readonly delegate* unmanaged<nint, byte*, int> _getPtx;

    /// <summary>The path or name the library was loaded by.</summary>
    public string Library { get; }

    public Version Version { get; }

    /// <summary>The architectures (major * 10 + minor) this NVRTC compiles CUBINs for, ascending; empty where it cannot say.</summary>
    public IReadOnlyList<int> SupportedArchitectures { get; }

    private Nvrtc(string library, nint handle)
    {
        Library = library;
        _getErrorString = (delegate* unmanaged<int, byte*>)Export(handle, "nvrtcGetErrorString");
        _version = (delegate* unmanaged<int*, int*, int>)Export(handle, "nvrtcVersion");
        _createProgram = (delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int>)Export(handle, "nvrtcCreateProgram");
        _compileProgram = (delegate* unmanaged<nint, int, byte**, int>)Export(handle, "nvrtcCompileProgram");
        _destroyProgram = (delegate* unmanaged<nint*, int>)Export(handle, "nvrtcDestroyProgram");
        _getProgramLogSize = (delegate* unmanaged<nint, nuint*, int>)Export(handle, "nvrtcGetProgramLogSize");
        _getProgramLog = (delegate* unmanaged<nint, byte*, int>)Export(handle, "nvrtcGetProgramLog");
        _getCubinSize = (delegate* unmanaged<nint, nuint*, int>)Export(handle, "nvrtcGetCUBINSize");
        _getCubin = (delegate* unmanaged<nint, byte*, int>)Export(handle, "nvrtcGetCUBIN");
        _getPtxSize = (delegate* unmanaged<nint, nuint*, int>)Export(handle, "nvrtcGetPTXSize");
        _getPtx = (delegate* unmanaged<nint, byte*, int>)Export(handle, "nvrtcGetPTX");

        int major, minor;
        Check(_version(&major, &minor), "nvrtcVersion");
        Version = new Version(major, minor);
        SupportedArchitectures = QuerySupportedArchitectures(handle);
    }

    private int[] QuerySupportedArchitectures(nint handle)
    {
        // Both calls arrived in CUDA 11.2; an older NVRTC is trusted to know the device.
        if (!NativeLibrary.TryGetExport(handle, "nvrtcGetNumSupportedArchs", out nint countExport) ||
            !NativeLibrary.TryGetExport(handle, "nvrtcGetSupportedArchs", out nint listExport))
            return [];
        int count;
        Check(((delegate* unmanaged<int*, int>)countExport)(&count), "nvrtcGetNumSupportedArchs");
        var architectures = new int[Math.Max(count, 0)];
        fixed (int* list = architectures)
            if (count > 0) Check(((delegate* unmanaged<int*, int>)listExport)(list), "nvrtcGetSupportedArchs");
        Array.Sort(architectures);
        return architectures;
    }

    private static nint Export(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"it does not export {name}");

    /// <summary>
    /// Loads NVRTC: the library <see cref="OverrideVariable"/> names, or else the first of <see cref="Candidates"/>
    /// that loads. A library newer than the driver (<paramref name="driverVersion"/>, as cuDriverGetVersion gives
    /// it) is passed over while an older one loads, because the driver may refuse what a newer compiler emits.
    /// </summary>
    public static Nvrtc? TryLoad(int driverVersion, out string? whyNot)
    {
        bool windows = OperatingSystem.IsWindows();
        var candidates = Candidates(Environment.GetEnvironmentVariable, windows, ListFiles);
        int driverMajor = driverVersion / 1000;
        var notes = new List<string>();
        Nvrtc? newerThanDriver = null;
        foreach (string candidate in candidates)
        {
            if (!TryLoadLibrary(candidate, notes, out nint handle)) continue;
            Nvrtc nvrtc;
            try
            {
                nvrtc = new Nvrtc(candidate, handle);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or CudaException)
            {
                notes.Add($"{candidate}: {e.Message}");
                continue;
            }
            if (driverMajor == 0 || nvrtc.Version.Major <= driverMajor)
            {
                nvrtc.PreloadBuiltins(windows);
                whyNot = null;
                return nvrtc;
            }
            notes.Add($"{candidate} is NVRTC {nvrtc.Version}, newer than the driver's CUDA {driverMajor}.{driverVersion % 1000 / 10}");
            newerThanDriver ??= nvrtc;
        }
        if (newerThanDriver is not null)
        {
            // Worth a try: loading the module says clearly if the driver cannot take it.
            newerThanDriver.PreloadBuiltins(windows);
            whyNot = null;
            return newerThanDriver;
        }
        string searched = Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } path
            ? $"{OverrideVariable}={path}"
            : $"{string.Join(", ", windows ? ["nvrtc64_*_0.dll", .. WindowsNames] : LinuxNames)} on the library path and in "
              + string.Join(", ", SearchDirectories(Environment.GetEnvironmentVariable, windows)) + $"; set {OverrideVariable} to the library's full path";
        whyNot = $"NVRTC could not be loaded (tried {searched})" + (notes.Count > 0 ? $"; {string.Join("; ", notes)}" : "");
        return null;
    }

    /// <summary>NVRTC from one library file, whatever the driver (the tests compile the kernels with a known NVRTC on machines without a GPU).</summary>
    internal static Nvrtc? TryLoadFile(string path, out string? whyNot)
    {
        var notes = new List<string>();
        if (TryLoadLibrary(path, notes, out nint handle))
        {
            var nvrtc = new Nvrtc(path, handle);
            nvrtc.PreloadBuiltins(OperatingSystem.IsWindows());
            whyNot = null;
            return nvrtc;
        }
        whyNot = string.Join("; ", notes);
        return null;
    }

    /// <summary>
    /// The libraries to try, in order: only <see cref="OverrideVariable"/>'s path when it is set; on Linux the
    /// versioned names on the loader's path, then the same names in the CUDA directories; on Windows every
    /// nvrtc64_*_0.dll in the CUDA and PATH directories, newest first, then the names alone.
    /// </summary>
    internal static IReadOnlyList<string> Candidates(Func<string, string?> environment, bool windows, Func<string, string, IEnumerable<string>> listFiles)
    {
        if (environment(OverrideVariable) is { Length: > 0 } overridden) return [overridden];
        var directories = SearchDirectories(environment, windows);
        if (!windows)
            return [.. LinuxNames, .. directories.SelectMany(d => LinuxNames.Select(n => Path.Combine(d, n)))];
        var found = directories
            .SelectMany(d => listFiles(d, "nvrtc64_*_0.dll").Select(f => (Path: Path.Combine(d, Path.GetFileName(f)), Version: WindowsVersion(f))))
            .Where(f => f.Version > 0)
            .OrderByDescending(f => f.Version)
            .Select(f => f.Path);
        return [.. found.Distinct(StringComparer.OrdinalIgnoreCase), .. WindowsNames];
    }

    private static List<string> SearchDirectories(Func<string, string?> environment, bool windows)
    {
        var directories = new List<string>();
        void Add(string? directory)
        {
            if (!string.IsNullOrWhiteSpace(directory) && !directories.Contains(directory, windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal))
                directories.Add(directory);
        }
        if (windows)
        {
            // CUDA 13 moved the Windows DLLs into bin\x64.
            if (environment("CUDA_PATH") is { Length: > 0 } cudaPath)
            {
                Add(Path.Combine(cudaPath, "bin", "x64"));
                Add(Path.Combine(cudaPath, "bin"));
            }
            foreach (string directory in (environment("PATH") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                Add(directory);
        }
        else
        {
            if (environment("CUDA_HOME") is { Length: > 0 } cudaHome) Add(Path.Combine(cudaHome, "lib64"));
            if (environment("CUDA_PATH") is { Length: > 0 } cudaPath) Add(Path.Combine(cudaPath, "lib64"));
            Add("/usr/local/cuda/lib64");
            Add("/usr/local/cuda/targets/x86_64-linux/lib");
        }
        return directories;
    }

    // nvrtc64_120_0.dll -> 120; anything else -> 0.
    private static int WindowsVersion(string file)
    {
        string name = Path.GetFileName(file);
        const string prefix = "nvrtc64_", suffix = "_0.dll";
        if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || !name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return 0;
        return int.TryParse(name.AsSpan(prefix.Length, name.Length - prefix.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int version) ? version : 0;
    }

    private static IEnumerable<string> ListFiles(string directory, string pattern)
    {
        try
        {
            return Directory.Exists(directory) ? Directory.GetFiles(directory, pattern) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return [];
        }
    }

    // A bare name goes to the system loader silently; a path that exists but will not load says why.
    private static bool TryLoadLibrary(string candidate, List<string> notes, out nint handle)
    {
        handle = 0;
        if (!Path.IsPathRooted(candidate)) return NativeLibrary.TryLoad(candidate, out handle);
        if (!File.Exists(candidate)) return false;
        try
        {
            handle = NativeLibrary.Load(candidate);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            // The loader's own words ("file too short", "wrong ELF class") close the message, after advice on tools.
            string reason = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? e.GetType().Name;
            notes.Add(reason.StartsWith(candidate, StringComparison.Ordinal) ? reason : $"{candidate}: {reason}");
            return false;
        }
    }

    /// <summary>
    /// NVRTC opens its builtins library (libnvrtc-builtins.so.X.Y, nvrtc-builtins64_XY.dll) by name when it first
    /// compiles, so one that sits beside NVRTC in a directory the loader does not search is not found. Loading it
    /// from that directory first makes the later open by name find the loaded copy.
    /// </summary>
    private void PreloadBuiltins(bool windows)
    {
        if (!Path.IsPathRooted(Library) || Path.GetDirectoryName(Library) is not { } directory) return;
        var builtins = windows
            ? ListFiles(directory, "nvrtc-builtins64_*.dll")
            : [Path.Combine(directory, $"libnvrtc-builtins.so.{Version.Major}.{Version.Minor}")];
        foreach (string file in builtins)
            if (File.Exists(file)) NativeLibrary.TryLoad(file, out _);
    }

    /// <summary>
    /// The target for a device of architecture <paramref name="deviceArchitecture"/> (major * 10 + minor) given the
    /// architectures this NVRTC lists: a CUBIN for the device's own when listed (or when the list is empty: an
    /// NVRTC too old to list is trusted), else PTX for the highest listed below it, else null (the device is older
    /// than anything this NVRTC compiles for).
    /// </summary>
    internal static NvrtcTarget? ChooseTarget(int deviceArchitecture, IReadOnlyCollection<int> supported)
    {
        if (supported.Count == 0 || supported.Contains(deviceArchitecture)) return new NvrtcTarget($"sm_{deviceArchitecture}", Cubin: true);
        int below = supported.Where(a => a < deviceArchitecture).DefaultIfEmpty(0).Max();
        return below == 0 ? null : new NvrtcTarget($"compute_{below}", Cubin: false);
    }

    /// <summary>nvrtcGetErrorString: the result's name ("NVRTC_ERROR_COMPILATION").</summary>
    public string? ErrorName(int code)
    {
        byte* text = _getErrorString(code);
        return text == null ? null : Marshal.PtrToStringUTF8((nint)text);
    }

    private void Check(int result, string call, string? log = null)
    {
        if (result != Success) throw CudaException.FromNvrtc(call, result, ErrorName, log);
    }

    /// <summary>
    /// Compiles one translation unit and returns the CUBIN, or the PTX text with its terminating zero byte (as
    /// cuModuleLoadData wants it), for <paramref name="target"/>. <paramref name="log"/> receives NVRTC's
    /// warnings; a failed compilation throws with the log in the message.
    /// </summary>
    public byte[] Compile(string source, string name, NvrtcTarget target, IReadOnlyList<string> options, out string log)
    {
        var strings = new List<nint>();
        nint program = 0;
        try
        {
            byte* sourceText = Utf8(source, strings);
            byte* programName = Utf8(name, strings);
            Check(_createProgram(&program, sourceText, programName, 0, null, null), "nvrtcCreateProgram");

            var optionPointers = new nint[options.Count + 1];
            optionPointers[0] = (nint)Utf8(target.Option, strings);
            for (int i = 0; i < options.Count; i++) optionPointers[i + 1] = (nint)Utf8(options[i], strings);
            int result;
            fixed (nint* optionArray = optionPointers)
                result = _compileProgram(program, optionPointers.Length, (byte**)optionArray);
            log = ProgramLog(program);
            Check(result, "nvrtcCompileProgram", log);

            nuint size;
            byte[] image;
            if (target.Cubin)
            {
                Check(_getCubinSize(program, &size), "nvrtcGetCUBINSize");
                image = new byte[size];
                fixed (byte* bytes = image) Check(_getCubin(program, bytes), "nvrtcGetCUBIN");
            }
            else
            {
                Check(_getPtxSize(program, &size), "nvrtcGetPTXSize");
                image = new byte[size];
                fixed (byte* bytes = image) Check(_getPtx(program, bytes), "nvrtcGetPTX");
            }
            if (image.Length == 0) throw new CudaException(target.Cubin ? "nvrtcGetCUBIN" : "nvrtcGetPTX", Success, "NVRTC_SUCCESS", $"NVRTC compiled {name} to an empty {target}.");
            return image;
        }
        finally
        {
            if (program != 0) _destroyProgram(&program);
            foreach (nint s in strings) Marshal.FreeCoTaskMem(s);
        }
    }

    private string ProgramLog(nint program)
    {
        nuint size;
        Check(_getProgramLogSize(program, &size), "nvrtcGetProgramLogSize");
        if (size <= 1) return "";
        var text = new byte[size];
        fixed (byte* bytes = text) Check(_getProgramLog(program, bytes), "nvrtcGetProgramLog");
        int length = Array.IndexOf(text, (byte)0);
        return Encoding.UTF8.GetString(text, 0, length >= 0 ? length : text.Length).TrimEnd();
    }

    private static byte* Utf8(string text, List<nint> allocated)
    {
        nint pointer = Marshal.StringToCoTaskMemUTF8(text);
        allocated.Add(pointer);
        return (byte*)pointer;
    }
}
