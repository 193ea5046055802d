using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class NpzTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-npz-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private static readonly int[][] Shapes = [[], [0], [1], [7], [2, 3], [0, 5], [5, 0], [2, 3, 4], [1, 1, 1, 1], [3, 0, 2]];

    /// <summary>A tensor of <paramref name="shape"/> and <paramref name="dtype"/> whose elements include the awkward values.</summary>
    internal static Tensor Sample(DType dtype, Shape shape, int seed)
    {
        var random = new Random(seed);
        var t = new Tensor(shape, dtype);
        float[] floats = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue, 1e-40f];
        double[] doubles = [double.NaN, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, 1e-310];
        int[] ints = [int.MinValue, int.MaxValue, -1, 0];
        for (int i = 0; i < t.Size; i++)
            switch (dtype)
            {
                case DType.Float32: t.Span<float>()[i] = i < floats.Length ? floats[i] : (float)(random.NextDouble() * 200 - 100); break;
                case DType.Float64: t.Span<double>()[i] = i < doubles.Length ? doubles[i] : random.NextDouble() * 2e6 - 1e6; break;
                case DType.Int32: t.Span<int>()[i] = i < ints.Length ? ints[i] : random.Next(int.MinValue, int.MaxValue); break;
                case DType.Bool: t.Span<bool>()[i] = random.Next(2) == 1; break;
            }
        return t;
    }

    /// <summary>Bit-for-bit equality (NaN equals NaN, -0 differs from 0), with dtype and shape.</summary>
    internal static void AssertIdentical(Tensor actual, Tensor expected, string what)
    {
        Assert.That(actual.DType, Is.EqualTo(expected.DType), what);
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape), what);
        Assert.That(Bytes(actual), Is.EqualTo(Bytes(expected)), what);
    }

    internal static byte[] Bytes(Tensor t) => Tensor.HostBytes(t.ToHost().Data, t.DType).ToArray();

    private static byte[] NpyBytes(Tensor t)
    {
        var stream = new MemoryStream();
        Npy.Write(stream, t);
        return stream.ToArray();
    }

    private static byte[] NpzBytes(params (string Key, Tensor Value)[] arrays)
    {
        var stream = new MemoryStream();
        Npz.Write(stream, arrays.Select(a => KeyValuePair.Create(a.Key, a.Value)));
        return stream.ToArray();
    }

    /// <summary>A .npy file as a writer other than ours might make it: any header text, padded as given.</summary>
    internal static byte[] HandmadeNpy(string header, byte[] data, byte major = 1)
    {
        int preamble = major == 1 ? 10 : 12;
        header += new string(' ', (64 - (preamble + header.Length + 1) % 64) % 64) + "\n";
        var headerBytes = major == 3 ? Encoding.UTF8.GetBytes(header) : Encoding.Latin1.GetBytes(header);
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)headerBytes.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)headerBytes.Length));
        bytes.AddRange(headerBytes);
        bytes.AddRange(data);
        return [.. bytes];
    }

    /// <summary>An archive of raw entries, checksums correct, whatever they hold: reaches the .npy parser past the CRC check.</summary>
    internal static byte[] ZipOf(params (string Name, byte[] Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                s.Write(content);
            }
        return stream.ToArray();
    }

    private static Dictionary<string, Tensor> ReadNpz(byte[] bytes, string source = "test.npz") => Npz.Read(new MemoryStream(bytes), source);

    [Test]
    public void EveryDTypeAndShapeRoundTrips([Values] DType dtype)
    {
        int seed = 0;
        var arrays = Shapes.Select(s => ($"a/{dtype}_{string.Join("x", s)}", Sample(dtype, new Shape(s), seed++))).ToArray();
        var read = ReadNpz(NpzBytes(arrays));
        Assert.That(read.Keys, Is.EquivalentTo(arrays.Select(a => a.Item1)));
        foreach (var (key, value) in arrays) AssertIdentical(read[key], value, key);
    }

    [Test]
    public void HeaderIsTheOneNumpyWritesAndTheDataStartsAtAMultipleOf64([Values] DType dtype)
    {
        foreach (var dims in new[] { new[] { 784, 10 }, [], [5], [0, 3], [2, 3, 4] })
        {
            var t = Sample(dtype, new Shape(dims), 1);
            byte[] file = NpyBytes(t);
            // A reader written from the format's description, independent of the engine's parser.
            Assert.That(file[..6], Is.EqualTo(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' }));
            Assert.That((file[6], file[7]), Is.EqualTo(((byte)1, (byte)0)), "version 1.0");
            int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
            Assert.That((10 + headerLength) % 64, Is.Zero, "data aligned to 64 bytes");
            string header = Encoding.ASCII.GetString(file, 10, headerLength);
            string descr = dtype switch { DType.Float32 => "<f4", DType.Float64 => "<f8", DType.Int32 => "<i4", _ => "|b1" };
            string shape = dims.Length switch { 0 => "()", 1 => $"({dims[0]},)", _ => "(" + string.Join(", ", dims) + ")" };
            Assert.That(header.TrimEnd(' ', '\n'), Is.EqualTo($"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}"));
            string dict = header.TrimEnd('\n').TrimEnd(' ');
            Assert.That(header, Is.EqualTo(dict + new string(' ', header.Length - dict.Length - 1) + "\n"), "the dict, spaces, one newline");
            var data = file[(10 + headerLength)..];
            Assert.That(data, Is.EqualTo(LittleEndian(t)), $"{dtype} {t.Shape}: the elements, little-endian, row-major");
        }
        Assert.That(Npy.HeaderDict(new Shape(784, 10), DType.Float32), Is.EqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (784, 10), }"));
    }

    private static byte[] LittleEndian(Tensor t)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < t.Size; i++)
            switch (t.DType)
            {
                case DType.Float32: var f = new byte[4]; BinaryPrimitives.WriteSingleLittleEndian(f, t.Span<float>()[i]); bytes.AddRange(f); break;
                case DType.Float64: var d = new byte[8]; BinaryPrimitives.WriteDoubleLittleEndian(d, t.Span<double>()[i]); bytes.AddRange(d); break;
                case DType.Int32: var n = new byte[4]; BinaryPrimitives.WriteInt32LittleEndian(n, t.Span<int>()[i]); bytes.AddRange(n); break;
                case DType.Bool: bytes.Add(t.Span<bool>()[i] ? (byte)1 : (byte)0); break;
            }
        return [.. bytes];
    }

    [Test]
    public void ArchiveIsAZipOfStoredNpyEntriesNamedByKey()
    {
        var kernel = Sample(DType.Float32, new Shape(784, 10), 3);
        var bias = Sample(DType.Float32, new Shape(10), 4);
        byte[] bytes = NpzBytes(("dense/kernel", kernel), ("dense/bias", bias));
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.That(zip.Entries.Select(e => e.FullName), Is.EqualTo(new[] { "dense/kernel.npy", "dense/bias.npy" }));
        foreach (var entry in zip.Entries)
        {
            using var s = entry.Open();
            var content = new MemoryStream();
            s.CopyTo(content);
            Assert.That(entry.CompressedLength, Is.EqualTo(entry.Length), "stored, not compressed");
            var tensor = Npy.Read(content.ToArray(), entry.FullName);
            AssertIdentical(tensor, entry.FullName == "dense/kernel.npy" ? kernel : bias, entry.FullName);
        }
        // The local header of the first entry: signature PK\3\4, compression method 0 (stored).
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes), Is.EqualTo(0x04034b50u));
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), Is.Zero);
        Assert.That(NpzBytes(("dense/kernel", kernel), ("dense/bias", bias)), Is.EqualTo(bytes), "equal arrays give equal files (fixed time stamps)");
    }

    [Test]
    public void NumpyReadsOurArchivesAndWeReadItsWhenInstalled()
    {
        Assume.That(PythonNumpy.Available(), Is.True, "python3 with numpy is not installed here");
        string path = Path.Combine(_dir, "check.npz");
        Npz.Save(path, [
            KeyValuePair.Create("dense/kernel", (Tensor)new float[,] { { 1.5f, -2 }, { 3, 4 }, { 5, 6 } }),
            KeyValuePair.Create("step", (Tensor)Tensor.Scalar(7)),
            KeyValuePair.Create("mask", (Tensor)new Tensor(new Shape(2, 0), DType.Bool)),
            KeyValuePair.Create("flags", Tensor.FromFlat(new[] { true, false, true }, new Shape(3))),
            KeyValuePair.Create("x64", (Tensor)new double[] { 0.25, -1e300 }),
        ]);
        string script = "import numpy as np, sys; d = np.load(sys.argv[1]); "
            + "print(sorted(d.keys())); k = d['dense/kernel']; print(k.dtype, k.shape, k.tolist()); "
            + "print(d['step'].dtype, d['step'].shape, int(d['step'])); print(d['mask'].dtype, d['mask'].shape); "
            + "print(d['flags'].dtype, d['flags'].tolist()); print(d['x64'].dtype, d['x64'].tolist())";
        string output = PythonNumpy.Run(script, path);
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "['dense/kernel', 'flags', 'mask', 'step', 'x64']",
            "float32 (3, 2) [[1.5, -2.0], [3.0, 4.0], [5.0, 6.0]]",
            "int32 () 7",
            "bool (2, 0)",
            "bool [True, False, True]",
            "float64 [0.25, -1e+300]",
        }));

        // And the other way: numpy's own archives, compressed, with a Fortran-ordered and a big-endian array.
        string theirs = Path.Combine(_dir, "theirs.npz");
        PythonNumpy.Run("import numpy as np, sys; np.savez_compressed(sys.argv[1], "
            + "w=np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4)), b=np.array([1, -2], dtype='>i4'), "
            + "m=np.array([[True], [False]]), s=np.float64(2.5), e=np.zeros((0, 2), np.float32))", theirs);
        var read = Npz.Load(theirs);
        Assert.That(read.Keys, Is.EquivalentTo(new[] { "w", "b", "m", "s", "e" }));
        Assert.That(read["w"].Shape, Is.EqualTo(new Shape(3, 4)));
        Assert.That(read["w"].ToArray<float>(), Is.EqualTo(Enumerable.Range(0, 12).Select(i => (float)i)));
        Assert.That(read["b"].ToArray<int>(), Is.EqualTo(new[] { 1, -2 }));
        Assert.That(read["m"].ToArray<bool>(), Is.EqualTo(new[] { true, false }));
        Assert.That(read["s"].Shape, Is.EqualTo(Shape.Scalar));
        Assert.That(read["s"].Scalar<double>(), Is.EqualTo(2.5));
        Assert.That(read["e"].Shape, Is.EqualTo(new Shape(0, 2)));
    }

    [Test]
    public void ReadsWhatOtherWritersMayWrite()
    {
        // Python 2's long suffix, double quotes, no trailing comma, other key order, extra spaces, version 2.0 and 3.0.
        var six = new float[] { 1, 2, 3, 4, 5, 6 };
        byte[] data = MemoryMarshal.AsBytes(six.AsSpan()).ToArray();
        foreach (var (header, major) in new[]
        {
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }", (byte)1),
            ("{\"shape\": (2, 3), \"descr\": \"<f4\", \"fortran_order\": False}", (byte)1),
            ("{ 'descr' : '<f4' , 'fortran_order' : False , 'shape' : ( 2 , 3 , ) , }", (byte)2),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", (byte)3),
        })
        {
            var t = Npy.Read(HandmadeNpy(header, data, major), "handmade");
            Assert.That(t.Shape, Is.EqualTo(new Shape(2, 3)), header);
            Assert.That(t.ToArray<float>(), Is.EqualTo(six), header);
        }

        // Fortran order: the same matrix stored column by column.
        var columnMajor = new float[] { 1, 4, 2, 5, 3, 6 };
        var fortran = Npy.Read(HandmadeNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", MemoryMarshal.AsBytes(columnMajor.AsSpan()).ToArray()), "fortran");
        Assert.That(fortran.ToArray<float>(), Is.EqualTo(six));
        var cube = Enumerable.Range(0, 24).Select(i => (double)i).ToArray();   // (2, 3, 4), element (i, j, k) = 12i + 4j + k
        var cubeColumns = new double[24];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) cubeColumns[i + 2 * j + 6 * k] = 12 * i + 4 * j + k;
        var fortranCube = Npy.Read(HandmadeNpy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }", MemoryMarshal.AsBytes(cubeColumns.AsSpan()).ToArray()), "cube");
        Assert.That(fortranCube.ToArray<double>(), Is.EqualTo(cube));

        // Big-endian integers.
        byte[] bigEndian = [0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE];
        var ints = Npy.Read(HandmadeNpy("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", bigEndian), "big");
        Assert.That(ints.ToArray<int>(), Is.EqualTo(new[] { 1, -2 }));

        // A folder entry, as some zip tools add, is skipped.
        var archive = ZipOf(("weights/", []), ("weights/w.npy", NpyBytes(new float[] { 9 })));
        Assert.That(ReadNpz(archive)["weights/w"].ToArray<float>(), Is.EqualTo(new[] { 9f }));
    }

    private static readonly byte[] TwoFloats = MemoryMarshal.AsBytes(new float[] { 1, 2 }.AsSpan()).ToArray();

    private static IEnumerable<TestCaseData> BadNpyFiles()
    {
        TestCaseData Case(byte[] file, string expected, string name) => new TestCaseData(file, expected).SetName($"RejectsNpy_{name}");
        byte[] good = HandmadeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", TwoFloats);
        yield return Case([], "0 bytes are too few", "Empty");
        yield return Case(good[..9], "9 bytes are too few", "CutInPreamble");
        var badMagic = (byte[])good.Clone(); badMagic[1] = (byte)'n';
        yield return Case(badMagic, "magic", "BadMagic");
        var v4 = (byte[])good.Clone(); v4[6] = 4;
        yield return Case(v4, "version 4.0", "Version4");
        yield return Case(good[..40], "the header claims 118 bytes, but only 30 follow", "CutInHeader");
        yield return Case(good[..^1], "needs 8 data bytes, but 7 follow the header (truncated?)", "CutInData");
        yield return Case([.. good, 0], "needs 8 data bytes, but 9 follow", "TrailingByte");
        yield return Case(HandmadeNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new byte[8]), "dtype '<i8' is not one GraphDL holds", "Int64");
        yield return Case(HandmadeNpy("{'descr': '|f4', 'fortran_order': False, 'shape': (2,), }", TwoFloats), "dtype '|f4'", "FloatWithoutByteOrder");
        yield return Case(HandmadeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", TwoFloats), "a dimension is negative", "NegativeDim");
        yield return Case(HandmadeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2), }", TwoFloats), "a shape of one dimension is written (n,)", "OneTupleWithoutComma");
        yield return Case(HandmadeNpy("{'descr': '<f4', 'shape': (2,), }", TwoFloats), "it lacks 'fortran_order'", "MissingKey");
        yield return Case(HandmadeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", TwoFloats), "the key 'x' is not one of", "ExtraKey");
        yield return Case(HandmadeNpy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", TwoFloats), "the key 'descr' appears twice", "RepeatedKey");
        yield return Case(HandmadeNpy("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }", TwoFloats), "True or False expected", "BadBoolean");
        yield return Case(HandmadeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } x", TwoFloats), "something follows the closing brace", "TrailingText");
        yield return Case(HandmadeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,", TwoFloats), "a dimension expected", "Unclosed");
        yield return Case(HandmadeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", TwoFloats), "is too large", "HugeDim");
        yield return Case(HandmadeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (65536, 65536), }", TwoFloats), "more elements than one tensor can", "TooManyElements");
        yield return Case(HandmadeNpy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", [1, 2, 0]), "bool element 1 is the byte 2", "BoolByteTwo");
        yield return Case([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 3, 0, 2, 0, 0, 0, 0xC3, 0x28], "not valid UTF-8", "BadUtf8");
    }

    [TestCaseSource(nameof(BadNpyFiles))]
    public void RejectsBadNpy(byte[] file, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(file, "'f.npz', entry 'w.npy'"));
        Assert.That(e!.Message, Does.StartWith("'f.npz', entry 'w.npy' is not a valid .npy array: ").And.Contain(expected));
    }

    [Test]
    public void RejectsBadArchivesNamingTheFileAndEntry()
    {
        byte[] good = NpzBytes(("dense/kernel", Sample(DType.Float32, new Shape(4, 3), 1)), ("dense/bias", Sample(DType.Float32, new Shape(3), 2)));

        string truncated = Path.Combine(_dir, "truncated.npz");
        File.WriteAllBytes(truncated, good[..(good.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => Npz.Load(truncated));
        Assert.That(e!.Message, Does.Contain(truncated).And.Contain("not a readable .npz archive"));

        // A flipped bit in an element: the zip reader does not notice, the checksum does.
        int dataAt = good.AsSpan().IndexOf("dense/kernel.npy"u8) + "dense/kernel.npy".Length + 128 + 5;
        var flipped = (byte[])good.Clone();
        flipped[dataAt] ^= 0x10;
        e = Assert.Throws<InvalidDataException>(() => ReadNpz(flipped, "flipped.npz"));
        Assert.That(e!.Message, Does.Contain("'flipped.npz', entry 'dense/kernel.npy',").And.Contain("CRC-32"));

        e = Assert.Throws<InvalidDataException>(() => ReadNpz(ZipOf(("readme.txt", "hello"u8.ToArray())), "odd.npz"));
        Assert.That(e!.Message, Does.Contain("entry 'readme.txt'").And.Contain("not a .npy array"));

        e = Assert.Throws<InvalidDataException>(() => ReadNpz(ZipOf(("w.npy", NpyBytes(new float[] { 1 })), ("w.npy", NpyBytes(new float[] { 2 })))));
        Assert.That(e!.Message, Does.Contain("entry 'w.npy'").And.Contain("appears twice"));

        e = Assert.Throws<InvalidDataException>(() => ReadNpz(ZipOf(("w.npy", [1, 2, 3])), "tiny.npz"));
        Assert.That(e!.Message, Does.Contain("'tiny.npz', entry 'w.npy' is not a valid .npy array: 3 bytes are too few"));

        Assert.Throws<FileNotFoundException>(() => Npz.Load(Path.Combine(_dir, "absent.npz")));
        Assert.Throws<ArgumentException>(() => NpzBytes(("w", 1f), ("w", 2f)));
        Assert.Throws<ArgumentException>(() => NpzBytes(("", 1f)));
    }

    [Test]
    public void SaveIsAtomicAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_dir, "sub", "a.npz");
        Npz.Save(path, [KeyValuePair.Create("x", (Tensor)new float[] { 1, 2 })]);
        byte[] before = File.ReadAllBytes(path);
        Assert.Throws<InvalidOperationException>(() => Npz.Save(path, Failing()));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before), "the old file is untouched");
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }), "no temporary file is left");

        static IEnumerable<KeyValuePair<string, Tensor>> Failing()
        {
            yield return KeyValuePair.Create("x", (Tensor)new float[] { 3, 4 });
            throw new InvalidOperationException("the second value cannot be read");
        }
    }

    /// <summary>
    /// Damaged archives and damaged .npy files: truncations, flipped bits, random bytes, mangled headers. Reading
    /// either fails with InvalidDataException and a message, or gives back exactly what was written (only the
    /// zip's names and time stamps are not covered by its checksums, so a key may differ then).
    /// </summary>
    [Test]
    public void FuzzedInputFailsOnlyWithInvalidDataException()
    {
        var originals = new[]
        {
            ("dense/kernel", Sample(DType.Float32, new Shape(6, 5), 1)),
            ("dense/bias", Sample(DType.Float64, new Shape(5), 2)),
            ("step", Sample(DType.Int32, Shape.Scalar, 3)),
            ("mask", Sample(DType.Bool, new Shape(2, 3), 4)),
            ("empty", Sample(DType.Float32, new Shape(0, 4), 5)),
        };
        byte[] archive = NpzBytes(originals);
        var npys = originals.Select(o => NpyBytes(o.Item2)).ToArray();
        var random = new Random(20240611);
        var clock = Stopwatch.StartNew();
        int rejected = 0, accepted = 0;
        const string HeaderChars = "{}()[],:'\" TrueFalse0123456789<>|=fibL-\n\\";
        for (int iteration = 0; iteration < 600; iteration++)
        {
            int kind = iteration % 6;
            int which = random.Next(npys.Length);
            byte[] input = kind switch
            {
                0 => archive[..random.Next(archive.Length)],
                1 => Flip(archive, random),
                2 => RandomBytes(random, random.Next(2) == 0 ? "PK\u0003\u0004"u8 : []),
                3 => npys[which][..random.Next(npys[which].Length)],
                4 => Flip(npys[which], random),
                _ => MangleHeader(npys[which], random, HeaderChars),
            };
            bool isArchive = kind <= 2;
            try
            {
                if (isArchive)
                {
                    var read = ReadNpz(input, $"fuzz-{iteration}.npz");
                    Assert.That(read, Has.Count.EqualTo(originals.Length), $"iteration {iteration}: an archive read without error holds every array");
                    foreach (var ((_, expected), actual) in originals.Zip(read.Values)) AssertIdentical(actual, expected, $"iteration {iteration}");
                }
                else
                {
                    var t = Npy.Read(input, $"fuzz-{iteration}.npy");
                    Assert.That(t.Size, Is.EqualTo(t.Shape.Size));
                    // Inside a .npy only the data bytes may change unseen (the archive's checksum guards them).
                    Assert.That(kind, Is.Not.EqualTo(3), $"iteration {iteration}: a truncated .npy must not read");
                }
                accepted++;
            }
            catch (InvalidDataException e)
            {
                Assert.That(e.Message, Does.Contain($"fuzz-{iteration}"), "the message names the input");
                rejected++;
            }
            // Anything else (IndexOutOfRange, OutOfMemory, ArgumentException...) fails the test by escaping.
        }
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(rejected, Is.GreaterThan(400), $"accepted {accepted}");
        Console.WriteLine($"fuzz: {rejected} rejected, {accepted} read unchanged, {clock.ElapsedMilliseconds} ms");
    }

    internal static byte[] Flip(byte[] bytes, Random random)
    {
        var copy = (byte[])bytes.Clone();
        for (int flips = random.Next(1, 4); flips > 0; flips--) copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    private static byte[] RandomBytes(Random random, ReadOnlySpan<byte> start)
    {
        var bytes = new byte[start.Length + random.Next(400)];
        random.NextBytes(bytes);
        start.CopyTo(bytes);
        return bytes;
    }

    /// <summary>Replaces, inserts or deletes characters of a .npy header, keeping the declared length right so the parser sees it.</summary>
    private static byte[] MangleHeader(byte[] npy, Random random, string alphabet)
    {
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(npy.AsSpan(8));
        var header = Encoding.Latin1.GetString(npy, 10, headerLength).ToList();
        for (int edits = random.Next(1, 4); edits > 0; edits--)
        {
            int at = random.Next(header.Count);
            char c = alphabet[random.Next(alphabet.Length)];
            switch (random.Next(3))
            {
                case 0: header[at] = c; break;
                case 1: header.Insert(at, c); break;
                default: if (header.Count > 1) header.RemoveAt(at); break;
            }
        }
        byte[] headerBytes = Encoding.Latin1.GetBytes([.. header]);
        var result = new byte[10 + headerBytes.Length + npy.Length - 10 - headerLength];
        npy.AsSpan(0, 10).CopyTo(result);
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)headerBytes.Length);
        headerBytes.CopyTo(result, 10);
        npy.AsSpan(10 + headerLength).CopyTo(result.AsSpan(10 + headerBytes.Length));
        return result;
    }
}
