using System.Runtime.InteropServices;
using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

/// <summary>
/// <see cref="Npz.Open"/>, the reader that holds one array at a time: it must accept and refuse exactly what
/// <see cref="Npz.Load"/> does, and give back the same arrays.
/// </summary>
public class NpzFileTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-npzfile-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private static readonly (string Key, Tensor Value)[] Originals =
    [
        ("dense/kernel", NpzTests.Sample(DType.Float32, new Shape(6, 5), 1)),
        ("dense/bias", NpzTests.Sample(DType.Float64, new Shape(5), 2)),
        ("step", NpzTests.Sample(DType.Int32, Shape.Scalar, 3)),
        ("mask", NpzTests.Sample(DType.Bool, new Shape(2, 3), 4)),
        ("empty", NpzTests.Sample(DType.Float32, new Shape(0, 4), 5)),
        ("big", NpzTests.Sample(DType.Float32, new Shape(700, 1000), 6)),   // 2.8 MB: more than one 1 MiB chunk
    ];

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] ArchiveOf(IEnumerable<(string Key, Tensor Value)> arrays)
    {
        var stream = new MemoryStream();
        Npz.Write(stream, arrays.Select(a => KeyValuePair.Create(a.Key, a.Value)));
        return stream.ToArray();
    }

    private static Dictionary<string, Tensor> ReadAll(NpzFile file) => file.Keys.ToDictionary(k => k, file.Read);

    [Test]
    public void OpenDescribesEveryArrayAndReadsEachAsLoadDoes()
    {
        string path = Write("model.npz", ArchiveOf(Originals));
        var loaded = Npz.Load(path);
        using var file = Npz.Open(path);
        Assert.That(file.Keys, Is.EqualTo(Originals.Select(o => o.Key)));
        foreach (var (key, value) in Originals)
        {
            Assert.That(file.Contains(key));
            Assert.That(file.Describe(key), Is.EqualTo((value.DType, value.Shape)), key);
            var read = file.Read(key);
            NpzTests.AssertIdentical(read, value, key);
            NpzTests.AssertIdentical(read, loaded[key], key);
            NpzTests.AssertIdentical(file.Read(key), value, key + ", read again");
        }
        Assert.That(file.Contains("dense"), Is.False);
        var e = Assert.Throws<KeyNotFoundException>(() => file.Read("dense/Kernel"))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("'dense/kernel'"));
    }

    [Test]
    public void ColumnMajorAndBigEndianEntriesAreReorderedAsLoadReordersThem()
    {
        var columnMajor = new float[] { 1, 4, 2, 5, 3, 6 };
        byte[] bigEndian = [0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE];
        string path = Write("other.npz", NpzTests.ZipOf(
            ("fortran.npy", NpzTests.HandmadeNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", MemoryMarshal.AsBytes(columnMajor.AsSpan()).ToArray())),
            ("big.npy", NpzTests.HandmadeNpy("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", bigEndian)),
            ("folder/", [])));
        using var file = Npz.Open(path);
        Assert.That(file.Keys, Is.EqualTo(new[] { "fortran", "big" }), "the folder entry is skipped");
        Assert.That(file.Read("fortran").ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(file.Read("big").ToArray<int>(), Is.EqualTo(new[] { 1, -2 }));
    }

    [Test]
    public void DamageAnywhereIsRefusedWhenOpeningNotWhenReading()
    {
        byte[] good = ArchiveOf(Originals);
        // The last element of the large entry, far past the first chunk the header comes in.
        int entryAt = good.AsSpan().IndexOf("big.npy"u8) + "big.npy".Length;
        var flipped = (byte[])good.Clone();
        flipped[entryAt + 128 + 700 * 1000 * 4 - 1] ^= 0x01;
        string path = Write("flipped.npz", flipped);
        var e = Assert.Throws<InvalidDataException>(() => Npz.Open(path))!;
        Assert.That(e.Message, Does.Contain($"'{path}', entry 'big.npy',").And.Contain("CRC-32"));

        var badBool = NpzTests.ZipOf(("mask.npy", NpzTests.HandmadeNpy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", [1, 0, 7])));
        e = Assert.Throws<InvalidDataException>(() => Npz.Open(Write("bool.npz", badBool)))!;
        Assert.That(e.Message, Does.Contain("entry 'mask.npy'").And.Contain("bool element 2 is the byte 7"));

        // The file handle is closed after a refusal: the file can be deleted and written again.
        File.Delete(path);
        Assert.Throws<FileNotFoundException>(() => Npz.Open(path));
    }

    /// <summary>
    /// Truncations, flipped bits, random bytes and mangled headers (inside entries whose checksums are right): opening
    /// and reading every array accepts exactly the archives <see cref="Npz.Load"/> accepts, and reads the same arrays.
    /// </summary>
    [Test]
    public void OpenAcceptsAndRefusesExactlyWhatLoadDoes()
    {
        byte[] archive = ArchiveOf(Originals.Take(5));
        var npys = Originals.Take(5).Select(o =>
        {
            var stream = new MemoryStream();
            Npy.Write(stream, o.Value);
            return (o.Key, Bytes: stream.ToArray());
        }).ToArray();
        var random = new Random(20261207);
        int refused = 0;
        for (int iteration = 0; iteration < 400; iteration++)
        {
            var (key, npy) = npys[random.Next(npys.Length)];
            byte[] input = (iteration % 4) switch
            {
                0 => archive[..random.Next(archive.Length)],
                1 => NpzTests.Flip(archive, random),
                2 => NpzTests.ZipOf((key + ".npy", npy[..random.Next(npy.Length)])),
                _ => NpzTests.ZipOf((key + ".npy", NpzTests.Flip(npy, random))),
            };
            string path = Write($"fuzz-{iteration}.npz", input);
            Dictionary<string, Tensor>? loaded = null, opened = null;
            InvalidDataException? loadError = null, openError = null;
            try { loaded = Npz.Load(path); }
            catch (InvalidDataException e) { loadError = e; }
            try
            {
                using var file = Npz.Open(path);
                opened = ReadAll(file);
            }
            catch (InvalidDataException e) { openError = e; }
            Assert.That(openError is null, Is.EqualTo(loadError is null),
                $"iteration {iteration}: Load {(loadError?.Message ?? "read it")}; Open {(openError?.Message ?? "read it")}");
            if (openError is not null)
            {
                Assert.That(openError.Message, Does.Contain(path));
                refused++;
                continue;
            }
            Assert.That(opened!.Keys, Is.EqualTo(loaded!.Keys), $"iteration {iteration}");
            foreach (var (k, value) in loaded) NpzTests.AssertIdentical(opened[k], value, $"iteration {iteration}, '{k}'");
        }
        Assert.That(refused, Is.GreaterThan(200));
    }
}
