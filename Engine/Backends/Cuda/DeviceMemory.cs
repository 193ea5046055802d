namespace GraphDL.Backends.Cuda;

/// <summary>
/// A block of memory on an <see cref="IKernelDevice"/> that holds a tensor's elements (shared by the tensor's
/// reshaped views). It is freed when the last tensor using it is collected: a plan's buffers and a session's
/// variables live as long as the plan and the session, so device memory follows the same lifetimes as host arrays do.
/// </summary>
internal sealed class DeviceMemory : DeviceStorage
{
    public DeviceMemory(IKernelDevice device, long bytes) : base(bytes)
    {
        Device = device;
        Pointer = device.Allocate(Math.Max(bytes, 1));
    }

    public IKernelDevice Device { get; }

    public DevicePtr Pointer { get; private set; }

    protected override void WriteFromHost(ReadOnlySpan<byte> source) => Device.CopyToDevice(Pointer, source);

    protected override void ReadToHost(Span<byte> destination, long offset) => Device.CopyToHost(destination, Pointer.Offset(offset));

    public override void CopyFrom(DeviceStorage source)
    {
        if (source is not DeviceMemory memory || memory.Device != Device)
            throw new InvalidOperationException($"Cannot copy into {Device.Name} from memory of another device.");
        Device.CopyOnDevice(Pointer, memory.Pointer, Math.Min(Bytes, memory.Bytes));
    }

    public override DeviceStorage AllocateLike() => new DeviceMemory(Device, Bytes);

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
