namespace GraphDL;

/// <summary>
/// Memory outside the .NET heap that holds a tensor's elements: a GPU's memory, or its host emulation. A backend
/// that keeps tensors in device memory derives its own kind; Core only moves bytes through this contract, so a
/// <see cref="Tensor"/> never needs to know which device holds it.
/// </summary>
public abstract class DeviceStorage(long bytes)
{
    /// <summary>The size of the block.</summary>
    public long Bytes { get; } = bytes >= 0 ? bytes : throw new ArgumentOutOfRangeException(nameof(bytes), "A block cannot have a negative size.");

    /// <summary>Copies <paramref name="source"/> to the start of the block.</summary>
    public void CopyFromHost(ReadOnlySpan<byte> source)
    {
        if (source.Length > Bytes) throw new ArgumentOutOfRangeException(nameof(source), $"{source.Length} bytes do not fit a block of {Bytes}.");
        WriteFromHost(source);
    }

    /// <summary>Copies <paramref name="destination"/>.Length bytes starting <paramref name="offset"/> bytes in.</summary>
    public void CopyToHost(Span<byte> destination, long offset = 0)
    {
        if (offset < 0 || offset + destination.Length > Bytes)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes {offset}..{offset + destination.Length} lie outside a block of {Bytes}.");
        ReadToHost(destination, offset);
    }

    /// <summary>Copies as many bytes as both blocks hold from <paramref name="source"/>, which must be on the same device.</summary>
    public abstract void CopyFrom(DeviceStorage source);

    /// <summary>A fresh, uninitialised block of the same size on the same device.</summary>
    public abstract DeviceStorage AllocateLike();

    /// <summary>Writes <paramref name="source"/> (checked to fit) at the start of the block.</summary>
    protected abstract void WriteFromHost(ReadOnlySpan<byte> source);

    /// <summary>Reads <paramref name="destination"/>.Length bytes (checked to lie inside) from <paramref name="offset"/>.</summary>
    protected abstract void ReadToHost(Span<byte> destination, long offset);
}
