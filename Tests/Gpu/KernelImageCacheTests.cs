using GraphDL.Backends.Cuda.Driver;
using NUnit.Framework;

namespace GraphDL.Tests.Gpu;

public class KernelImageCacheTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("graphdl-kernels-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private static readonly NvrtcTarget Sm90 = new("sm_90", Cubin: true);

    [Test]
    public void AnImageComesBackAsWrittenWithNoTemporaryFileLeft()
    {
        string key = KernelImageCache.Key("source", Sm90, ["--std=c++17"], new Version(11, 8));
        byte[] image = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))];
        Assert.That(KernelImageCache.TryRead(_dir, key), Is.Null);
        KernelImageCache.TryWrite(_dir, key, image);
        Assert.That(KernelImageCache.TryRead(_dir, key), Is.EqualTo(image));
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { key }));
    }

    [Test]
    public void EverythingThatShapesTheImageChangesTheKey()
    {
        string key = KernelImageCache.Key("source", Sm90, ["--std=c++17"], new Version(11, 8));
        Assert.That(new[]
        {
            KernelImageCache.Key("source ", Sm90, ["--std=c++17"], new Version(11, 8)),
            KernelImageCache.Key("source", new NvrtcTarget("sm_80", true), ["--std=c++17"], new Version(11, 8)),
            KernelImageCache.Key("source", new NvrtcTarget("sm_90", false), ["--std=c++17"], new Version(11, 8)),
            KernelImageCache.Key("source", Sm90, ["--std=c++20"], new Version(11, 8)),
            KernelImageCache.Key("source", Sm90, ["--std=c++17"], new Version(13, 0)),
        }, Has.None.EqualTo(key));
        Assert.That(KernelImageCache.Key("source", Sm90, ["--std=c++17"], new Version(11, 8)), Is.EqualTo(key), "and nothing else does");
    }

    [Test]
    public void ADamagedOrTruncatedFileIsIgnoredAndRemoved()
    {
        string key = KernelImageCache.Key("source", Sm90, [], new Version(11, 8));
        byte[] image = new byte[1000];
        Random.Shared.NextBytes(image);
        string path = Path.Combine(_dir, key);
        foreach (var damage in new Func<byte[], byte[]>[] { f => f[..^1], f => f[..10], f => { f[500] ^= 1; return f; }, _ => [] })
        {
            KernelImageCache.TryWrite(_dir, key, image);
            File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));
            Assert.That(KernelImageCache.TryRead(_dir, key), Is.Null);
            Assert.That(File.Exists(path), Is.False, "a bad file is removed, so the next compile replaces it");
        }
    }

    [Test]
    public void AnUnwritableDirectoryOnlyMeansNoCache()
    {
        string blocked = Path.Combine(_dir, "a-file");
        File.WriteAllText(blocked, "not a directory");
        Assert.DoesNotThrow(() => KernelImageCache.TryWrite(blocked, "k.bin", [1, 2, 3]));
        Assert.That(KernelImageCache.TryRead(blocked, "k.bin"), Is.Null);
    }
}
