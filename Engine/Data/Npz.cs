using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace GraphDL.Data;

/// <summary>
/// NumPy's <c>.npy</c> format, one array per file: the magic bytes <c>\x93NUMPY</c>, a version, the length of a
/// header, the header (a Python dict literal: <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (784, 10), }</c>,
/// padded with spaces and a newline so that the data starts at a multiple of 64 bytes), then the elements. GraphDL's
/// four dtypes are float32 <c>&lt;f4</c>, float64 <c>&lt;f8</c>, int32 <c>&lt;i4</c> and bool <c>|b1</c>.
/// </summary>
public static class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // numpy aligns the data to 64 bytes so that it can be memory-mapped with any element type.
    private const int Alignment = 64;

    /// <summary>The type string a header gives for <paramref name="dtype"/>, little-endian as written.</summary>
    public static string Descr(DType dtype) => dtype switch
    {
        DType.Float32 => "<f4",
        DType.Float64 => "<f8",
        DType.Int32 => "<i4",
        DType.Bool => "|b1",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The header dict numpy writes for a C-ordered array of this shape and dtype.</summary>
    public static string HeaderDict(Shape shape, DType dtype)
    {
        var dims = shape.Dims.ToArray();
        string tuple = dims.Length == 1 ? $"({dims[0]},)" : "(" + string.Join(", ", dims) + ")";
        return $"{{'descr': '{Descr(dtype)}', 'fortran_order': False, 'shape': {tuple}, }}";
    }

    /// <summary>Writes <paramref name="tensor"/> (on the host or a device) as a .npy file: version 1.0 unless the header needs more room.</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        CheckReadable(tensor.Shape, tensor.DType, "The array");
        var host = tensor.ToHost();
        string dict = HeaderDict(host.Shape, host.DType);
        // Version 1.0 stores the header's length in two bytes; 2.0 in four, for shapes of very high rank.
        bool small = Padded(dict.Length, 10) <= ushort.MaxValue;
        int preamble = small ? 10 : 12;
        int headerLength = Padded(dict.Length, preamble);
        var head = new byte[preamble + headerLength];
        Magic.CopyTo(head);
        head[6] = small ? (byte)1 : (byte)2;
        head[7] = 0;
        if (small) BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(8), (ushort)headerLength);
        else BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(8), (uint)headerLength);
        Encoding.ASCII.GetBytes(dict, head.AsSpan(preamble));
        head.AsSpan(preamble + dict.Length, headerLength - dict.Length - 1).Fill((byte)' ');
        head[^1] = (byte)'\n';
        stream.Write(head);

        var bytes = Tensor.HostBytes(host.Data, host.DType);
        if (BitConverter.IsLittleEndian || host.DType.ByteSize() == 1)
        {
            stream.Write(bytes);
            return;
        }
        var swapped = bytes.ToArray();
        ReverseEach(swapped, host.DType.ByteSize());
        stream.Write(swapped);
    }

    /// <summary>
    /// The most data bytes one array may have to be read back: a reader holds an entry in one .NET array, whose
    /// length stops at <see cref="Array.MaxLength"/>; the header's few hundred bytes are kept aside.
    /// </summary>
    public static long MaxDataBytes => Array.MaxLength - 4096L;

    /// <summary>Refuses, before anything is written, an array too large to be read back (see <see cref="MaxDataBytes"/>).</summary>
    /// <param name="shape">The array's shape.</param>
    /// <param name="dtype">Its element type.</param>
    /// <param name="what">What the array is, to start the message: "Variable 'dense/kernel'".</param>
    /// <exception cref="ArgumentException">The array holds more than <see cref="MaxDataBytes"/> bytes.</exception>
    public static void CheckReadable(Shape shape, DType dtype, string what)
    {
        long bytes = (long)shape.Size * dtype.ByteSize();
        if (bytes > MaxDataBytes)
            throw new ArgumentException($"{what} ({dtype} {shape}) holds {bytes:N0} bytes; an .npy entry is read back whole, so one array can hold at most {MaxDataBytes:N0}. Split it into several variables.");
    }

    /// <summary>The header's length (dict, spaces, newline) that makes preamble + header a multiple of 64.</summary>
    private static int Padded(int dictLength, int preamble) =>
        (preamble + dictLength + 1 + Alignment - 1) / Alignment * Alignment - preamble;

    /// <summary>
    /// Parses a whole .npy file. Versions 1.0 to 3.0, either byte order and Fortran order are read; the dtype must be
    /// one of GraphDL's four.
    /// </summary>
    /// <param name="bytes">The file's bytes, exactly: nothing may follow the elements.</param>
    /// <param name="source">What the bytes are, for messages: "'model.npz', entry 'dense/kernel.npy'".</param>
    /// <exception cref="InvalidDataException">The bytes are not such a file; the message starts with <paramref name="source"/> and says what is wrong.</exception>
    public static Tensor Read(ReadOnlySpan<byte> bytes, string source)
    {
        var header = ReadHeader(bytes, bytes.Length, source);
        var data = bytes[header.DataOffset..];
        var tensor = new Tensor(header.Shape, header.DType);
        var target = Tensor.HostBytes(tensor.Data, header.DType);
        if (header.DType == DType.Bool) CheckBools(data, 0, source);
        if (header.FortranOrder && header.Shape.Rank > 1) CopyFromColumnMajor(data, target, header.Shape, header.DType.ByteSize());
        else data.CopyTo(target);
        if (header.NeedsByteSwap) ReverseEach(target, header.DType.ByteSize());
        return tensor;
    }

    /// <summary>What a .npy header says: the array's dtype and shape, how its bytes are laid out, and where they start.</summary>
    /// <param name="DType">The element type.</param>
    /// <param name="Shape">The array's shape.</param>
    /// <param name="FortranOrder">Whether the elements are stored column-major.</param>
    /// <param name="NeedsByteSwap">Whether the elements' byte order differs from this machine's.</param>
    /// <param name="DataOffset">Where the elements start: the preamble's and the header's length.</param>
    internal readonly record struct Header(DType DType, Shape Shape, bool FortranOrder, bool NeedsByteSwap, int DataOffset)
    {
        /// <summary>Whether the stored bytes are the tensor's bytes as they are, so they can be read straight into it.</summary>
        public bool IsNative => !NeedsByteSwap && !(FortranOrder && Shape.Rank > 1);

        /// <summary>How many bytes of elements follow the header.</summary>
        public long DataBytes => (long)Shape.Size * DType.ByteSize();
    }

    /// <summary>The most header bytes a reader that streams an entry reads before its elements (numpy writes a few hundred).</summary>
    internal const int MaxHeaderBytes = 1 << 20;

    /// <summary>
    /// How many bytes the preamble and header take, read from the first bytes of a .npy file (at least 12, or all of a
    /// shorter file): a streaming reader reads that many, then hands them to <see cref="ReadHeader"/>.
    /// </summary>
    internal static int HeaderBytes(ReadOnlySpan<byte> first, long totalLength, string source)
    {
        var (preamble, headerLength) = Preamble(first, totalLength, source);
        if (headerLength > MaxHeaderBytes)
            throw Invalid(source, $"the header claims {headerLength} bytes; more than {MaxHeaderBytes} are not read");
        return preamble + (int)headerLength;
    }

    /// <summary>
    /// Parses the preamble and header at the start of a .npy file and checks them against the file's length.
    /// <paramref name="bytes"/> holds at least the preamble and header (the whole file, or its start for a streaming reader);
    /// <paramref name="totalLength"/> is the whole file's.
    /// </summary>
    internal static Header ReadHeader(ReadOnlySpan<byte> bytes, long totalLength, string source)
    {
        var (preamble, headerLength) = Preamble(bytes, totalLength, source);
        var headerBytes = bytes.Slice(preamble, (int)headerLength);
        string header;
        if (bytes[6] == 3)
        {
            try { header = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes); }
            catch (DecoderFallbackException) { throw Invalid(source, "the header is not valid UTF-8"); }
        }
        else
        {
            header = Encoding.Latin1.GetString(headerBytes);
        }

        var (descr, fortranOrder, dims) = HeaderParser.Parse(header, source);
        var (dtype, bigEndian) = ParseDescr(descr, source);
        long size = 1;
        foreach (long d in dims)
        {
            if (d > int.MaxValue) throw Invalid(source, $"dimension {d} of shape {FormatDims(dims)} is too large");
            size *= d;
            if (size > Array.MaxLength) throw Invalid(source, $"shape {FormatDims(dims)} holds more elements than one tensor can");
        }
        int dataOffset = preamble + (int)headerLength;
        long dataLength = totalLength - dataOffset, expected = size * dtype.ByteSize();
        if (dataLength != expected)
            throw Invalid(source, $"shape {FormatDims(dims)} of '{descr}' needs {expected} data bytes, but {dataLength} follow the header{(dataLength < expected ? " (truncated?)" : "")}");
        var shape = new Shape([.. dims.Select(d => (int)d)]);
        return new Header(dtype, shape, fortranOrder, bigEndian == BitConverter.IsLittleEndian && dtype.ByteSize() > 1, dataOffset);
    }

    /// <summary>The magic bytes, the version and the header's length, checked against the file's length.</summary>
    private static (int Preamble, long HeaderLength) Preamble(ReadOnlySpan<byte> bytes, long totalLength, string source)
    {
        if (totalLength < 10 || bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw Invalid(source, totalLength < 10 ? $"{totalLength} bytes are too few for a .npy header" : "it does not start with the .npy magic bytes \\x93NUMPY");
        byte major = bytes[6], minor = bytes[7];
        if (major is < 1 or > 3 || minor != 0)
            throw Invalid(source, $".npy version {major}.{minor} is not one of 1.0, 2.0, 3.0");
        int preamble = major == 1 ? 10 : 12;
        if (totalLength < preamble) throw Invalid(source, $"{totalLength} bytes are too few for a version {major}.0 header");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (headerLength > totalLength - preamble)
            throw Invalid(source, $"the header claims {headerLength} bytes, but only {totalLength - preamble} follow (truncated?)");
        return (preamble, headerLength);
    }

    /// <summary>Refuses a bool element that is not 0 or 1; <paramref name="firstIndex"/> is the first byte's element number, for the message.</summary>
    internal static void CheckBools(ReadOnlySpan<byte> data, long firstIndex, string source)
    {
        // A bool byte other than 0 or 1 has no meaning; it is a sign of damage, not a value.
        int bad = data.IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0) throw Invalid(source, $"bool element {firstIndex + bad} is the byte {data[bad]}, not 0 or 1");
    }

    private static (DType DType, bool BigEndian) ParseDescr(string descr, string source)
    {
        DType? dtype = descr.Length == 3 ? descr[1..] switch { "f4" => DType.Float32, "f8" => DType.Float64, "i4" => DType.Int32, "b1" => DType.Bool, _ => null } : null;
        char order = descr.Length == 3 ? descr[0] : '?';
        // '|' means "no byte order", which only a one-byte type has; '=' is the writer's native order.
        bool orderFits = dtype == DType.Bool ? order == '|' : order is '<' or '>' or '=';
        if (dtype is not { } t || !orderFits)
            throw Invalid(source, $"dtype '{descr}' is not one GraphDL holds (float32 '<f4', float64 '<f8', int32 '<i4', bool '|b1')");
        return (t, order == '>' || (order == '=' && !BitConverter.IsLittleEndian));
    }

    /// <summary>Reorders a column-major (Fortran) array into row-major order, element by element.</summary>
    private static void CopyFromColumnMajor(ReadOnlySpan<byte> source, Span<byte> target, Shape shape, int itemSize)
    {
        int rank = shape.Rank, size = shape.Size;
        var index = new int[rank];
        var columnStrides = new int[rank];
        for (int axis = 0, stride = 1; axis < rank; stride *= shape[axis], axis++) columnStrides[axis] = stride;
        for (int i = 0; i < size; i++)
        {
            int offset = 0;
            for (int axis = 0; axis < rank; axis++) offset += index[axis] * columnStrides[axis];
            source.Slice(offset * itemSize, itemSize).CopyTo(target.Slice(i * itemSize, itemSize));
            for (int axis = rank - 1; axis >= 0 && ++index[axis] == shape[axis]; axis--) index[axis] = 0;
        }
    }

    private static void ReverseEach(Span<byte> bytes, int itemSize)
    {
        for (int i = 0; i < bytes.Length; i += itemSize) bytes.Slice(i, itemSize).Reverse();
    }

    private static string FormatDims(long[] dims) => dims.Length == 1 ? $"({dims[0]},)" : "(" + string.Join(", ", dims) + ")";

    internal static InvalidDataException Invalid(string source, string problem, Exception? inner = null) =>
        new($"{source} is not a valid .npy array: {problem}.", inner);

    /// <summary>
    /// Reads the one Python literal a .npy header holds: a dict of 'descr' (a string), 'fortran_order' (True or
    /// False) and 'shape' (a tuple of non-negative integers), with Python's optional spaces and trailing commas.
    /// </summary>
    private ref struct HeaderParser(string text, string source)
    {
        private int _at;

        public static (string Descr, bool FortranOrder, long[] Shape) Parse(string text, string source)
        {
            var p = new HeaderParser(text, source);
            string? descr = null;
            bool? fortran = null;
            long[]? shape = null;
            p.Expect('{');
            while (!p.Accept('}'))
            {
                string key = p.String();
                p.Expect(':');
                switch (key)
                {
                    case "descr" when descr is null: descr = p.String(); break;
                    case "fortran_order" when fortran is null: fortran = p.Boolean(); break;
                    case "shape" when shape is null: shape = p.Tuple(); break;
                    case "descr" or "fortran_order" or "shape": throw p.Fail($"the key '{key}' appears twice");
                    default: throw p.Fail($"the key '{key}' is not one of 'descr', 'fortran_order', 'shape'");
                }
                if (!p.Accept(',')) { p.Expect('}'); break; }
            }
            p.SkipSpaces();
            if (p._at != text.Length) throw p.Fail("something follows the closing brace");
            if (descr is null || fortran is null || shape is null)
                throw p.Fail($"it lacks {(descr is null ? "'descr'" : fortran is null ? "'fortran_order'" : "'shape'")}");
            return (descr, fortran.Value, shape);
        }

        private void SkipSpaces()
        {
            while (_at < text.Length && text[_at] is ' ' or '\t' or '\n' or '\r') _at++;
        }

        private bool Accept(char c)
        {
            SkipSpaces();
            if (_at < text.Length && text[_at] == c) { _at++; return true; }
            return false;
        }

        private void Expect(char c)
        {
            if (!Accept(c)) throw Fail($"'{c}' expected");
        }

        private string String()
        {
            SkipSpaces();
            if (_at >= text.Length || text[_at] is not ('\'' or '"')) throw Fail("a quoted string expected");
            char quote = text[_at];
            int end = text.IndexOf(quote, _at + 1);
            if (end < 0) throw Fail("a string is not closed");
            string value = text[(_at + 1)..end];
            if (value.Contains('\\')) throw Fail("escapes in strings are not supported");
            _at = end + 1;
            return value;
        }

        private bool Boolean()
        {
            SkipSpaces();
            foreach (var (word, value) in new[] { ("True", true), ("False", false) })
                if (string.CompareOrdinal(text, _at, word, 0, word.Length) == 0)
                {
                    _at += word.Length;
                    return value;
                }
            throw Fail("True or False expected for 'fortran_order'");
        }

        /// <summary>A tuple of integers: (), (5,), (784, 10). A 1-tuple needs its comma, as in Python.</summary>
        private long[] Tuple()
        {
            Expect('(');
            var dims = new List<long>();
            bool comma = false;
            while (!Accept(')'))
            {
                if (dims.Count > 0 && !comma) throw Fail("',' expected between the shape's dimensions");
                dims.Add(Integer());
                comma = Accept(',');
            }
            if (dims.Count == 1 && !comma) throw Fail("a shape of one dimension is written (n,)");
            return [.. dims];
        }

        private long Integer()
        {
            SkipSpaces();
            int start = _at;
            while (_at < text.Length && char.IsAsciiDigit(text[_at])) _at++;
            if (_at == start) throw Fail(_at < text.Length && text[_at] == '-' ? "a dimension is negative" : "a dimension expected");
            if (!long.TryParse(text.AsSpan(start, _at - start), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                throw Fail($"the dimension {text[start.._at]} is too large");
            if (_at < text.Length && text[_at] == 'L') _at++;   // Python 2's long suffix, in files written long ago
            return value;
        }

        private readonly InvalidDataException Fail(string problem) =>
            Invalid(source, $"header {Quote(text)}: {problem} (at character {_at})");

        private static string Quote(string header)
        {
            string trimmed = header.TrimEnd();
            return "\"" + (trimmed.Length > 120 ? trimmed[..120] + "..." : trimmed) + "\"";
        }
    }
}

/// <summary>
/// NumPy's <c>.npz</c> archives: a zip of <c>.npy</c> files, one per array, the entry named by the array's key plus
/// <c>.npy</c> (key <c>dense/kernel</c>, entry <c>dense/kernel.npy</c>), which <c>numpy.load</c> opens as a dict.
/// GraphDL writes the entries uncompressed (numpy.load reads stored and deflated entries alike), with a fixed
/// time stamp so that equal arrays give equal files.
/// </summary>
public static class Npz
{
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the arrays to <paramref name="stream"/> as an .npz archive, taking each from the sequence as it goes.</summary>
    /// <exception cref="ArgumentException">A key is empty or appears twice.</exception>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> arrays)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(arrays);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (key, tensor) in arrays)
        {
            if (string.IsNullOrEmpty(key)) throw new ArgumentException("An array in an .npz archive needs a non-empty key.", nameof(arrays));
            if (!keys.Add(key)) throw new ArgumentException($"The key '{key}' appears twice; an .npz archive holds one array per key.", nameof(arrays));
            var entry = archive.CreateEntry(key + ".npy", CompressionLevel.NoCompression);
            entry.LastWriteTime = FixedTime;
            using var entryStream = entry.Open();
            Npy.Write(entryStream, tensor);
        }
    }

    /// <summary>Writes the arrays to the file <paramref name="path"/> atomically: readers see the old file or the whole new one.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> arrays) =>
        AtomicFile.Write(path, stream => Write(stream, arrays));

    /// <summary>Reads every array of the .npz file <paramref name="path"/>, by key.</summary>
    /// <exception cref="FileNotFoundException">There is no such file (other I/O errors of opening it pass through too).</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed .npz of GraphDL's dtypes; the message names the file, the entry and what is wrong.</exception>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(file, path);
    }

    /// <summary>Reads every array of an .npz archive, by key. <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">The archive is damaged or holds something else than .npy arrays of GraphDL's dtypes.</exception>
    public static Dictionary<string, Tensor> Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string where = $"'{source}'";
        ZipArchive archive;
        List<ZipArchiveEntry> entries;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            entries = [.. archive.Entries];
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw new InvalidDataException($"{where} is not a readable .npz archive (a zip of .npy files): {e.Message}", e);
        }
        using (archive)
        {
            var arrays = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var entry in entries)
                if (ArrayKey(entry, where, arrays.ContainsKey) is { } key)
                    arrays[key] = Npy.Read(ReadEntry(entry, $"{where}, entry '{entry.FullName}',"), $"{where}, entry '{entry.FullName}'");
            return arrays;
        }
    }

    /// <summary>
    /// Opens an .npz file to read its arrays one at a time (numpy.load's lazy NpzFile), after checking every entry
    /// without keeping any: for archives too large to hold whole beside what they restore.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed .npz of GraphDL's dtypes; the message names the file, the entry and what is wrong.</exception>
    public static NpzFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return NpzFile.Open(path);
    }

    /// <summary>
    /// The array key of an entry (its name without <c>.npy</c>), or null for a folder entry, which some zip tools add;
    /// an entry of another name, or a key seen before, is refused.
    /// </summary>
    internal static string? ArrayKey(ZipArchiveEntry entry, string where, Func<string, bool> seen)
    {
        string name = entry.FullName;
        if (name.EndsWith('/') && entry.Length == 0) return null;
        string entryWhere = $"{where}, entry '{name}',";
        if (!name.EndsWith(".npy", StringComparison.Ordinal) || name.Length == 4)
            throw new InvalidDataException($"{entryWhere} is not a .npy array: an .npz archive holds only entries named <key>.npy.");
        string key = name[..^4];
        if (seen(key)) throw new InvalidDataException($"{entryWhere} appears twice in the archive.");
        return key;
    }

    /// <summary>How much of an entry is read before an array of its full declared size is made (64 MiB).</summary>
    private const int FirstReadBytes = 1 << 26;

    /// <summary>An entry's bytes, checked against the size and CRC-32 the archive records for it (see <see cref="NpzFile.CheckedEntry"/>).</summary>
    internal static byte[] ReadEntry(ZipArchiveEntry entry, string where)
    {
        long declared = entry.Length;
        if (declared < 0 || declared > Array.MaxLength) throw new InvalidDataException($"{where} declares {declared} bytes, more than one array can hold.");
        // Read into one array of the declared size, so that a large entry is held once (a growing MemoryStream and its
        // ToArray held up to four times its size). A damaged header may declare gigabytes that are not there, so the
        // first array is at most FirstReadBytes, and the full one is made only once that much has really arrived.
        using var content = new NpzFile.CheckedEntry(entry, where);
        var bytes = new byte[Math.Min(declared, FirstReadBytes)];
        content.ReadExactly(bytes);
        if (bytes.Length < declared)
        {
            var whole = new byte[declared];
            bytes.CopyTo(whole, 0);
            bytes = whole;
            content.ReadExactly(whole.AsSpan(FirstReadBytes));
        }
        content.End();
        return bytes;
    }

    /// <summary>The exceptions the zip reader throws on damaged input (besides InvalidDataException, it reports impossible offsets and methods in these).</summary>
    internal static bool IsDamage(Exception e) =>
        e is InvalidDataException or IOException or NotSupportedException or ArgumentException or OverflowException or InvalidOperationException;
}

/// <summary>Writes a file so that it is never seen half-written, even if the process dies mid-way.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Put between every writer and its file (given the final path) when set: the kill-and-resume tests' child process
    /// makes a write stop half-way with it, to be killed there. Null in every other program.
    /// </summary>
    internal static Func<string, Stream, Stream>? InterposeForTests { get; set; }

    /// <summary>
    /// Writes a temporary file beside <paramref name="path"/> (same directory, so the final move is a rename within
    /// one file system), flushes it to the disk, then moves it over <paramref name="path"/> and flushes the directory,
    /// so that the new file survives a power cut too. On any failure the temporary file is deleted and the old file,
    /// if any, is untouched.
    /// </summary>
    /// <param name="path">The file to write, replaced whole or not at all.</param>
    /// <param name="write">Writes the content into the stream it is given.</param>
    /// <param name="wrap">Tests put a stream between the writer and the file here, to make writes fail.</param>
    public static void Write(string path, Action<Stream> write, Func<Stream, Stream>? wrap = null)
    {
        wrap ??= InterposeForTests is { } interpose ? stream => interpose(Path.GetFullPath(path), stream) : null;
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                var target = wrap is null ? file : wrap(file);
                write(target);
                target.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            DirectorySync.Flush(directory);   // the rename itself on the disk, so that a power cut keeps the new file
        }
        catch
        {
            try { File.Delete(temp); }
            catch (IOException) { }          // the original error matters more than a leftover temporary file
            catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
