using GraphDL.Data;

namespace GraphDL.ResumeProbe;

/// <summary>
/// Stops the process's writing of one checkpoint half-way: once some bytes of it are in its temporary file, it says
/// "paused writing FILE" and waits for ever, so that the test kills the process in the middle of a save.
/// </summary>
internal sealed class PausingStream(Stream inner) : Stream
{
    private const int BytesBeforePause = 200;
    private long _written;

    /// <summary>Pauses the writing of the file whose name is <paramref name="fileName"/>; every other file is written as usual.</summary>
    public static void PauseWhenWriting(string fileName) =>
        AtomicFile.InterposeForTests = (path, stream) => Path.GetFileName(path) == fileName ? new PausingStream(stream) : stream;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        _written += buffer.Length;
        if (_written < BytesBeforePause) return;
        inner.Flush();
        Console.WriteLine($"paused writing {(inner as FileStream)?.Name}");
        Thread.Sleep(Timeout.Infinite);
    }

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void SetLength(long value) => inner.SetLength(value);
}
