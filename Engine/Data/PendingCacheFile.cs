namespace GraphDL.Data;

/// <summary>
/// A file on its way into a data cache folder. Its bytes go to a hidden temporary file beside the final name,
/// unique to this writer, so that two processes or threads fetching the same file never write into one file; it is
/// flushed to the disk and renamed into place only once its content has been checked, so the final name only ever
/// holds a whole file. A failure to write (a full disk) is a <see cref="DataUnavailableException"/> naming the file
/// and the folder, and disposing of a file that was not moved into place deletes it.
/// </summary>
internal sealed class PendingCacheFile : IDisposable
{
    private readonly string _folder;
    private readonly string _fileName;
    private readonly FileStream _file;
    private readonly Stream _sink;
    private bool _closed;

    /// <summary>Starts writing <paramref name="fileName"/> into <paramref name="folder"/>.</summary>
    /// <param name="folder">The cache folder, which exists.</param>
    /// <param name="fileName">The name the file is meant to have when complete (for the temporary name and errors).</param>
    /// <param name="wrap">Tests put a stream between the writer and the file here, to make writes fail as a full disk does.</param>
    /// <exception cref="DataUnavailableException">The temporary file cannot be created.</exception>
    public PendingCacheFile(string folder, string fileName, Func<Stream, Stream>? wrap = null)
    {
        (_folder, _fileName) = (folder, fileName);
        TempPath = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.part");
        try
        {
            _file = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw DataCache.WriteFailed(folder, fileName, e);
        }
        _sink = wrap is null ? _file : wrap(_file);
    }

    /// <summary>The temporary file, which can be read once <see cref="Close"/> has returned.</summary>
    public string TempPath { get; }

    /// <summary>Appends <paramref name="bytes"/>.</summary>
    /// <exception cref="DataUnavailableException">They could not be written.</exception>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await _sink.WriteAsync(bytes);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw DataCache.WriteFailed(_folder, _fileName, e);
        }
    }

    /// <summary>Appends <paramref name="bytes"/>.</summary>
    /// <exception cref="DataUnavailableException">They could not be written.</exception>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _sink.Write(bytes);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw DataCache.WriteFailed(_folder, _fileName, e);
        }
    }

    /// <summary>Flushes everything to the disk and closes the file, so that it can be read back and checked.</summary>
    /// <exception cref="DataUnavailableException">The last bytes could not be written (a full disk often shows only here).</exception>
    public void Close()
    {
        try
        {
            _sink.Flush();
            _file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw DataCache.WriteFailed(_folder, _fileName, e);
        }
        finally
        {
            CloseQuietly();
        }
    }

    /// <summary>Renames the closed, checked file to <paramref name="target"/>, replacing whatever was there.</summary>
    /// <exception cref="DataUnavailableException">The rename failed.</exception>
    public void MoveTo(string target)
    {
        if (!_closed) throw new InvalidOperationException($"{TempPath} is moved into place before it was closed.");
        try
        {
            File.Move(TempPath, target, overwrite: true);
            DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(target))!);   // the rename itself on the disk, so that a power cut keeps the new file
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw DataCache.WriteFailed(_folder, Path.GetFileName(target), e);
        }
    }

    /// <summary>Closes the file and deletes it unless it was moved into place.</summary>
    public void Dispose()
    {
        CloseQuietly();
        try
        {
            File.Delete(TempPath);   // no error when it was moved away
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // The error that brought us here matters more than a leftover hidden .part file, which nothing reads.
        }
    }

    // Closing a file whose last bytes could not be written throws again; Close has reported that already.
    private void CloseQuietly()
    {
        if (_closed) return;
        _closed = true;
        try
        {
            if (!ReferenceEquals(_sink, _file)) _sink.Dispose();
            _file.Dispose();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
        }
    }
}
