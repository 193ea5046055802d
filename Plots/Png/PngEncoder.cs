using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GraphDL.Plots;

/// <summary>
/// Writes 8-bit RGB PNG files: signature, IHDR, one zlib-compressed IDAT, IEND, each chunk with its CRC.
/// The filter for each row is chosen by the usual minimum-sum-of-absolute-differences heuristic, which is a
/// pure function of the pixels, and ZLibStream at a fixed level is deterministic, so equal images give equal bytes.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes <paramref name="rgb"/> (width * height * 3 bytes, rows top to bottom).</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        int stride = width * 3;
        if (rgb.Length != (long)stride * height)
            throw new ArgumentException($"Expected {stride * (long)height} bytes for a {width}x{height} RGB image, got {rgb.Length}.", nameof(rgb));

        using var png = new MemoryStream();
        png.Write(Signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type: truecolour
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // no interlace
        WriteChunk(png, "IHDR", ihdr);

        WriteChunk(png, "IDAT", Compress(Filter(width, height, rgb)));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static byte[] Filter(int width, int height, ReadOnlySpan<byte> rgb)
    {
        const int bpp = 3;
        int stride = width * bpp;
        var output = new byte[(stride + 1) * height];
        var candidate = new byte[stride];
        var bestRow = new byte[stride];
        var zeros = new byte[stride];

        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = rgb.Slice(y * stride, stride);
            ReadOnlySpan<byte> up = y > 0 ? rgb.Slice((y - 1) * stride, stride) : zeros;
            long bestScore = long.MaxValue;
            byte bestType = 0;
            for (byte type = 0; type <= 4; type++)
            {
                long score = 0;
                for (int i = 0; i < stride; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = up[i], c = i >= bpp ? up[i - bpp] : 0;
                    int predictor = type switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) >> 1,
                        _ => Paeth(a, b, c),
                    };
                    byte v = (byte)(row[i] - predictor);
                    candidate[i] = v;
                    score += (sbyte)v < 0 ? -(sbyte)v : v;
                }
                if (score < bestScore)
                {
                    bestScore = score;
                    bestType = type;
                    candidate.CopyTo(bestRow, 0);
                }
            }
            int o = y * (stride + 1);
            output[o] = bestType;
            bestRow.CopyTo(output, o + 1);
        }
        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] Compress(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var z = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            z.Write(data);
        return buffer.ToArray();
    }

    private static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        s.Write(header);
        s.Write(data);
        uint crc = Crc32.Update(Crc32.Compute(header[4..]), data);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        s.Write(tail);
    }
}
