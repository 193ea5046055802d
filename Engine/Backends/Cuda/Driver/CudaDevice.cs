using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace GraphDL.Backends.Cuda.Driver;

/// <summary>
/// The machine's first NVIDIA GPU, through the CUDA driver API and NVRTC. It works in the device's primary
/// context (the one the CUDA runtime would use too), made current on every call because any thread may call:
/// the session's thread launches, the finalizer thread frees. Kernels are compiled from
/// <see cref="KernelSources.Unity"/> by NVRTC on the first launch, once per process, for the device's compute
/// capability; launches and copies go to the null stream, so they run in order and a copy to the host waits
/// for the launches before it.
/// </summary>
internal sealed unsafe class CudaDevice : IKernelDevice
{
    /// <summary>The name the kernels' translation unit carries in NVRTC's messages.</summary>
    private const string ProgramName = "graphdl_kernels.cu";

    // Per process: every CudaDevice for the same target loads the same compiled image.
    private static readonly Lock s_compileLock = new();
    private static readonly Dictionary<NvrtcTarget, (byte[] Image, TimeSpan Time, string Log)> s_images = [];

    private readonly CudaDriver _cu;
    private readonly Nvrtc _nvrtc;
    private readonly int _device;
    private readonly nint _context;
    private readonly Lock _moduleLock = new();
    private readonly ConcurrentDictionary<string, Kernel> _kernels = new(StringComparer.Ordinal);
    private nint _module;
    private volatile bool _disposed;

    // The last launch, for errors that a kernel raises on the device and a later call reports.
    private string? _lastKernel;
    private Dim3 _lastGrid, _lastBlock;

    private readonly record struct Kernel(nint Function, int? ParameterCount);

    private CudaDevice(CudaDriver cu, Nvrtc nvrtc, int device, nint context, string deviceName, int major, int minor, int driverVersion, NvrtcTarget target)
    {
        _cu = cu;
        _nvrtc = nvrtc;
        _device = device;
        _context = context;
        DeviceName = deviceName;
        ComputeCapability = (major, minor);
        DriverVersion = new Version(driverVersion / 1000, driverVersion % 1000 / 10);
        Target = target;
    }

    /// <summary>"NVIDIA H100 80GB HBM3 (sm_90)".</summary>
    public string Name => $"{DeviceName} (sm_{ComputeCapability.Major}{ComputeCapability.Minor})";

    /// <summary>The name the driver gives the device: "NVIDIA H100 80GB HBM3".</summary>
    public string DeviceName { get; }

    public (int Major, int Minor) ComputeCapability { get; }

    /// <summary>The CUDA version the driver supports (cuDriverGetVersion): 13.0 for a CUDA 13.0 driver.</summary>
    public Version DriverVersion { get; }

    public Version NvrtcVersion => _nvrtc.Version;

    /// <summary>The NVRTC library in use (its path where it was found in a CUDA directory).</summary>
    public string NvrtcLibrary => _nvrtc.Library;

    /// <summary>What the kernels are compiled to for this device.</summary>
    public NvrtcTarget Target { get; }

    /// <summary>
    /// How long NVRTC took to compile the kernels plus how long the driver took to load them (which includes
    /// compiling PTX for the device when the target is PTX); null until the first launch or <see cref="CompileKernels"/>.
    /// The NVRTC part is counted once per process: a second device of the same kind reuses the compiled image.
    /// </summary>
    public TimeSpan? CompileTime { get; private set; }

    /// <summary>NVRTC's warnings for the kernels, empty when there were none; null until they are compiled.</summary>
    public string? CompileLog { get; private set; }

    /// <summary>
    /// Opens device 0, or returns null with a one-line reason: no driver library, cuInit failed, no device, no
    /// NVRTC, or an NVRTC that cannot compile for the device. Never throws. On a machine without CUDA it costs
    /// one failed library load.
    /// </summary>
    public static CudaDevice? TryOpen(out string? whyNot)
    {
        try
        {
            var device = Open(out whyNot);
            whyNot = whyNot?.ReplaceLineEndings(" ");
            return device;
        }
        catch (Exception e)
        {
            whyNot = $"the CUDA device could not be opened: {e.Message.ReplaceLineEndings(" ")}";
            return null;
        }
    }

    private static CudaDevice? Open(out string? whyNot)
    {
        var cu = CudaDriver.TryLoad(out whyNot);
        if (cu is null) return null;
        int driverVersion = cu.DriverVersion();
        string driver = $"{cu.Library} (CUDA {driverVersion / 1000}.{driverVersion % 1000 / 10})";
        try
        {
            cu.Init();
        }
        catch (CudaException e)
        {
            whyNot = $"the CUDA driver {driver} did not start: {e.Message}";
            return null;
        }
        if (cu.DeviceCount() == 0)
        {
            whyNot = $"the CUDA driver {driver} sees no device";
            return null;
        }
        int device = cu.Device(0);
        string name = cu.DeviceName(device);
        int major = cu.DeviceAttribute(CudaDriver.AttributeComputeCapabilityMajor, device);
        int minor = cu.DeviceAttribute(CudaDriver.AttributeComputeCapabilityMinor, device);

        var nvrtc = Nvrtc.TryLoad(driverVersion, out whyNot);
        if (nvrtc is null)
        {
            whyNot = $"{name} (sm_{major}{minor}) found, but {whyNot}";
            return null;
        }
        if (Nvrtc.ChooseTarget(major * 10 + minor, nvrtc.SupportedArchitectures) is not { } target)
        {
            whyNot = $"{name} is sm_{major}{minor}, older than every architecture NVRTC {nvrtc.Version} ({nvrtc.Library}) compiles for "
                + $"(sm_{string.Join(", sm_", nvrtc.SupportedArchitectures)})";
            return null;
        }

        nint context = cu.PrimaryContextRetain(device);
        try
        {
            cu.Check(cu.SetCurrent(context), "cuCtxSetCurrent");
        }
        catch
        {
            cu.PrimaryContextRelease(device);
            throw;
        }
        whyNot = null;
        return new CudaDevice(cu, nvrtc, device, context, name, major, minor, driverVersion, target);
    }

    /// <summary>Makes this device's context the calling thread's current one.</summary>
    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int result = _cu.SetCurrent(_context);
        if (result != CudaDriver.Success) throw Error(result, "cuCtxSetCurrent");
    }

    // Errors a kernel raises while it runs surface in whichever later call notices them, and leave the context
    // unusable; the message says so and names the last launch, the likeliest culprit.
    private CudaException Error(int code, string call, string? context = null)
    {
        bool fromKernel = code is 700 or 702 or 710 or 714 or 715 or 716 or 717 or 718 or 719;
        if (fromKernel && _lastKernel is { } kernel)
            context = $"A kernel launched before this call failed on the device (the last launch was {kernel}, grid {_lastGrid}, block {_lastBlock}); "
                + "the CUDA context cannot be used after it.";
        return _cu.Error(code, call, context);
    }

    private void Check(int result, string call)
    {
        if (result != CudaDriver.Success) throw Error(result, call);
    }

    /// <summary>Free and total device memory in bytes (cuMemGetInfo).</summary>
    public (long Free, long Total) MemoryInfo()
    {
        Enter();
        return _cu.MemoryInfo();
    }

    public DevicePtr Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        Enter();
        ulong pointer;
        int result = _cu.MemAlloc(&pointer, (nuint)bytes);
        if (result != CudaDriver.Success)
            throw Error(result, "cuMemAlloc_v2", $"It asked for {bytes} bytes.");
        return new DevicePtr(pointer);
    }

    public void Free(DevicePtr pointer)
    {
        // After Dispose the memory went with the context; the finalizers of tensors that outlive it have nothing to do.
        if (pointer == DevicePtr.Null || _disposed) return;
        Enter();
        Check(_cu.MemFree(pointer.Address), "cuMemFree_v2");
    }

    public void CopyToDevice(DevicePtr destination, ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty) return;
        Enter();
        fixed (byte* bytes = source)
            Check(_cu.MemcpyHtoD(destination.Address, bytes, (nuint)source.Length), "cuMemcpyHtoD_v2");
    }

    public void CopyToHost(Span<byte> destination, DevicePtr source)
    {
        if (destination.IsEmpty) return;
        Enter();
        fixed (byte* bytes = destination)
            Check(_cu.MemcpyDtoH(bytes, source.Address, (nuint)destination.Length), "cuMemcpyDtoH_v2");
    }

    public void CopyOnDevice(DevicePtr destination, DevicePtr source, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes == 0) return;
        Enter();
        Check(_cu.MemcpyDtoD(destination.Address, source.Address, (nuint)bytes), "cuMemcpyDtoD_v2");
    }

    public void Launch(string kernel, Dim3 grid, Dim3 block, void** args, int argCount)
    {
        if (!_kernels.TryGetValue(kernel, out var function)) function = Resolve(kernel);
        if (function.ParameterCount is { } expected && expected != argCount)
            throw new ArgumentException($"The kernel {kernel} takes {expected} parameters; the launch passed {argCount}.", nameof(argCount));
        Enter();
        int result = _cu.LaunchKernel(function.Function, grid, block, args);
        if (result != CudaDriver.Success)
            throw Error(result, "cuLaunchKernel", $"The launch was {kernel}, grid {grid}, block {block}, {argCount} arguments.");
        _lastKernel = kernel;
        _lastGrid = grid;
        _lastBlock = block;
    }

    public void Synchronize()
    {
        Enter();
        Check(_cu.Synchronize(), "cuCtxSynchronize");
    }

    /// <summary>Compiles and loads the kernels now rather than at the first launch; returns <see cref="CompileTime"/>.</summary>
    public TimeSpan CompileKernels()
    {
        lock (_moduleLock) return EnsureModule();
    }

    // The first launch of a kernel looks its function up once; later launches find it in _kernels.
    private Kernel Resolve(string kernel)
    {
        lock (_moduleLock)
        {
            if (_kernels.TryGetValue(kernel, out var known)) return known;
            EnsureModule();
            Enter();
            int length = Encoding.UTF8.GetByteCount(kernel);
            var name = new byte[length + 1];
            Encoding.UTF8.GetBytes(kernel, name);
            nint function;
            int result;
            fixed (byte* text = name) result = _cu.ModuleGetFunction(_module, text, out function);
            if (result == CudaDriver.ErrorNotFound)
                throw new InvalidOperationException(
                    $"No kernel named '{kernel}' was compiled: Kernels/*.cu define no extern \"C\" __global__ function of that name.",
                    _cu.Error(result, "cuModuleGetFunction"));
            Check(result, "cuModuleGetFunction");
            var found = new Kernel(function, _cu.ParameterCount(function));
            _kernels[kernel] = found;
            return found;
        }
    }

    // Called under _moduleLock.
    private TimeSpan EnsureModule()
    {
        if (_module != 0) return CompileTime ?? TimeSpan.Zero;
        var (image, nvrtcTime, log) = CompiledImage(Target);
        Enter();
        var load = Stopwatch.StartNew();
        try
        {
            _module = _cu.ModuleLoadData(image);
        }
        catch (CudaException e)
        {
            throw new CudaException(e.Call, e.Code, e.ErrorName,
                $"{e.Message} The image was {Target} from NVRTC {_nvrtc.Version} ({_nvrtc.Library}); the driver is CUDA {DriverVersion}.", e);
        }
        CompileLog = log;
        CompileTime = nvrtcTime + load.Elapsed;
        return CompileTime.Value;
    }

    private (byte[] Image, TimeSpan Time, string Log) CompiledImage(NvrtcTarget target)
    {
        lock (s_compileLock)
        {
            if (s_images.TryGetValue(target, out var compiled)) return (compiled.Image, TimeSpan.Zero, compiled.Log);
            var watch = Stopwatch.StartNew();
            // No --use_fast_math: the kernels must agree with the CPU backend, so division, sqrt and the
            // transcendental functions keep their IEEE-accurate forms.
            string[] options = ["--std=c++17"];
            string source = KernelSources.Unity();
            string key = KernelImageCache.Key(source, target, options, _nvrtc.Version);
            string? cacheDirectory = KernelImageCache.Directory;
            if (cacheDirectory is not null && KernelImageCache.TryRead(cacheDirectory, key) is { } cached)
            {
                compiled = (cached, watch.Elapsed, $"(from the kernel cache, {Path.Combine(cacheDirectory, key)})");
            }
            else
            {
                byte[] image = _nvrtc.Compile(source, ProgramName, target, options, out string log);
                if (cacheDirectory is not null) KernelImageCache.TryWrite(cacheDirectory, key, image);
                compiled = (image, watch.Elapsed, log);
            }
            s_images[target] = compiled;
            return compiled;
        }
    }

    public void Dispose()
    {
        lock (_moduleLock)
        {
            if (_disposed) return;
            _disposed = true;
            _kernels.Clear();
            try
            {
                if (_module != 0 && _cu.SetCurrent(_context) == CudaDriver.Success) _cu.ModuleUnload(_module);
            }
            catch (CudaException)
            {
                // The module goes with the context when the last retain of it is released, just below.
            }
            _module = 0;
            _cu.PrimaryContextRelease(_device);
        }
    }
}
