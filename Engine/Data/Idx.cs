using System.Buffers.Binary;
using System.IO.Compression;

namespace GraphDL.Data;

/// <summary>The contents of an IDX file: its dimensions and its unsigned bytes, row-major.</summary>
/// <param name="Dims">The dimensions the header declares, outermost first: (60000, 28, 28) for MNIST's training images.</param>
/// <param name="Data">The payload, one byte per element.</param>
public sealed record IdxArray(int[] Dims, byte[] Data)
{
    /// <summary>The number of items along the first dimension (images, labels).</summary>
    public int Count => Dims[0];

    /// <summary>The number of bytes in one item: 784 for a 28x28 image, 1 for a label.</summary>
    public int ItemSize => Dims.Skip(1).Aggregate(1, (size, dim) => size * dim);
}

/// <summary>
/// Reads the IDX format MNIST is published in: the magic bytes <c>00 00 &lt;type&gt; &lt;rank&gt;</c>, one
/// big-endian 32-bit size per dimension, then the elements. Files may be gzip-compressed, as the
/// data set's <c>.gz</c> downloads are; compression is recognised by its magic bytes, not by the file name.
/// Only the unsigned-byte element type (0x08) is supported, which is all MNIST needs.
/// </summary>
public static class Idx
{
    /// <summary>The element type code of unsigned bytes.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>A gzip stream's 10-byte header and 8-byte trailer, without which no stream is whole.</summary>
    private const int GzipMinimumLength = 18;

    /// <summary>Reads and parses an IDX file, raw or gzip-compressed.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX file of unsigned bytes; the message names the file.</exception>
    public static IdxArray Read(string path) => Parse(ReadBytes(path), path);

    /// <summary>
    /// A file's bytes, decompressed when they start with gzip's magic bytes (1f 8b); other files come back as they are.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">
    /// The most bytes a compressed file may decompress to. A reader that knows how big the file should be passes
    /// that, so a damaged or hostile file that inflates without end is refused once it passes the size.
    /// By default the limit is what an array can hold.
    /// </param>
    /// <exception cref="InvalidDataException">The file looks gzip-compressed but its compressed stream is damaged or truncated, or inflates past <paramref name="maxBytes"/>.</exception>
    public static byte[] ReadBytes(string path, long maxBytes = long.MaxValue)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return IsGzip(bytes) ? Gunzip(bytes, path, maxBytes) : bytes;
    }

    /// <summary>Whether the bytes start with gzip's magic number.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    /// <summary>
    /// Decompresses gzip bytes; <paramref name="source"/> names them in an error message. The stream must be
    /// whole: one gzip member ending with its trailer.
    /// </summary>
    /// <param name="compressed">The gzip stream.</param>
    /// <param name="source">The file (or other source) the bytes came from, for error messages.</param>
    /// <param name="maxBytes">The most bytes the stream may decompress to; see <see cref="ReadBytes"/>.</param>
    /// <exception cref="InvalidDataException">The stream is damaged or truncated, or inflates past <paramref name="maxBytes"/>.</exception>
    public static byte[] Gunzip(byte[] compressed, string source, long maxBytes = long.MaxValue)
    {
        maxBytes = Math.Clamp(maxBytes, 0, Array.MaxLength);
        using var raw = new MemoryStream((int)Math.Min(maxBytes, Math.Min(compressed.Length * 4L, 1 << 30)));
        bool tooLong = false;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            // Copied by hand rather than with CopyTo, to stop as soon as the output passes the limit: a few
            // kilobytes of gzip can inflate to gigabytes.
            var buffer = new byte[1 << 16];
            int read;
            while (!tooLong && (read = gzip.Read(buffer)) > 0)
            {
                tooLong = raw.Length + read > maxBytes;
                if (!tooLong) raw.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source}: the gzip stream is damaged or truncated ({e.Message})", e);
        }
        if (tooLong) throw new InvalidDataException($"{source}: the gzip stream decompresses to more than {maxBytes:N0} bytes");
        // The decompressor stops quietly where a truncated stream ends, so the end is checked here: a gzip
        // stream closes with the size of what it holds (mod 2^32), which the last four bytes of a cut-off
        // stream are not. A file of several concatenated gzip members fails this check too; no data set
        // this reader is for is published that way.
        if (compressed.Length < GzipMinimumLength || BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(^4)) != (uint)raw.Length)
            throw new InvalidDataException(
                $"{source}: the gzip stream is truncated (or damaged): it does not end with the trailer of the {raw.Length:N0} bytes it decompresses to");
        return raw.ToArray();
    }

    /// <summary>Parses IDX bytes (already decompressed); <paramref name="source"/> names them in an error message.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed IDX file of unsigned bytes.</exception>
    public static IdxArray Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 4)
            throw Bad(source, $"{bytes.Length} bytes is too short for an IDX header (at least 4 magic bytes)");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw Bad(source, $"it does not start with the IDX magic 00 00 <type> <rank> but with {Convert.ToHexString(bytes[..4]).ToLowerInvariant()}" +
                              (IsGzip(bytes) ? " (gzip data: decompress it first, or read it with Idx.Read)" : ""));
        byte type = bytes[2];
        if (type != UnsignedByte)
            throw Bad(source, $"its elements are {TypeName(type)} (type 0x{type:x2}); only unsigned bytes (type 0x08) are supported");
        int rank = bytes[3];
        if (rank == 0)
            throw Bad(source, "its header declares rank 0; an IDX file needs at least one dimension");
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw Bad(source, $"its header declares {rank} dimensions ({headerLength} header bytes) but the file has only {bytes.Length} bytes");

        // The sizes are checked as they are read, before anything is allocated: a damaged header may declare
        // terabytes. Both products stay below 2^62, so neither overflows a long.
        var dims = new int[rank];
        long expected = 1, itemSize = 1;
        for (int i = 0; i < rank; i++)
        {
            uint dim = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(4 + 4 * i, 4));
            if (dim > int.MaxValue)
                throw Bad(source, $"dimension {i} is {dim}, beyond what an array can hold");
            dims[i] = (int)dim;
            expected *= dim;
            if (expected > Array.MaxLength)
                throw Bad(source, $"its dimensions {string.Join('x', dims[..(i + 1)])}... hold more elements than an array can");
            // With no items the file is empty whatever the item size, but the size must still be a number
            // IdxArray.ItemSize can give.
            if (i > 0) itemSize *= dim;
            if (itemSize > Array.MaxLength)
                throw Bad(source, $"one item of dimensions {string.Join('x', dims[1..(i + 1)])}... holds more elements than an array can");
        }

        long actual = bytes.Length - headerLength;
        if (actual != expected)
        {
            string how = actual < expected ? "it is truncated" : $"{actual - expected:N0} bytes too many";
            throw Bad(source, $"dimensions {string.Join('x', dims)} need {expected:N0} data bytes but the file has {actual:N0} ({how})");
        }
        return new IdxArray(dims, bytes[headerLength..].ToArray());
    }

    private static string TypeName(byte type) => type switch
    {
        0x09 => "signed bytes",
        0x0B => "16-bit integers",
        0x0C => "32-bit integers",
        0x0D => "32-bit floats",
        0x0E => "64-bit floats",
        _ => "an unknown element type",
    };

    private static InvalidDataException Bad(string source, string problem) =>
        new($"{source} is not a valid IDX file: {problem}.");
}
