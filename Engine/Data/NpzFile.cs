using System.IO.Compression;
using System.IO.Hashing;

namespace GraphDL.Data;

/// <summary>
/// An <c>.npz</c> file opened to read its arrays one at a time, as <c>numpy.load</c> opens one: a checkpoint of several
/// GiB is restored with one array in memory beside the variables, not all of them.
/// <see cref="Npz.Open"/> first checks every entry (its <c>.npy</c> header, its size and its CRC-32) while holding none
/// of the data, so a damaged file is refused before anything reads from it; <see cref="Read"/> then makes one array
/// at a time and checks its bytes again as they arrive. The file stays open (shared for reading) until disposed, so
/// a checkpoint written over it meanwhile, which replaces the file by a rename, does not change what is read.
/// <code>
/// using var file = Npz.Open("ckpt/model-1000.npz");
/// var kernel = file.Read("dense/kernel");
/// </code>
/// </summary>
public sealed class NpzFile : IDisposable
{
    private const int ChunkBytes = 1 << 18;

    private readonly ZipArchive _archive;
    private readonly Dictionary<string, (ZipArchiveEntry Entry, Npy.Header Header)> _arrays;
    private readonly string _where;

    private NpzFile(ZipArchive archive, Dictionary<string, (ZipArchiveEntry, Npy.Header)> arrays, string source)
    {
        _archive = archive;
        _arrays = arrays;
        _where = $"'{source}'";
        Source = source;
    }

    /// <summary>The file, as named when opened.</summary>
    public string Source { get; }

    /// <summary>The arrays' keys (entry names without <c>.npy</c>), in the archive's order.</summary>
    public IEnumerable<string> Keys => _arrays.Keys;

    /// <summary>Whether the file holds an array of this key.</summary>
    public bool Contains(string key) => _arrays.ContainsKey(key);

    /// <summary>The dtype and shape of the array of this key, from its header, without reading it.</summary>
    /// <exception cref="KeyNotFoundException">The file holds no such array; the message names the file.</exception>
    public (DType DType, Shape Shape) Describe(string key)
    {
        var header = Find(key).Header;
        return (header.DType, header.Shape);
    }

    /// <summary>Reads the array of this key into a new host tensor.</summary>
    /// <exception cref="KeyNotFoundException">The file holds no such array; the message names the file.</exception>
    /// <exception cref="InvalidDataException">Its bytes differ from what <see cref="Npz.Open"/> checked (a failing disk).</exception>
    public Tensor Read(string key)
    {
        var (dtype, shape) = Describe(key);
        var tensor = new Tensor(shape, dtype);
        ReadInto(key, tensor);
        return tensor;
    }

    /// <summary>
    /// Reads the array of this key into <paramref name="target"/>, a host tensor of its dtype and shape, without
    /// allocating: a restore writes a variable's new value over its old one.
    /// </summary>
    /// <exception cref="ArgumentException">The target is not a host tensor of the array's dtype and shape.</exception>
    public void ReadInto(string key, Tensor target)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(target);
        var (entry, header) = Find(key);
        string where = $"{_where}, entry '{entry.FullName}'";
        if (target.IsOnDevice || target.DType != header.DType || target.Shape != header.Shape)
            throw new ArgumentException($"{where} holds {header.DType} {header.Shape}; it cannot be read into a {(target.IsOnDevice ? "device" : "host")} {target.DType} tensor of shape {target.Shape}.", nameof(target));
        // Column-major or byte-swapped elements need reordering, which the whole-entry reader does; numpy writes neither.
        if (!header.IsNative)
        {
            target.CopyFrom(Npy.Read(Npz.ReadEntry(entry, where + ","), where));
            return;
        }
        using var content = new CheckedEntry(entry, where + ",");
        content.ReadExactly(header.DataOffset <= 1024 ? stackalloc byte[header.DataOffset] : new byte[header.DataOffset]);
        content.ReadExactly(Tensor.HostBytes(target.Data, header.DType));
        content.End();
    }

    /// <summary>
    /// Opens the archive and checks every entry, streaming it through its checksum: names, headers, sizes, CRC-32s,
    /// and bool elements (0 or 1). No array is kept.
    /// </summary>
    internal static NpzFile Open(string path)
    {
        string where = $"'{path}'";
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        ZipArchive archive;
        List<ZipArchiveEntry> entries;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            entries = [.. archive.Entries];
        }
        catch (Exception e) when (Npz.IsDamage(e))
        {
            stream.Dispose();
            throw new InvalidDataException($"{where} is not a readable .npz archive (a zip of .npy files): {e.Message}", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        try
        {
            var arrays = new Dictionary<string, (ZipArchiveEntry, Npy.Header)>(StringComparer.Ordinal);
            var chunk = new byte[ChunkBytes];
            foreach (var entry in entries)
            {
                if (Npz.ArrayKey(entry, where, arrays.ContainsKey) is not { } key) continue;
                arrays[key] = (entry, Scan(entry, $"{where}, entry '{entry.FullName}'", chunk));
            }
            return new NpzFile(archive, arrays, path);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    /// <summary>Reads an entry through once, a chunk at a time, checking what <see cref="Npy.Read"/> would check, and returns its header.</summary>
    private static Npy.Header Scan(ZipArchiveEntry entry, string where, byte[] chunk)
    {
        if (entry.Length < 0) throw new InvalidDataException($"{where}, declares {entry.Length} bytes.");
        using var content = new CheckedEntry(entry, where + ",");
        var first = new byte[(int)Math.Min(entry.Length, 12)];
        content.ReadExactly(first);
        // Every valid header is longer than these 12 bytes (its dict alone needs three keys), so none of them is data.
        var headerBytes = new byte[Math.Max(Npy.HeaderBytes(first, entry.Length, where), first.Length)];
        first.CopyTo(headerBytes, 0);
        content.ReadExactly(headerBytes.AsSpan(first.Length));
        var header = Npy.ReadHeader(headerBytes, entry.Length, where);
        for (long done = 0; done < header.DataBytes;)
        {
            int got = content.ReadAtLeast(chunk.AsSpan(0, (int)Math.Min(chunk.Length, header.DataBytes - done)), 1);
            if (header.DType == DType.Bool) Npy.CheckBools(chunk.AsSpan(0, got), done, where);
            done += got;
        }
        content.End();
        return header;
    }

    private (ZipArchiveEntry Entry, Npy.Header Header) Find(string key) =>
        _arrays.TryGetValue(key, out var found) ? found
        : throw new KeyNotFoundException($"{_where} holds no array '{key}'; it holds {(_arrays.Count == 0 ? "none" : string.Join(", ", _arrays.Keys.Select(k => $"'{k}'")))}.");

    private bool _disposed;

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _disposed = true;
        _archive.Dispose();
    }

    /// <summary>
    /// An entry's bytes as they are read, counted and run through CRC-32, which the zip reader checks neither of:
    /// <see cref="End"/> compares both with what the archive recorded. A damaged float is still a float, so without
    /// the checksum a flipped bit would restore as a slightly different weight.
    /// </summary>
    internal sealed class CheckedEntry : IDisposable
    {
        private readonly ZipArchiveEntry _entry;
        private readonly string _where;
        private readonly Stream _content;
        private readonly Crc32 _crc = new();
        private long _read;

        public CheckedEntry(ZipArchiveEntry entry, string where)
        {
            _entry = entry;
            _where = where;
            try { _content = entry.Open(); }
            catch (Exception e) when (Npz.IsDamage(e)) { throw Damaged(e); }
        }

        public void ReadExactly(Span<byte> target)
        {
            if (ReadAtLeast(target, target.Length) < target.Length)
                throw new InvalidDataException($"{_where} holds {_read} bytes, but the archive says {_entry.Length} (truncated or damaged).");
        }

        public int ReadAtLeast(Span<byte> target, int minimum)
        {
            int got;
            try { got = _content.ReadAtLeast(target, minimum, throwOnEndOfStream: false); }
            catch (Exception e) when (Npz.IsDamage(e)) { throw Damaged(e); }
            _crc.Append(target[..got]);
            _read += got;
            if (got < minimum)
                throw new InvalidDataException($"{_where} holds {_read} bytes, but the archive says {_entry.Length} (truncated or damaged).");
            return got;
        }

        /// <summary>Checks that nothing follows and that the count and the checksum are the archive's.</summary>
        public void End()
        {
            int more;
            // Read at most one byte past the declared size: a damaged size must not make us read without end.
            try { more = _content.Read(stackalloc byte[1]); }
            catch (Exception e) when (Npz.IsDamage(e)) { throw Damaged(e); }
            if (more > 0 || _read != _entry.Length)
                throw new InvalidDataException($"{_where} holds {(more > 0 ? $"more than {_read}" : $"{_read}")} bytes, but the archive says {_entry.Length} (truncated or damaged).");
            uint crc = _crc.GetCurrentHashAsUInt32();
            if (crc != _entry.Crc32)
                throw new InvalidDataException($"{_where} is damaged: its bytes' CRC-32 is {crc:x8}, the archive recorded {_entry.Crc32:x8}.");
        }

        private InvalidDataException Damaged(Exception e) => new($"{_where} cannot be read: {e.Message}", e);

        public void Dispose() => _content.Dispose();
    }
}
