using System.IO.Compression;
using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class IdxTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-idx-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    /// <summary>An IDX file: magic 00 00 type rank, big-endian dims, then the payload.</summary>
    internal static byte[] IdxBytes(int[] dims, byte[] payload, byte type = 0x08)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (int d in dims) bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        bytes.AddRange(payload);
        return [.. bytes];
    }

    internal static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(raw);
        return output.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static readonly byte[] SixPixels = [0, 1, 127, 128, 254, 255];

    [Test]
    public void ReadsRawFile()
    {
        var idx = Idx.Read(Write("images-idx3-ubyte", IdxBytes([3, 1, 2], SixPixels)));
        Assert.That(idx.Dims, Is.EqualTo(new[] { 3, 1, 2 }));
        Assert.That(idx.Data, Is.EqualTo(SixPixels));
        Assert.That(idx.Count, Is.EqualTo(3));
        Assert.That(idx.ItemSize, Is.EqualTo(2));
    }

    [Test]
    public void ReadsLabelsOfRankOne()
    {
        var idx = Idx.Read(Write("labels-idx1-ubyte", IdxBytes([4], [7, 2, 1, 0])));
        Assert.That(idx.Dims, Is.EqualTo(new[] { 4 }));
        Assert.That(idx.ItemSize, Is.EqualTo(1));
        Assert.That(idx.Data, Is.EqualTo(new byte[] { 7, 2, 1, 0 }));
    }

    [Test]
    public void RecognisesGzipByItsBytesNotItsName()
    {
        byte[] raw = IdxBytes([2, 3], SixPixels);
        var fromGzNamedIdx = Idx.Read(Write("no-suffix", Gzip(raw)));
        var fromRawNamedGz = Idx.Read(Write("misnamed.gz", raw));
        Assert.That(fromGzNamedIdx.Data, Is.EqualTo(SixPixels));
        Assert.That(fromGzNamedIdx.Dims, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(fromRawNamedGz.Data, Is.EqualTo(SixPixels));
    }

    [Test]
    public void RejectsBadMagic()
    {
        string path = Write("bad-magic", [1, 0, 8, 1, 0, 0, 0, 1, 5]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(e!.Message, Does.Contain(path).And.Contain("magic").And.Contain("01000801"));
    }

    [Test]
    public void RejectsOtherElementTypes()
    {
        string path = Write("floats", IdxBytes([1], [0, 0, 128, 63], type: 0x0D));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(e!.Message, Does.Contain(path).And.Contain("0x0d").And.Contain("32-bit floats").And.Contain("only unsigned bytes (type 0x08)"));
    }

    [Test]
    public void RejectsTruncatedData()
    {
        byte[] whole = IdxBytes([3, 1, 2], SixPixels);
        string path = Write("truncated", whole[..^2]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(e!.Message, Does.Contain(path).And.Contain("3x1x2 need 6 data bytes but the file has 4").And.Contain("truncated"));
    }

    [Test]
    public void RejectsTrailingBytes()
    {
        string path = Write("too-long", IdxBytes([2], [1, 2, 3]));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(e!.Message, Does.Contain("need 2 data bytes but the file has 3").And.Contain("1 bytes too many"));
    }

    [Test]
    public void RejectsTruncatedHeader()
    {
        byte[] whole = IdxBytes([60000, 28, 28], []);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(Write("header-cut", whole[..9])));
        Assert.That(e!.Message, Does.Contain("declares 3 dimensions (16 header bytes) but the file has only 9 bytes"));
        Assert.Throws<InvalidDataException>(() => Idx.Read(Write("tiny", [0, 0])));
    }

    [Test]
    public void RejectsTruncatedGzip()
    {
        byte[] compressed = Gzip(IdxBytes([100], [.. Enumerable.Range(0, 100).Select(i => (byte)(i * 37))]));
        string path = Write("cut.gz", compressed[..(compressed.Length / 2)]);
        // Either the gzip stream notices it was cut, or the IDX length check does: both name the file.
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(e!.Message, Does.Contain(path));
    }

    [Test]
    public void ParseOfGzipBytesSaysToDecompress()
    {
        var e = Assert.Throws<InvalidDataException>(() => Idx.Parse(Gzip(IdxBytes([1], [9])), "packed"));
        Assert.That(e!.Message, Does.StartWith("packed is not a valid IDX file").And.Contain("gzip"));
    }
}
