using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

/// <summary>
/// Bounded fuzzing of every reader of outside data: IDX files raw and gzip-compressed, CSV text and files,
/// MNIST's cached and downloaded copies. Each input is damaged the ways files really get damaged
/// (truncated, bits flipped, replaced by junk, headers declaring absurd sizes) and the reader must either
/// read it or throw its documented exception, with a message naming the source, and leave no files behind.
/// Seeds are fixed, so a failure reproduces; the whole fixture runs in a few seconds.
/// </summary>
public class ReaderFuzzTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("graphdl-fuzz-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    // ---------------------------------------------------------------- IDX

    /// <summary>A 3x2x2 image file: small enough to damage at every byte and bit.</summary>
    private static readonly byte[] ValidIdx = IdxTests.IdxBytes([3, 2, 2], [0, 1, 2, 3, 250, 251, 252, 253, 9, 8, 7, 6]);

    /// <summary>Parses <paramref name="bytes"/> as the IDX reader would; null when they are read, else the exception.</summary>
    private static Exception? TryParse(byte[] bytes, string source)
    {
        try
        {
            var idx = Idx.Parse(Idx.IsGzip(bytes) ? Idx.Gunzip(bytes, source) : bytes, source);
            // What is read must be self-consistent: the payload is exactly what the dimensions declare.
            Assert.That(idx.Data.LongLength, Is.EqualTo(idx.Dims.Aggregate(1L, (n, d) => n * d)), $"{source}: payload length");
            Assert.That(idx.Dims, Has.All.GreaterThanOrEqualTo(0));
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>The reader's contract for a damaged file: InvalidDataException, and the message names the file.</summary>
    private static void AssertRejected(Exception? e, string source, string what)
    {
        Assert.That(e, Is.Not.Null, $"{what}: read as if it were valid");
        Assert.That(e, Is.TypeOf<InvalidDataException>(), $"{what}: {e!.GetType().Name}: {e.Message}");
        Assert.That(e.Message, Does.Contain(source), $"{what}: the message should name the file");
    }

    private static void AssertReadOrRejected(Exception? e, string source, string what)
    {
        if (e is not null) AssertRejected(e, source, what);
    }

    [Test]
    public void IdxEveryPrefixOfARawFileIsRejected()
    {
        for (int length = 0; length < ValidIdx.Length; length++)
            AssertRejected(TryParse(ValidIdx[..length], "prefix.idx"), "prefix.idx", $"the first {length} of {ValidIdx.Length} bytes");
        Assert.That(TryParse(ValidIdx, "whole.idx"), Is.Null);
    }

    [Test]
    public void IdxEveryPrefixOfAGzipFileIsRejectedFromDisk()
    {
        byte[] gz = IdxTests.Gzip(ValidIdx);
        for (int length = 0; length < gz.Length; length++)
        {
            string path = Path.Combine(_dir, $"prefix-{length}.gz");
            File.WriteAllBytes(path, gz[..length]);
            Exception? e = null;
            try { Idx.Read(path); }
            catch (Exception caught) { e = caught; }
            AssertRejected(e, path, $"the first {length} of {gz.Length} gzip bytes");
        }
        string whole = Path.Combine(_dir, "whole.gz");
        File.WriteAllBytes(whole, gz);
        Assert.That(Idx.Read(whole).Data, Is.EqualTo(ValidIdx[16..]));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(gz.Length + 1), "reading writes nothing");
    }

    [Test]
    public void IdxTruncatedGzipSaysSo()
    {
        byte[] gz = IdxTests.Gzip(IdxTests.IdxBytes([4096], new byte[4096]));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Gunzip(gz[..(gz.Length - 6)], "cut.gz"));
        Assert.That(e!.Message, Does.Contain("cut.gz").And.Contain("truncated"));
    }

    [Test]
    public void IdxEveryBitFlipOfARawFileIsReadConsistentlyOrRejected()
    {
        int read = 0;
        for (int bit = 0; bit < ValidIdx.Length * 8; bit++)
        {
            byte[] damaged = (byte[])ValidIdx.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            var e = TryParse(damaged, "flipped.idx");
            AssertReadOrRejected(e, "flipped.idx", $"bit {bit} flipped");
            if (e is null) read++;
        }
        // Flips in the payload leave a valid file; flips in the magic, type, rank or sizes do not.
        Assert.That(read, Is.EqualTo(12 * 8), "exactly the payload flips are readable");
    }

    [Test]
    public void IdxEveryBitFlipOfAGzipFileIsReadOrRejected()
    {
        byte[] gz = IdxTests.Gzip(ValidIdx);
        int rejected = 0;
        for (int bit = 0; bit < gz.Length * 8; bit++)
        {
            byte[] damaged = (byte[])gz.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            var e = TryParse(damaged, "flipped.gz");
            AssertReadOrRejected(e, "flipped.gz", $"gzip bit {bit} flipped");
            if (e is not null) rejected++;
        }
        // The CRC and length in gzip's trailer catch damage to the compressed data, so most flips are refused.
        Assert.That(rejected, Is.GreaterThan(gz.Length * 8 / 2));
    }

    [Test]
    public void IdxRandomBytesAreRejected()
    {
        var rng = new Random(8);
        for (int i = 0; i < 3000; i++)
        {
            var bytes = new byte[rng.Next(0, 48)];
            rng.NextBytes(bytes);
            // Most junk fails at the magic; a third starts like an IDX or gzip header to get further in.
            switch (i % 3)
            {
                case 1 when bytes.Length >= 4:
                    (bytes[0], bytes[1], bytes[2], bytes[3]) = (0, 0, Idx.UnsignedByte, (byte)rng.Next(0, 5));
                    break;
                case 2 when bytes.Length >= 2:
                    (bytes[0], bytes[1]) = (0x1f, 0x8b);
                    break;
            }
            AssertReadOrRejected(TryParse(bytes, "junk"), "junk", $"random buffer {i}");
        }
    }

    private static readonly TestCaseData[] AbsurdHeaders =
    [
        new TestCaseData(new uint[] { uint.MaxValue }, "dimension 0 is 4294967295").SetName("IdxHugeDim_UintMax"),
        new TestCaseData(new uint[] { 0x8000_0000u, 1 }, "dimension 0 is 2147483648").SetName("IdxHugeDim_IntOverflow"),
        new TestCaseData(new uint[] { int.MaxValue, int.MaxValue, int.MaxValue }, "more elements than an array can").SetName("IdxHugeDim_Terabytes"),
        new TestCaseData(new uint[] { 46341, 46341 }, "more elements than an array can").SetName("IdxHugeDim_JustOverTheArrayLimit"),
        new TestCaseData(new uint[] { 46340, 46340 }, "need 2,147,395,600 data bytes but the file has 5").SetName("IdxHugeDim_FitsButTruncated"),
        new TestCaseData(new uint[] { 0, int.MaxValue, int.MaxValue }, "more elements than an array can").SetName("IdxHugeDim_NoItemsOfAHugeSize"),
        new TestCaseData(new uint[] { 60000, 0, 28 }, "need 0 data bytes but the file has 5").SetName("IdxHugeDim_ZeroSizedItems"),
    ];

    [TestCaseSource(nameof(AbsurdHeaders))]
    public void IdxHeaderDeclaringAbsurdSizesIsRejectedWithoutAllocatingThem(uint[] dims, string expected)
    {
        var header = new List<byte> { 0, 0, Idx.UnsignedByte, (byte)dims.Length };
        foreach (uint d in dims) header.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        header.AddRange(new byte[5]);
        byte[] bytes = [.. header];

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Idx.Parse(bytes, "absurd.idx"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(e!.Message, Does.StartWith("absurd.idx is not a valid IDX file").And.Contain(expected));
        Assert.That(allocated, Is.LessThan(64 * 1024), "the declared size is checked, not allocated");
    }

    [Test]
    public void IdxRankBeyondTheFileIsRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => Idx.Parse([0, 0, Idx.UnsignedByte, 255, 0, 0, 0, 1], "deep.idx"));
        Assert.That(e!.Message, Does.Contain("deep.idx").And.Contain("255 dimensions (1024 header bytes) but the file has only 8 bytes"));
    }

    [Test]
    public void IdxGzipThatInflatesBeyondTheLimitIsStoppedEarly()
    {
        // 32 MB of zeros compress to a few tens of kilobytes: a small file that would fill memory if trusted.
        byte[] bomb = IdxTests.Gzip(new byte[32 << 20]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Idx.Gunzip(bomb, "bomb.gz", maxBytes: 1000));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(e!.Message, Does.Contain("bomb.gz").And.Contain("more than 1,000 bytes"));
        Assert.That(allocated, Is.LessThan(4 << 20), "decompression stops at the limit");
        Assert.That(Idx.Gunzip(IdxTests.Gzip(ValidIdx), "fits.gz", maxBytes: ValidIdx.Length), Is.EqualTo(ValidIdx));
    }

    [Test]
    public void MnistDataSetFromFuzzedIdxArraysIsBuiltOrRejected()
    {
        var rng = new Random(28);
        int built = 0;
        for (int i = 0; i < 400; i++)
        {
            int n = rng.Next(0, 4);
            int[] imageDims = rng.Next(4) == 0 ? [n, rng.Next(0, 30), 28] : rng.Next(5) == 0 ? [n * 784] : [n, 28, 28];
            int[] labelDims = rng.Next(5) == 0 ? [n + 1] : rng.Next(6) == 0 ? [n, 1] : [n];
            var images = new IdxArray(imageDims, new byte[imageDims.Aggregate(1, (a, b) => a * b)]);
            var labelBytes = new byte[labelDims.Aggregate(1, (a, b) => a * b)];
            for (int k = 0; k < labelBytes.Length; k++) labelBytes[k] = (byte)(rng.Next(8) == 0 ? rng.Next(256) : rng.Next(10));
            try
            {
                var set = Mnist.ToDataSet(images, new IdxArray(labelDims, labelBytes));
                Assert.That(set.Count, Is.EqualTo(n));
                built++;
            }
            catch (InvalidDataException e)
            {
                Assert.That(e.Message, Does.StartWith("MNIST "), $"case {i}");
            }
        }
        Assert.That(built, Is.GreaterThan(50).And.LessThan(350), "the mix holds both good and bad pairs");
    }

    // ---------------------------------------------------------------- CSV

    private const string ValidCsv =
        "name,\"x, mm\",y,kind\r\n" +
        "a,1,2.5,setosa\r\n" +
        "\"b \"\"quoted\"\"\",-3,4e2,\"versi\ncolor\"\n" +
        "\n" +
        "c,0.125,-7,setosa\n";

    /// <summary>
    /// Reads <paramref name="text"/> and asks the table for everything it offers. Only CsvException may come
    /// out, naming the source and a line that exists.
    /// </summary>
    private static void ReadCsvFully(string text, string source, bool hasHeader, char separator, string what)
    {
        int lines = text.Count(c => c == '\n') + text.Replace("\r\n", "\n").Count(c => c == '\r') + 1;
        try
        {
            var table = Csv.Parse(text, source, hasHeader, separator);
            Assert.That(table.Rows, Has.All.Count.EqualTo(table.ColumnCount), what);
            for (int c = 0; c < table.ColumnCount; c++)
            {
                Assert.That(table.Column(c), Has.Length.EqualTo(table.RowCount));
                Catch(() => table.Numbers(c));
                Catch(() => table.Classes(c));
                Catch(() => table.Classes(c, "setosa", "a"));
                if (table.HasHeader) Catch(() => table.IndexOf(table.Header[c]));
            }
            Catch(() => table.ToTensor());
        }
        catch (CsvException e)
        {
            Check(e);
        }

        void Catch(Action read)
        {
            try { read(); }
            catch (CsvException e) { Check(e); }
        }

        void Check(CsvException e)
        {
            Assert.That(e.Message, Does.StartWith(source), what);
            Assert.That(e.File, Is.EqualTo(source));
            if (e.Line is { } line) Assert.That(line, Is.InRange(1, lines), $"{what}: {e.Message}");
            if (e.Column is { } column) Assert.That(column, Is.GreaterThanOrEqualTo(1), $"{what}: {e.Message}");
        }
    }

    [Test]
    public void CsvEveryPrefixIsReadOrRejected()
    {
        foreach (bool header in new[] { true, false })
            for (int length = 0; length <= ValidCsv.Length; length++)
                ReadCsvFully(ValidCsv[..length], "prefix.csv", header, ',', $"first {length} chars, header {header}");
    }

    [Test]
    public void CsvEveryCharacterReplacedByEachSpecialIsReadOrRejected()
    {
        char[] specials = ['"', ',', ';', '\r', '\n', ' ', '\0', '\uFFFD', 'x', '1', 'e', '-'];
        for (int i = 0; i < ValidCsv.Length; i++)
            foreach (char c in specials)
            {
                string damaged = ValidCsv[..i] + c + ValidCsv[(i + 1)..];
                ReadCsvFully(damaged, "flipped.csv", hasHeader: true, ',', $"char {i} replaced by U+{(int)c:X4}");
            }
    }

    [Test]
    public void CsvRandomTextIsReadOrRejected()
    {
        var rng = new Random(4180);
        const string alphabet = "\"\"\",,,;\t\r\n\n ab1.e-+NaN∞\0";
        char[] separators = [',', ';', '\t', ' ', 'a'];
        for (int i = 0; i < 3000; i++)
        {
            var text = new StringBuilder();
            int length = rng.Next(0, 40);
            for (int k = 0; k < length; k++) text.Append(alphabet[rng.Next(alphabet.Length)]);
            ReadCsvFully(text.ToString(), "random.csv", hasHeader: rng.Next(2) == 0, separators[i % separators.Length], $"random text {i}: {text}");
        }
    }

    [Test]
    public void CsvFilesOfRandomBytesAreReadOrRejected()
    {
        var rng = new Random(1252);
        string path = Path.Combine(_dir, "bytes.csv");
        for (int i = 0; i < 200; i++)
        {
            var bytes = new byte[rng.Next(0, 64)];
            rng.NextBytes(bytes);
            if (i % 4 == 0 && bytes.Length >= 3) (bytes[0], bytes[1], bytes[2]) = (0xEF, 0xBB, 0xBF);   // a UTF-8 byte order mark
            if (i % 4 == 1 && bytes.Length >= 2) (bytes[0], bytes[1]) = (0xFF, 0xFE);                   // a UTF-16 one
            File.WriteAllBytes(path, bytes);
            try
            {
                var table = Csv.Read(path, hasHeader: i % 2 == 0);
                for (int c = 0; c < table.ColumnCount; c++)
                    try { table.Numbers(c); }
                    catch (CsvException e) { Assert.That(e.File, Is.EqualTo(path)); }
            }
            catch (CsvException e)
            {
                Assert.That(e.Message, Does.StartWith(path), $"bytes {i}");
            }
        }
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }), "reading writes nothing");
    }

    [Test]
    public void CsvTableWithNoColumnsSaysSoWhenAskedForATensor()
    {
        var table = Csv.Parse("", "empty.csv", hasHeader: false);
        Assert.That(table.ColumnCount, Is.EqualTo(0));
        var e = Assert.Throws<CsvException>(() => table.ToTensor());
        Assert.That(e!.Message, Is.EqualTo("empty.csv: the file has no columns to put in a tensor."));
    }

    // ---------------------------------------------------------------- the MNIST cache

    /// <summary>A labels file standing in for one of MNIST's (the real ones are 47 MB).</summary>
    private static readonly byte[] LabelsContent = IdxTests.IdxBytes([16], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4, 3, 5, 3, 6, 1, 7]);

    private static readonly DataFile Labels = new("labels-idx1-ubyte", LabelsContent.Length, Convert.ToHexStringLower(SHA256.HashData(LabelsContent)));

    /// <summary>
    /// Damaged copies of a file: every prefix, every <paramref name="bitStride"/>-th single bit flipped (a
    /// stride prime to 8 reaches every bit position within a byte), and random junk of similar sizes.
    /// </summary>
    private static IEnumerable<(string What, byte[] Bytes)> Damaged(byte[] good, int seed, int bitStride = 3)
    {
        for (int length = 0; length < good.Length; length++) yield return ($"first {length} bytes", good[..length]);
        for (int bit = 0; bit < good.Length * 8; bit += bitStride)
        {
            byte[] flipped = (byte[])good.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            yield return ($"bit {bit} flipped", flipped);
        }
        var rng = new Random(seed);
        for (int i = 0; i < 20; i++)
        {
            var junk = new byte[rng.Next(0, good.Length * 2)];
            rng.NextBytes(junk);
            yield return ($"junk {i}", junk);
        }
        yield return ("one byte too many", [.. good, 0]);
    }

    private string[] CacheFiles(string cache) => [.. Directory.GetFiles(cache).Select(Path.GetFileName).Order()!];

    [Test]
    public void MnistCacheNeverHandsOutADamagedRawCopy()
    {
        string cache = Path.Combine(_dir, "cache");
        Directory.CreateDirectory(cache);
        string cached = Path.Combine(cache, Labels.Name);
        int rejected = 0;
        foreach (var (what, bytes) in Damaged(LabelsContent, seed: 1))
        {
            File.WriteAllBytes(cached, bytes);
            var log = new List<string>();
            var fetcher = new MnistFetcher(cache, log.Add) { Mirrors = [], UseNpm = false };
            var e = Assert.Throws<DataUnavailableException>(() => fetcher.Fetch([Labels]), what);
            Assert.That(e!.Message, Does.Contain(Labels.Sha256), what);
            Assert.That(CacheFiles(cache), Is.Empty, $"{what}: the damaged copy is deleted and nothing is written");
            Assert.That(log, Has.Some.Contains($"{cached} is not a good copy of {Labels.Name}").And.Some.Contains("Deleting it"), what);
            rejected++;
        }
        Assert.That(rejected, Is.EqualTo(LabelsContent.Length + (LabelsContent.Length * 8 + 2) / 3 + 21));
    }

    [Test]
    public void MnistCacheNeverHandsOutADamagedGzipCopy()
    {
        string cache = Path.Combine(_dir, "cache");
        Directory.CreateDirectory(cache);
        string cached = Path.Combine(cache, Labels.Name + ".gz");
        byte[] gz = IdxTests.Gzip(LabelsContent);
        int accepted = 0;
        foreach (var (what, bytes) in Damaged(gz, seed: 2))
        {
            File.WriteAllBytes(cached, bytes);
            var fetcher = new MnistFetcher(cache) { Mirrors = [], UseNpm = false };
            try
            {
                // Some flips touch only what gzip does not check (the timestamp, the OS byte): the content is
                // still the right one, verified by its hash, and the copy stays.
                var files = fetcher.Fetch([Labels]);
                Assert.That(files[Labels.Name], Is.EqualTo(LabelsContent), what);
                Assert.That(CacheFiles(cache), Is.EqualTo(new[] { Labels.Name + ".gz" }), what);
                accepted++;
            }
            catch (DataUnavailableException)
            {
                Assert.That(CacheFiles(cache), Is.Empty, $"{what}: the damaged copy is deleted");
            }
        }
        Assert.That(accepted, Is.InRange(1, gz.Length - 1), "flips in the timestamp are harmless, and only flips outside the checked parts");
    }

    [Test]
    public void MnistCacheUsesTheGoodCopyAndDeletesADamagedOneBesideIt()
    {
        string cache = Path.Combine(_dir, "cache");
        Directory.CreateDirectory(cache);
        File.WriteAllBytes(Path.Combine(cache, Labels.Name), LabelsContent);
        byte[] gz = IdxTests.Gzip(LabelsContent);
        gz[^5] ^= 0x10;   // the stored length: the data decompresses but gzip's check fails
        File.WriteAllBytes(Path.Combine(cache, Labels.Name + ".gz"), gz);

        var log = new List<string>();
        var files = new MnistFetcher(cache, log.Add) { Mirrors = [], UseNpm = false }.Fetch([Labels]);

        Assert.That(files[Labels.Name], Is.EqualTo(LabelsContent));
        Assert.That(CacheFiles(cache), Is.EqualTo(new[] { Labels.Name }));
        Assert.That(log, Has.One.Contains(Labels.Name + ".gz is not a good copy").And.Contains("Deleting it"));
    }

    [Test]
    public void MnistCachedGzipBombIsRejectedWithoutInflatingIt()
    {
        string cache = Path.Combine(_dir, "cache");
        Directory.CreateDirectory(cache);
        File.WriteAllBytes(Path.Combine(cache, Labels.Name + ".gz"), IdxTests.Gzip(new byte[32 << 20]));
        var log = new List<string>();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<DataUnavailableException>(() => new MnistFetcher(cache, log.Add) { Mirrors = [], UseNpm = false }.Fetch([Labels]));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.LessThan(4 << 20), "decompression stops past the expected size");
        Assert.That(log, Has.One.Contains($"decompresses to more than {Labels.Bytes:N0} bytes"));
        Assert.That(CacheFiles(cache), Is.Empty);
    }

    [Test]
    public void MnistDownloadsThatAreDamagedAreRejectedAndLeaveNoTemporaryFiles()
    {
        string cache = Path.Combine(_dir, "cache");
        byte[] gz = IdxTests.Gzip(LabelsContent);
        // A sample of the damage, one variant per mirror path; the last mirror serves the good file. Flips that
        // leave the content intact (gzip's timestamp) are left out: those downloads are rightly accepted.
        var variants = Damaged(gz, seed: 3, bitStride: 1).Where((_, i) => i % 7 == 0).Where(v => !Inflates(v.Bytes, LabelsContent)).ToList();
        var served = new Dictionary<string, byte[]>();
        for (int i = 0; i < variants.Count; i++) served[$"/v{i}/{Labels.Name}.gz"] = variants[i].Bytes;
        served[$"/good/{Labels.Name}.gz"] = gz;
        using var mirror = new FileServer(served);

        var log = new List<string>();
        var fetcher = new MnistFetcher(cache, log.Add)
        {
            Mirrors = [.. Enumerable.Range(0, variants.Count).Select(i => $"{mirror.Url}v{i}/"), mirror.Url + "good/"],
            UseNpm = false,
        };
        var files = fetcher.Fetch([Labels]);

        Assert.That(files[Labels.Name], Is.EqualTo(LabelsContent));
        Assert.That(CacheFiles(cache), Is.EqualTo(new[] { Labels.Name + ".gz" }), "only the verified file, no .part left over");
        Assert.That(File.ReadAllBytes(Path.Combine(cache, Labels.Name + ".gz")), Is.EqualTo(gz));
        Assert.That(log.Count(line => line.Contains("rejected")), Is.EqualTo(variants.Count), "every damaged download is refused");

        // With no good mirror at all nothing is stored and the error lists every damaged download.
        Directory.Delete(cache, recursive: true);
        var failing = new MnistFetcher(cache) { Mirrors = fetcher.Mirrors.SkipLast(1).ToList(), UseNpm = false };
        var e = Assert.Throws<DataUnavailableException>(() => failing.Fetch([Labels]));
        Assert.That(CacheFiles(cache), Is.Empty);
        Assert.That(e!.Message, Does.Contain("Tried:"));
        for (int i = 0; i < variants.Count; i++) Assert.That(e.Message, Does.Contain($"v{i}/{Labels.Name}.gz: "));
    }

    private static bool Inflates(byte[] gz, byte[] content)
    {
        try { return Idx.IsGzip(gz) && Idx.Gunzip(gz, "probe").AsSpan().SequenceEqual(content); }
        catch (InvalidDataException) { return false; }
    }

    /// <summary>A loopback HTTP server of fixed files: 404 for anything else.</summary>
    private sealed class FileServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public FileServer(Dictionary<string, byte[]> files)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
            probe.Stop();
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _serving = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                    if (files.TryGetValue(context.Request.Url!.AbsolutePath, out var bytes))
                    {
                        context.Response.ContentLength64 = bytes.Length;
                        await context.Response.OutputStream.WriteAsync(bytes);
                    }
                    else
                    {
                        context.Response.StatusCode = 404;
                    }
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
