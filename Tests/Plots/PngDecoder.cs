using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using GraphDL.Plots;
using NUnit.Framework;

namespace GraphDL.Tests.Plots;

/// <summary>A decoded 8-bit RGB PNG, as a viewer would show it.</summary>
public sealed record DecodedPng(int Width, int Height, byte[] Rgb, IReadOnlyList<string> ChunkTypes)
{
    public Color this[int x, int y]
    {
        get
        {
            int i = (y * Width + x) * 3;
            return new Color(Rgb[i], Rgb[i + 1], Rgb[i + 2]);
        }
    }

    public IEnumerable<(int X, int Y, Color C)> Pixels(int x0, int y0, int x1, int y1)
    {
        for (int y = Math.Max(0, y0); y < Math.Min(Height, y1); y++)
            for (int x = Math.Max(0, x0); x < Math.Min(Width, x1); x++)
                yield return (x, y, this[x, y]);
    }
}

/// <summary>
/// An independent reader for the files the library writes: checks the signature, every chunk's CRC and
/// the chunk order, inflates IDAT and undoes all five row filters. Kept separate from the encoder so a
/// bug shared by both cannot hide.
/// </summary>
public static class PngDecoder
{
    public static DecodedPng Decode(byte[] png)
    {
        ReadOnlySpan<byte> sig = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.That(png.AsSpan(0, 8).SequenceEqual(sig), "PNG signature");
        int pos = 8, width = 0, height = 0;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, len);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            Assert.That(crc, Is.EqualTo(ReferenceCrc(png.AsSpan(pos + 4, len + 4))), $"CRC of {type}");
            types.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.That(data[8..13].ToArray(), Is.EqualTo(new byte[] { 8, 2, 0, 0, 0 }), "8-bit RGB, deflate, no interlace");
            }
            else if (type == "IDAT") idat.Write(data);
            pos += 12 + len;
        }
        Assert.That(types[0], Is.EqualTo("IHDR"));
        Assert.That(types[^1], Is.EqualTo("IEND"));
        Assert.That(pos, Is.EqualTo(png.Length), "no bytes after IEND");

        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var filtered = raw.ToArray();
        int stride = width * 3;
        Assert.That(filtered.Length, Is.EqualTo((stride + 1) * height), "inflated size");
        var rgb = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = filtered[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int a = i >= 3 ? rgb[y * stride + i - 3] : 0;
                int b = y > 0 ? rgb[(y - 1) * stride + i] : 0;
                int c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3] : 0;
                int pred = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new AssertionException($"bad filter type {filter} on row {y}"),
                };
                rgb[y * stride + i] = (byte)(filtered[y * (stride + 1) + 1 + i] + pred);
            }
        }
        return new DecodedPng(width, height, rgb, types);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    // Bitwise CRC-32, deliberately not the table-driven one the library uses.
    private static uint ReferenceCrc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte d in data)
        {
            c ^= d;
            for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (uint)-(int)(c & 1));
        }
        return ~c;
    }
}
