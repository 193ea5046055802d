using System.Buffers.Binary;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>Checks on the pictures a lesson leaves in its output directory, shared by the lessons' tests.</summary>
public static class PngAssert
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The file exists and starts with the PNG signature; returns its bytes for further checks.</summary>
    public static byte[] IsPng(string path)
    {
        Assert.That(File.Exists(path), Is.True, path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Take(Signature.Length), Is.EqualTo(Signature), path);
        return bytes;
    }

    /// <summary>The file is a PNG of the given size (the IHDR chunk follows the 8-byte signature).</summary>
    public static void IsPng(string path, int width, int height)
    {
        byte[] bytes = IsPng(path);
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), Is.EqualTo(width), path);
        Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)), Is.EqualTo(height), path);
    }
}
