using System.Runtime.InteropServices;
using System.Text;

namespace GraphDL.Backends.Cuda.Driver;

/// <summary>
/// The CUDA driver API (libcuda.so.1, nvcuda.dll), bound through function pointers to the exported symbols.
/// Where cuda.h maps a name onto a versioned symbol (cuMemAlloc to cuMemAlloc_v2: 64-bit device pointers and
/// size_t sizes), the versioned symbol is the one bound. Every wrapper turns a CUresult other than
/// CUDA_SUCCESS into a <see cref="CudaException"/>. Types: CUdevice is int, CUdeviceptr is a 64-bit unsigned
/// integer, CUcontext/CUmodule/CUfunction/CUstream are opaque pointers, sizes are size_t.
/// </summary>
internal sealed unsafe class CudaDriver
{
    public const int Success = 0;
    public const int ErrorInvalidValue = 1;
    public const int ErrorNotFound = 500;

    // CUdevice_attribute values from cuda.h.
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;

    private readonly delegate* unmanaged<uint, int> _init;
    private readonly delegate* unmanaged<int*, int> _driverGetVersion;
    private readonly delegate* unmanaged<int, byte**, int> _getErrorName;
    private readonly delegate* unmanaged<int, byte**, int> _getErrorString;
    private readonly delegate* unmanaged<int*, int> _deviceGetCount;
    private readonly delegate* unmanaged<int*, int, int> _deviceGet;
    private readonly delegate* unmanaged<byte*, int, int, int> _deviceGetName;
    private readonly delegate* unmanaged<int*, int, int, int> _deviceGetAttribute;
    private readonly delegate* unmanaged<nint*, int, int> _primaryCtxRetain;
    private readonly delegate* unmanaged<int, int> _primaryCtxRelease;
    private readonly delegate* unmanaged<nint, int> _ctxSetCurrent;
    private readonly delegate* unmanaged<int> _ctxSynchronize;
    private readonly delegate* unmanaged<nuint*, nuint*, int> _memGetInfo;
    private readonly delegate* unmanaged<ulong*, nuint, int> _memAlloc;
    private readonly delegate* unmanaged<ulong, int> _memFree;
    private readonly delegate* unmanaged<ulong, void*, nuint, int> _memcpyHtoD;
    private readonly delegate* unmanaged<void*, ulong, nuint, int> _memcpyDtoH;
    private readonly delegate* unmanaged<ulong, ulong, nuint, int> _memcpyDtoD;
    private readonly delegate* unmanaged<nint*, void*, int> _moduleLoadData;
    private readonly delegate* unmanaged<nint, int> _moduleUnload;
    private readonly delegate* unmanaged<nint*, nint, byte*, int> _moduleGetFunction;
    private readonly delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, int> _launchKernel;

    // CUDA 12.4 and later; older drivers launch without the argument-count check.
    private readonly delegate* unmanaged<nint, nuint, nuint*, nuint*, int> _funcGetParamInfo;

    /// <summary>The library's file name as it was loaded.</summary>
    public string Library { get; }

    private CudaDriver(string library, nint handle)
    {
        Library = library;
        _init = (delegate* unmanaged<uint, int>)Export(handle, "cuInit");
        _driverGetVersion = (delegate* unmanaged<int*, int>)Export(handle, "cuDriverGetVersion");
        _getErrorName = (delegate* unmanaged<int, byte**, int>)Export(handle, "cuGetErrorName");
        _getErrorString = (delegate* unmanaged<int, byte**, int>)Export(handle, "cuGetErrorString");
        _deviceGetCount = (delegate* unmanaged<int*, int>)Export(handle, "cuDeviceGetCount");
        _deviceGet = (delegate* unmanaged<int*, int, int>)Export(handle, "cuDeviceGet");
        _deviceGetName = (delegate* unmanaged<byte*, int, int, int>)Export(handle, "cuDeviceGetName");
        _deviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)Export(handle, "cuDeviceGetAttribute");
        _primaryCtxRetain = (delegate* unmanaged<nint*, int, int>)Export(handle, "cuDevicePrimaryCtxRetain");
        _primaryCtxRelease = (delegate* unmanaged<int, int>)Export(handle, "cuDevicePrimaryCtxRelease_v2");
        _ctxSetCurrent = (delegate* unmanaged<nint, int>)Export(handle, "cuCtxSetCurrent");
        _ctxSynchronize = (delegate* unmanaged<int>)Export(handle, "cuCtxSynchronize");
        _memGetInfo = (delegate* unmanaged<nuint*, nuint*, int>)Export(handle, "cuMemGetInfo_v2");
        _memAlloc = (delegate* unmanaged<ulong*, nuint, int>)Export(handle, "cuMemAlloc_v2");
        _memFree = (delegate* unmanaged<ulong, int>)Export(handle, "cuMemFree_v2");
        _memcpyHtoD = (delegate* unmanaged<ulong, void*, nuint, int>)Export(handle, "cuMemcpyHtoD_v2");
        _memcpyDtoH = (delegate* unmanaged<void*, ulong, nuint, int>)Export(handle, "cuMemcpyDtoH_v2");
        _memcpyDtoD = (delegate* unmanaged<ulong, ulong, nuint, int>)Export(handle, "cuMemcpyDtoD_v2");
        _moduleLoadData = (delegate* unmanaged<nint*, void*, int>)Export(handle, "cuModuleLoadData");
        _moduleUnload = (delegate* unmanaged<nint, int>)Export(handle, "cuModuleUnload");
        _moduleGetFunction = (delegate* unmanaged<nint*, nint, byte*, int>)Export(handle, "cuModuleGetFunction");
        _launchKernel = (delegate* unmanaged<nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**, int>)Export(handle, "cuLaunchKernel");
        if (NativeLibrary.TryGetExport(handle, "cuFuncGetParamInfo", out nint paramInfo))
            _funcGetParamInfo = (delegate* unmanaged<nint, nuint, nuint*, nuint*, int>)paramInfo;
    }

    /// <summary>The driver library's names on this operating system, in the order they are tried.</summary>
    public static IReadOnlyList<string> LibraryNames =>
        OperatingSystem.IsWindows() ? ["nvcuda.dll"] : OperatingSystem.IsLinux() ? ["libcuda.so.1"] : [];

    /// <summary>
    /// Loads the driver library and binds its calls, or returns null with the reason. Nothing is initialised:
    /// on a machine without CUDA this costs one failed library load.
    /// </summary>
    public static CudaDriver? TryLoad(out string? whyNot)
    {
        if (LibraryNames.Count == 0)
        {
            whyNot = $"no CUDA driver: CUDA runs on Linux and Windows, not on {RuntimeInformation.OSDescription}";
            return null;
        }
        foreach (string name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, out nint handle)) continue;
            try
            {
                whyNot = null;
                return new CudaDriver(name, handle);
            }
            catch (EntryPointNotFoundException e)
            {
                // A driver older than the calls bound here; keep the handle, a loaded driver is not unloaded.
                whyNot = $"the CUDA driver {name} is too old: {e.Message}";
                return null;
            }
        }
        whyNot = $"no CUDA driver: {string.Join(", ", LibraryNames)} could not be loaded";
        return null;
    }

    private static nint Export(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"it does not export {name}");

    /// <summary>cuGetErrorName: "CUDA_ERROR_OUT_OF_MEMORY", or null for a code the driver does not know.</summary>
    public string? ErrorName(int code)
    {
        byte* text = null;
        return _getErrorName(code, &text) == Success && text != null ? Marshal.PtrToStringUTF8((nint)text) : null;
    }

    /// <summary>cuGetErrorString: "out of memory", or null for a code the driver does not know.</summary>
    public string? ErrorString(int code)
    {
        byte* text = null;
        return _getErrorString(code, &text) == Success && text != null ? Marshal.PtrToStringUTF8((nint)text) : null;
    }

    public CudaException Error(int code, string call, string? context = null) =>
        CudaException.FromDriver(call, code, ErrorName, ErrorString, context);

    public void Check(int result, string call)
    {
        if (result != Success) throw Error(result, call);
    }

    public void Init() => Check(_init(0), "cuInit");

    /// <summary>cuDriverGetVersion: 1000 * major + 10 * minor (13000 for CUDA 13.0). Works before cuInit.</summary>
    public int DriverVersion()
    {
        int version;
        Check(_driverGetVersion(&version), "cuDriverGetVersion");
        return version;
    }

    public int DeviceCount()
    {
        int count;
        Check(_deviceGetCount(&count), "cuDeviceGetCount");
        return count;
    }

    public int Device(int ordinal)
    {
        int device;
        Check(_deviceGet(&device, ordinal), "cuDeviceGet");
        return device;
    }

    public string DeviceName(int device)
    {
        const int capacity = 256;
        byte* name = stackalloc byte[capacity];
        Check(_deviceGetName(name, capacity, device), "cuDeviceGetName");
        var text = new ReadOnlySpan<byte>(name, capacity);
        int length = text.IndexOf((byte)0);
        return Encoding.UTF8.GetString(length >= 0 ? text[..length] : text);
    }

    public int DeviceAttribute(int attribute, int device)
    {
        int value;
        Check(_deviceGetAttribute(&value, attribute, device), "cuDeviceGetAttribute");
        return value;
    }

    public nint PrimaryContextRetain(int device)
    {
        nint context;
        Check(_primaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
        return context;
    }

    public void PrimaryContextRelease(int device) => Check(_primaryCtxRelease(device), "cuDevicePrimaryCtxRelease_v2");

    /// <summary>cuCtxSetCurrent without the check, for the hot paths that check the result themselves.</summary>
    public int SetCurrent(nint context) => _ctxSetCurrent(context);

    public int Synchronize() => _ctxSynchronize();

    public (long Free, long Total) MemoryInfo()
    {
        nuint free, total;
        Check(_memGetInfo(&free, &total), "cuMemGetInfo_v2");
        return ((long)free, (long)total);
    }

    public int MemAlloc(ulong* pointer, nuint bytes) => _memAlloc(pointer, bytes);

    public int MemFree(ulong pointer) => _memFree(pointer);

    public int MemcpyHtoD(ulong destination, void* source, nuint bytes) => _memcpyHtoD(destination, source, bytes);

    public int MemcpyDtoH(void* destination, ulong source, nuint bytes) => _memcpyDtoH(destination, source, bytes);

    public int MemcpyDtoD(ulong destination, ulong source, nuint bytes) => _memcpyDtoD(destination, source, bytes);

    /// <summary>cuModuleLoadData: <paramref name="image"/> is a CUBIN, or PTX text ending in a zero byte.</summary>
    public nint ModuleLoadData(ReadOnlySpan<byte> image)
    {
        nint module;
        fixed (byte* bytes = image)
            Check(_moduleLoadData(&module, bytes), "cuModuleLoadData");
        return module;
    }

    public void ModuleUnload(nint module) => Check(_moduleUnload(module), "cuModuleUnload");

    /// <summary>cuModuleGetFunction by a zero-terminated UTF-8 name; returns the CUresult (CUDA_ERROR_NOT_FOUND for an unknown name).</summary>
    public int ModuleGetFunction(nint module, byte* name, out nint function)
    {
        nint f;
        int result = _moduleGetFunction(&f, module, name);
        function = f;
        return result;
    }

    /// <summary>cuLaunchKernel on the null stream with no dynamic shared memory and no <c>extra</c> buffer.</summary>
    public int LaunchKernel(nint function, Dim3 grid, Dim3 block, void** args) =>
        _launchKernel(function, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z, 0, 0, args, null);

    /// <summary>
    /// How many parameters the kernel takes, from cuFuncGetParamInfo, or null where the driver cannot say. The
    /// driver reports an index past the last parameter as CUDA_ERROR_INVALID_VALUE; any other stop leaves the
    /// count unknown rather than wrong.
    /// </summary>
    public int? ParameterCount(nint function)
    {
        if (_funcGetParamInfo == null) return null;
        const int limit = 4096;
        for (int i = 0; i < limit; i++)
        {
            nuint offset, size;
            int result = _funcGetParamInfo(function, (nuint)i, &offset, &size);
            if (result == Success) continue;
            return result == ErrorInvalidValue && i > 0 ? i : null;
        }
        return null;
    }
}
