using System.Runtime.InteropServices;
using System.Text;

namespace GraphDL.Backends.Cuda.Emulation;

/// <summary>
/// The kernels of <c>Kernels/*.cu</c> run on CPU threads by the host emulation (<c>Kernels/emu/</c>, built into
/// libgraphdl_emu.so by scripts/build-emu.sh, which the build runs). Device memory is host memory, set up to expose kernel bugs
/// that a GPU would hide or report late: a fresh allocation is filled with 0xFF bytes (NaN as float, -1 as
/// int), so a kernel that reads memory nobody wrote shows it; every allocation sits between guard bytes that
/// are checked after each launch, so a kernel that writes outside its buffer fails at that launch, by name.
/// </summary>
internal sealed unsafe class EmulatedDevice : IKernelDevice
{
    /// <summary>The library's file name, looked for under Kernels/emu/build/ of the repository.</summary>
    public const string LibraryName = "libgraphdl_emu.so";

    /// <summary>Set to the library's full path to use a build elsewhere than Kernels/emu/build/.</summary>
    public const string LibraryVariable = "GRAPHDL_EMU_LIB";

    private const nuint Alignment = 256;

    // Guard zones on both sides of every allocation: the front one keeps the returned pointer aligned, the
    // back one spans the padding up to the next multiple of 256 plus 256 more bytes.
    private const long GuardBytes = 256;

    // The guard pattern, as a float a NaN that no arithmetic produces (computed NaNs are 0x7fc00000 or
    // 0xffc00000), so a stray NaN store is caught, and a stray read yields NaN; as an int it is far out of
    // any index range.
    private const uint GuardWord = 0x7fa5a5a5;

    private readonly nint _library;
    private readonly delegate* unmanaged<byte*, uint, uint, uint, uint, uint, uint, void**, int, int> _launch;
    private readonly delegate* unmanaged<byte*> _lastError;
    private readonly object _lock = new();
    private readonly SortedList<ulong, Allocation> _allocations = [];
    private bool _disposed;

    private sealed record Allocation(nint Block, ulong Address, long Bytes, long Span)
    {
        public ulong End => Address + (ulong)Bytes;
    }

    private EmulatedDevice(nint library, string path)
    {
        _library = library;
        LibraryPath = path;
        _launch = (delegate* unmanaged<byte*, uint, uint, uint, uint, uint, uint, void**, int, int>)Export("graphdl_emu_launch");
        _lastError = (delegate* unmanaged<byte*>)Export("graphdl_emu_last_error");
        var count = (delegate* unmanaged<int>)Export("graphdl_emu_kernel_count");
        var name = (delegate* unmanaged<int, byte*>)Export("graphdl_emu_kernel_name");
        var kernels = new List<string>();
        for (int i = 0, n = count(); i < n; i++) kernels.Add(Marshal.PtrToStringUTF8((nint)name(i)) ?? "");
        Kernels = kernels;
    }

    public string Name => "host emulation";

    /// <summary>The library the kernels were loaded from.</summary>
    public string LibraryPath { get; }

    /// <summary>The extern "C" names of the kernels the library holds, in source order.</summary>
    public IReadOnlyList<string> Kernels { get; }

    /// <summary>Loads the emulator library; an error names where it looked and how to build it.</summary>
    public static EmulatedDevice Open()
    {
        string path = FindLibrary();
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"The kernel emulator library was not found at {path}. The build makes it when g++ and cmake are installed " +
                $"(Debian/Ubuntu: sudo apt-get install g++ cmake; it runs on Linux only); by hand: `bash scripts/build-emu.sh`" +
                $" (or set {LibraryVariable} to its path).");
        if (!NativeLibrary.TryLoad(path, out nint library))
            throw new InvalidOperationException(
                $"The kernel emulator library {path} could not be loaded; rebuild it with `bash scripts/build-emu.sh`.");
        return new EmulatedDevice(library, path);
    }

    private static string FindLibrary()
    {
        if (Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } explicitPath) return Path.GetFullPath(explicitPath);
        string relative = Path.Combine("Kernels", "emu", "build", LibraryName);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
            // The repository root: the library belongs here even when it is not built yet.
            if (File.Exists(Path.Combine(dir.FullName, "GraphDL.sln"))) return candidate;
        }
        return Path.Combine(AppContext.BaseDirectory, relative);
    }

    private nint Export(string name) => NativeLibrary.TryGetExport(_library, name, out nint address)
        ? address
        : throw new InvalidOperationException($"The kernel emulator library {LibraryPath} lacks {name}; rebuild it with `bash scripts/build-emu.sh`.");

    public DevicePtr Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        long padded = (bytes + (long)Alignment - 1) / (long)Alignment * (long)Alignment;
        long span = GuardBytes + padded + GuardBytes;
        var block = (nint)NativeMemory.AlignedAlloc((nuint)span, Alignment);
        if (block == 0) throw new OutOfMemoryException($"The emulated device could not allocate {bytes:N0} bytes.");
        var allocation = new Allocation(block, (ulong)(block + (nint)GuardBytes), bytes, span);
        Fill(allocation);
        lock (_lock)
        {
            ThrowIfDisposed();
            _allocations.Add(allocation.Address, allocation);
        }
        return new DevicePtr(allocation.Address);
    }

    public void Free(DevicePtr pointer)
    {
        Allocation allocation;
        lock (_lock)
        {
            if (_disposed) return; // everything was released with the device
            if (!_allocations.Remove(pointer.Address, out allocation!))
                throw new InvalidOperationException(
                    Find(pointer.Address, 1) is { } inside
                        ? $"Cannot free {pointer}: it points {pointer.Address - inside.Address:N0} bytes into a {inside.Bytes:N0}-byte buffer, not at its start."
                        : $"Cannot free {pointer}: the emulated device did not allocate it (or it was freed already).");
        }
        string? damage = Damage(allocation);
        NativeMemory.AlignedFree((void*)allocation.Block);
        if (damage is not null)
            throw new InvalidOperationException($"A {allocation.Bytes:N0}-byte buffer freed at 0x{allocation.Address:x} had been written {damage} of it.");
    }

    public void CopyToDevice(DevicePtr destination, ReadOnlySpan<byte> source)
    {
        Check(destination, source.Length, "copy to");
        source.CopyTo(new Span<byte>((void*)destination.Address, source.Length));
    }

    public void CopyToHost(Span<byte> destination, DevicePtr source)
    {
        Check(source, destination.Length, "copy from");
        new ReadOnlySpan<byte>((void*)source.Address, destination.Length).CopyTo(destination);
    }

    public void CopyOnDevice(DevicePtr destination, DevicePtr source, long bytes)
    {
        Check(source, bytes, "copy from");
        Check(destination, bytes, "copy to");
        Buffer.MemoryCopy((void*)source.Address, (void*)destination.Address, bytes, bytes);
    }

    public void Launch(string kernel, Dim3 grid, Dim3 block, void** args, int argCount)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        int status;
        lock (_lock) ThrowIfDisposed();
        int length = Encoding.UTF8.GetByteCount(kernel);
        Span<byte> name = length < 256 ? stackalloc byte[length + 1] : new byte[length + 1];
        Encoding.UTF8.GetBytes(kernel, name);
        name[length] = 0;
        fixed (byte* namePointer = name)
            status = _launch(namePointer, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z, args, argCount);
        if (status != 0)
        {
            string message = Marshal.PtrToStringUTF8((nint)_lastError()) ?? "";
            throw new InvalidOperationException(
                $"Emulated launch of {kernel} (grid {grid}, block {block}) failed: {(message.Length > 0 ? message : $"error {status}")}.");
        }
        CheckGuards(kernel);
    }

    /// <summary>Launches run to completion before <see cref="Launch"/> returns.</summary>
    public void Synchronize()
    {
    }

    /// <summary>Throws when any live allocation's guard bytes were overwritten (a launch checks this itself).</summary>
    public void CheckGuards(string kernel)
    {
        string? first = null;
        int damaged = 0;
        lock (_lock)
        {
            // By index: a foreach over SortedList.Values allocates an enumerator, and a steady training step must not allocate.
            var allocations = _allocations.Values;
            for (int i = 0; i < allocations.Count; i++)
            {
                var allocation = allocations[i];
                if (Damage(allocation) is not { } damage) continue;
                first ??= $"kernel {kernel} wrote {damage} of a {allocation.Bytes:N0}-byte buffer at 0x{allocation.Address:x}";
                damaged++;
                // Restored, so that the next launch is not blamed for these bytes.
                Fill(allocation, dataToo: false);
            }
        }
        if (first is not null)
            throw new InvalidOperationException(damaged == 1 ? $"{first}." : $"{first} (and outside {damaged - 1} more buffers).");
    }

    /// <summary>Fills the guard zones with the guard pattern and, for a fresh allocation, the data with 0xFF bytes.</summary>
    private static void Fill(Allocation a, bool dataToo = true)
    {
        MemoryMarshal.Cast<byte, uint>(FrontGuard(a)).Fill(GuardWord);
        if (dataToo)
        {
            for (long done = 0; done < a.Bytes;)
            {
                int chunk = (int)Math.Min(a.Bytes - done, int.MaxValue);
                new Span<byte>((void*)(a.Address + (ulong)done), chunk).Fill(0xFF);
                done += chunk;
            }
        }
        BackPattern(a).CopyTo(BackGuard(a));
    }

    /// <summary>"past the end" / "before the start" when a guard zone was overwritten, else null.</summary>
    private static string? Damage(Allocation a)
    {
        if (MemoryMarshal.Cast<byte, uint>(FrontGuard(a)).IndexOfAnyExcept(GuardWord) >= 0) return "before the start";
        return BackGuard(a).SequenceEqual(BackPattern(a)) ? null : "past the end";
    }

    private static Span<byte> FrontGuard(Allocation a) => new((void*)a.Block, (int)GuardBytes);

    private static Span<byte> BackGuard(Allocation a) => new((void*)a.End, (int)((ulong)a.Block + (ulong)a.Span - a.End));

    // The back guard begins where the data ends, at any byte; the pattern is laid out by address so that an
    // aligned float read from the guard is the guard NaN too.
    private static ReadOnlySpan<byte> BackPattern(Allocation a) =>
        s_pattern.AsSpan((int)(a.End & 3), (int)((ulong)a.Block + (ulong)a.Span - a.End));

    private static readonly byte[] s_pattern = [.. Enumerable.Range(0, (int)(2 * GuardBytes + 4)).Select(i => (byte)(GuardWord >> (8 * (i & 3))))];

    /// <summary>The live allocation that holds bytes [address, address + bytes), or null.</summary>
    private Allocation? Find(ulong address, long bytes)
    {
        var keys = _allocations.Keys;
        int lo = 0, hi = keys.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (keys[mid] <= address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        if (found < 0) return null;
        var a = _allocations.Values[found];
        return address + (ulong)bytes <= a.End ? a : null;
    }

    private void Check(DevicePtr pointer, long bytes, string what)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_lock)
        {
            ThrowIfDisposed();
            if (Find(pointer.Address, bytes) is null)
                throw new InvalidOperationException(
                    Find(pointer.Address, 0) is { } a
                        ? $"Cannot {what} {bytes:N0} bytes at {pointer}: that runs past the end of a {a.Bytes:N0}-byte buffer at 0x{a.Address:x}."
                        : $"Cannot {what} {bytes:N0} bytes at {pointer}: no live allocation of the emulated device holds that address.");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Frees every allocation; the library stays loaded (its worker threads live as long as the process).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var allocation in _allocations.Values) NativeMemory.AlignedFree((void*)allocation.Block);
            _allocations.Clear();
        }
    }
}
