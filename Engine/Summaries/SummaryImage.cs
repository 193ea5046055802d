using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace GraphDL.Summaries;

/// <summary>One image of an image summary: 8-bit levels, row by row, channels interleaved (1 grey, 3 RGB, 4 RGBA).</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Channels">1, 3 or 4.</param>
/// <param name="Levels">Width × Height × Channels levels, 0..255.</param>
public sealed record SummaryImage(int Width, int Height, int Channels, byte[] Levels)
{
    /// <summary>
    /// The image as a PNG file: 8 bits per channel, grey, RGB or RGBA as the image is, every row unfiltered, deflated by
    /// the framework's zlib. The engine writes it itself: it must not depend on Plots (and SkiaSharp with it), and of
    /// the small managed encoders served, BigGustave 1.0.6 writes corrupt palette images for odd widths and
    /// StbImageWriteSharp states no licence. A PNG of this kind is four chunks, each with the CRC-32 the engine already
    /// uses for .npz files.
    /// </summary>
    public byte[] EncodePng()
    {
        if (Channels is not (1 or 3 or 4) || Levels.Length != Width * Height * Channels)
            throw new InvalidOperationException($"An image of {Width}x{Height}x{Channels} needs {Width * Height * Channels} levels, not {Levels.Length}.");
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8;                                               // bits per channel
        header[9] = Channels switch { 1 => 0, 3 => 2, _ => 6 };      // colour type: grey, RGB, RGBA
        WriteChunk(png, "IHDR", header);                             // compression, filter and interlace methods 0

        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
            for (int y = 0, row = Width * Channels; y < Height; y++)
            {
                zlib.WriteByte(0);                                   // filter type None
                zlib.Write(Levels, y * row, row);
            }
        WriteChunk(png, "IDAT", pixels.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Length, type, data and the CRC-32 of type and data.</summary>
    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, crc.GetCurrentHashAsUInt32());
        png.Write(number);
    }
}
