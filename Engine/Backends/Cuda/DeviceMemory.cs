namespace GraphDL.Backends.Cuda;

/// <summary>
/// A block of device memory that holds a tensor's elements (shared by the tensor's reshaped views). It is
/// freed when the last tensor using it is collected: a plan's buffers and a session's variables live as
/// long as the plan and the session, so device memory follows the same lifetimes as host arrays do.
/// </summary>
internal sealed class DeviceMemory
{
    public DeviceMemory(IKernelDevice device, long bytes)
    {
        Device = device;
        Bytes = bytes;
        Pointer = device.Allocate(Math.Max(bytes, 1));
    }

    public IKernelDevice Device { get; }

    public DevicePtr Pointer { get; private set; }

    public long Bytes { get; }

    public void CopyToDevice(ReadOnlySpan<byte> source) => Device.CopyToDevice(Pointer, source);

    /// <summary>Copies <paramref name="destination"/>.Length bytes starting <paramref name="offset"/> bytes in.</summary>
    public void CopyToHost(Span<byte> destination, long offset = 0)
    {
        if (offset < 0 || offset + destination.Length > Bytes)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes {offset}..{offset + destination.Length} lie outside a block of {Bytes}.");
        Device.CopyToHost(destination, Pointer.Offset(offset));
    }

    public void CopyFrom(DeviceMemory source)
    {
        if (source.Device != Device) throw new InvalidOperationException($"Cannot copy between devices ({source.Device.Name} to {Device.Name}).");
        Device.CopyOnDevice(Pointer, source.Pointer, Math.Min(Bytes, source.Bytes));
    }

    ~DeviceMemory()
    {
        if (Pointer == DevicePtr.Null) return;
        try
        {
            Device.Free(Pointer);
        }
        catch (Exception)
        {
            // A finalizer must not throw; at process exit the driver may already be gone, and the memory with it.
        }
        Pointer = DevicePtr.Null;
    }
}
