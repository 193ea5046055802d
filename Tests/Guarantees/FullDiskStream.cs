namespace GraphDL.Tests.Guarantees;

/// <summary>
/// Passes writes through to a file until it holds <paramref name="room"/> bytes, then fails each write the way a full
/// disk does on Linux: an IOException whose HResult is ENOSPC (28).
/// </summary>
internal sealed class FullDiskStream(Stream inner, long room) : Stream
{
    private const int NoSpaceLeftOnDevice = 28;
    private long _written;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long fits = Math.Clamp(room - _written, 0, buffer.Length);
        inner.Write(buffer[..(int)fits]);
        _written += fits;
        if (fits < buffer.Length) throw new IOException("No space left on device", NoSpaceLeftOnDevice);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
