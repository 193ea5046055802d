using System.Security.Cryptography;
using GraphDL.Data;
using GraphDL.Tests.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Guarantees;

/// <summary>
/// The data cache under the faults a user meets: a folder that cannot be written, a disk that fills up mid-download,
/// a mirror that cuts a download off, a file truncated by an older version, and several processes fetching into one
/// cache at once. Each ends with the right bytes or a clear error, and never with a half-written file under a name a
/// later run trusts. The files are served from a loopback server, so the tests never touch the network.
/// </summary>
public class DataFilesTests
{
    private string _cache = "";
    private readonly List<string> _log = [];

    /// <summary>
    /// A small IDX file standing in for one of MNIST's, as its record and as the gzip bytes a mirror serves. Random
    /// pixels, so that gzip cannot shrink it and the download takes many chunks.
    /// </summary>
    private static readonly (DataFile File, byte[] Content, byte[] Served) Digits = MakeDigits();

    [SetUp]
    public void CreateCache()
    {
        _cache = Directory.CreateTempSubdirectory("graphdl-files-").FullName;
        _log.Clear();
    }

    [TearDown]
    public void RemoveCache()
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_cache, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.Delete(_cache, recursive: true);
    }

    [Test]
    public void ReadOnlyCacheFailsBeforeDownloadingAndNamesTheFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("A folder is made read-only here with Unix file modes.");
            return;
        }
        var (file, content, served) = Digits;
        var (present, presentContent) = Tiny("present-idx1-ubyte", 3, 1, 4);
        File.WriteAllBytes(Path.Combine(_cache, present.Name), presentContent);
        File.SetUnixFileMode(_cache, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                                     UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        if (CanCreateFileIn(_cache))
            Assert.Ignore("File permissions are not enforced for this user (root, or CAP_DAC_OVERRIDE), so a read-only folder cannot be made here.");
        using var mirror = new ScriptedMirror(served);

        var fetcher = Fetcher(mirror.Url);
        Assert.That(fetcher.Fetch([present])[present.Name], Is.EqualTo(presentContent), "a good file in a read-only cache is still read");

        var e = Assert.Throws<DataUnavailableException>(() => fetcher.Fetch([present, file]));
        Assert.That(e!.Message, Does.Contain($"The data cache folder {_cache} cannot be written")
            .And.Contain(file.Name).And.Contain($"{DataCache.RootVariable}=DIR"));
        Assert.That(mirror.Requests, Is.Zero, "it fails before downloading anything");

        // A cache folder that does not exist yet, under a folder that cannot be written, is reported the same way.
        string below = Path.Combine(_cache, "mnist");
        var missing = Assert.Throws<DataUnavailableException>(() => Fetcher(mirror.Url, below).Fetch([file]));
        Assert.That(missing!.Message, Does.Contain($"The data cache folder {below} cannot be written"));
        Assert.That(CacheFiles(), Is.EqualTo(new[] { present.Name }));

        // A file taken out of a Debian package: the same, before the package is downloaded.
        var (packaged, deb, _) = Book;
        using var pool = new ScriptedMirror(deb);
        var packagedError = Assert.Throws<DataUnavailableException>(() => packaged.Fetch(_cache, mirrors: [pool.Url]));
        Assert.That(packagedError!.Message, Does.Contain($"The data cache folder {_cache} cannot be written").And.Contain(packaged.File.Name));
        Assert.That(pool.Requests, Is.Zero);
    }

    [Test]
    public void ACacheFolderThatCannotBeCreatedFailsBeforeDownloading()
    {
        // A file where a parent folder should be stops everyone, root included, so this runs where the read-only
        // folder above has to be skipped.
        var (file, _, served) = Digits;
        string blocker = Path.Combine(_cache, "not-a-folder");
        File.WriteAllText(blocker, "a file, not a folder");
        string below = Path.Combine(blocker, "mnist");
        using var mirror = new ScriptedMirror(served);

        var e = Assert.Throws<DataUnavailableException>(() => Fetcher(mirror.Url, below).Fetch([file]));
        Assert.That(e!.Message, Does.Contain($"The data cache folder {below} cannot be written")
            .And.Contain(file.Name).And.Contain($"{DataCache.RootVariable}=DIR"));
        Assert.That(mirror.Requests, Is.Zero, "it fails before downloading anything");
        Assert.That(CacheFiles(), Is.EqualTo(new[] { "not-a-folder" }), "nothing else was written");
    }

    [Test]
    public void FullDiskMidDownloadIsAClearErrorAndLeavesNoFile()
    {
        var (file, content, served) = Digits;
        using var mirror = new ScriptedMirror(served);
        var fetcher = new MnistFetcher(_cache, _log.Add)
        {
            Mirrors = [mirror.Url + "first/", mirror.Url + "second/"], UseNpm = false,
            WrapCacheWrites = stream => new FullDiskStream(stream, room: served.Length / 3),
        };

        var e = Assert.Throws<DataUnavailableException>(() => fetcher.Fetch([file]));

        Assert.That(e!.Message, Does.Contain($"Could not store {file.Name} in the data cache folder {_cache}: the disk is full")
            .And.Contain("No space left on device").And.Contain($"Nothing was stored under {Path.Combine(_cache, file.Name)}"));
        Assert.That(CacheFiles(), Is.Empty, "neither the file nor its partial download is left");
        Assert.That(mirror.Requests, Is.EqualTo(1), "a full disk is not a reason to download again from the next mirror");

        // Once there is room again, the same fetch succeeds.
        Assert.That(Fetcher(mirror.Url).Fetch([file])[file.Name], Is.EqualTo(content));
        Assert.That(CacheFiles(), Is.EqualTo(new[] { file.Name + ".gz" }));
    }

    [Test]
    public void FullDiskWhileStoringAPackagedFileIsAClearErrorAndLeavesNoFile()
    {
        var (packaged, deb, text) = Book;
        using var pool = new ScriptedMirror(deb);
        string name = packaged.File.Name;

        var e = Assert.Throws<DataUnavailableException>(() =>
            packaged.Fetch(_cache, _log.Add, [pool.Url + "first/", pool.Url + "second/"], stream => new FullDiskStream(stream, room: text.Length / 2)));

        Assert.That(e!.Message, Does.Contain($"Could not store {name} in the data cache folder {_cache}: the disk is full")
            .And.Contain($"Nothing was stored under {Path.Combine(_cache, name)}"));
        Assert.That(CacheFiles(), Is.Empty);
        Assert.That(pool.Requests, Is.EqualTo(1), "a full disk is not a reason to download the package again from the next mirror");
        Assert.That(packaged.Fetch(_cache, mirrors: [pool.Url]), Is.EqualTo(text));
        Assert.That(CacheFiles(), Is.EqualTo(new[] { name }));
    }

    [TestCase(Delivery.CutOffHalfway, "broke off")]
    [TestCase(Delivery.CutOffWithoutLength, "the gzip stream is truncated (or damaged)")]
    public void DownloadCutOffMidFileIsReportedAndALaterFetchSucceeds(Delivery cut, string why)
    {
        var (file, content, served) = Digits;
        using var mirror = new ScriptedMirror(served) { Plan = request => request == 0 ? cut : Delivery.Whole };
        string url = mirror.Url + "mnist/";

        var e = Assert.Throws<DataUnavailableException>(() => Fetcher(url).Fetch([file]));

        Assert.That(e!.Message, Does.Contain($"{url}{file.Name}.gz: ").And.Contain(why));
        Assert.That(CacheFiles(), Is.Empty, "half a file is never kept, under its name or a temporary one");

        Assert.That(Fetcher(url).Fetch([file])[file.Name], Is.EqualTo(content), "the next fetch downloads it again");
        Assert.That(File.ReadAllBytes(Path.Combine(_cache, file.Name + ".gz")), Is.EqualTo(served));
        Assert.That(CacheFiles(), Is.EqualTo(new[] { file.Name + ".gz" }));
        Assert.That(mirror.Requests, Is.EqualTo(2));
    }

    [Test]
    public void FileTruncatedByAnEarlierCrashIsNotTrustedButFetchedAgain()
    {
        var (file, content, served) = Digits;
        using var mirror = new ScriptedMirror(served);
        // What a version that wrote in place would leave after a crash: the start of the file under its final name.
        File.WriteAllBytes(Path.Combine(_cache, file.Name), content[..(content.Length / 2)]);

        var fetched = Fetcher(mirror.Url).Fetch([file]);

        Assert.That(fetched[file.Name], Is.EqualTo(content));
        Assert.That(_log, Has.Some.Contains($"{Path.Combine(_cache, file.Name)} is not a good copy").And.Contain("(truncated)"));
        Assert.That(CacheFiles(), Is.EqualTo(new[] { file.Name + ".gz" }), "the truncated copy is gone, the good one is in");
        Assert.That(mirror.Requests, Is.EqualTo(1));
    }

    [Test]
    public void TemporaryFilesOfKilledDownloadsAreDeletedButNotThoseOfLiveOnes()
    {
        var (file, content, served) = Digits;
        using var mirror = new ScriptedMirror(served);
        string abandoned = Path.Combine(_cache, $".{file.Name}.{Guid.NewGuid():N}.part");
        string live = Path.Combine(_cache, $".{file.Name}.{Guid.NewGuid():N}.part");
        string other = Path.Combine(_cache, $".other-idx1-ubyte.{Guid.NewGuid():N}.part");
        foreach (string part in new[] { abandoned, live, other }) File.WriteAllBytes(part, served[..1000]);
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow - DataCache.AbandonedAfter - TimeSpan.FromMinutes(1));
        File.SetLastWriteTimeUtc(other, DateTime.UtcNow - DataCache.AbandonedAfter - TimeSpan.FromMinutes(1));

        Assert.That(Fetcher(mirror.Url).Fetch([file])[file.Name], Is.EqualTo(content));

        Assert.That(File.Exists(abandoned), Is.False, "a download killed long ago left it");
        Assert.That(File.Exists(live), Is.True, "it may be another process's download in progress");
        Assert.That(File.Exists(other), Is.True, "only the fetched file's leftovers are touched");
        Assert.That(_log, Has.Some.Contains($"Deleted {abandoned}"));
    }

    [Test]
    public void ProcessesAndThreadsFetchingIntoOneCacheAtOnceAllGetTheWholeFile()
    {
        var (file, content, served) = Digits;
        // About two seconds a download, so that the fetches overlap however slowly the child processes start.
        using var mirror = new ScriptedMirror(served) { PausePerChunk = TimeSpan.FromMilliseconds(2000.0 * (16 << 10) / served.Length) };
        string probe = Path.Combine(AppContext.BaseDirectory, "GraphDL.DataFetchProbe.dll");
        Assert.That(File.Exists(probe), $"{probe} was not built beside the tests");
        string expectedSha = Convert.ToHexStringLower(SHA256.HashData(content));
        string target = Path.Combine(_cache, file.Name + ".gz");

        // Whatever is under the final name at any moment must be the whole file.
        using var done = new CancellationTokenSource();
        var seen = new List<string>();
        var watcher = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                byte[] bytes;
                try { bytes = File.ReadAllBytes(target); }
                catch (FileNotFoundException) { continue; }
                lock (seen) seen.Add(bytes.AsSpan().SequenceEqual(served) ? "whole" : $"{bytes.Length} of {served.Length} bytes");
            }
        });

        string[] args = [_cache, mirror.Url + "mnist/", file.Name, file.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture), file.Sha256];
        var processes = Enumerable.Range(0, 2).Select(_ => Task.Run(() => ChildProcess.Run("dotnet", [probe, .. args], TimeSpan.FromSeconds(60)))).ToArray();
        var threads = Enumerable.Range(0, 2).Select(_ => Task.Run(() => Fetcher(mirror.Url + "mnist/").Fetch([file])[file.Name])).ToArray();
        Task.WaitAll([.. processes, .. threads]);
        done.Cancel();
        watcher.Wait();

        foreach (var process in processes)
        {
            var (exitCode, output, error) = process.Result;
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(output.Trim(), Is.EqualTo($"sha256 {expectedSha}"));
        }
        foreach (var thread in threads) Assert.That(thread.Result, Is.EqualTo(content));
        Assert.That(mirror.MostAtOnce, Is.GreaterThanOrEqualTo(2), "the downloads overlapped");
        Assert.That(seen, Is.Not.Empty.And.All.EqualTo("whole"), "no reader ever saw part of the file under its name");
        Assert.That(CacheFiles(), Is.EqualTo(new[] { file.Name + ".gz" }), "one file, no temporary file left");
        Assert.That(File.ReadAllBytes(target), Is.EqualTo(served));
    }

    [Test]
    public void ThreadsFetchingOnePackagedFileAtOnceAllGetTheWholeFile()
    {
        var (packaged, deb, text) = Book;
        using var pool = new ScriptedMirror(deb) { PausePerChunk = TimeSpan.FromMilliseconds(100) };
        string target = Path.Combine(_cache, packaged.File.Name);

        var fetches = Enumerable.Range(0, 4).Select(_ => Task.Run(() => packaged.Fetch(_cache, mirrors: [pool.Url]))).ToArray();
        var seen = new List<string>();
        while (!fetches.All(f => f.IsCompleted))
        {
            try { byte[] bytes = File.ReadAllBytes(target); seen.Add(bytes.AsSpan().SequenceEqual(text) ? "whole" : $"{bytes.Length} of {text.Length} bytes"); }
            catch (FileNotFoundException) { }
        }
        Task.WaitAll(fetches);

        Assert.That(fetches.Select(f => f.Result), Is.All.EqualTo(text));
        Assert.That(pool.MostAtOnce, Is.GreaterThanOrEqualTo(2), "the downloads overlapped");
        Assert.That(seen, Is.All.EqualTo("whole"), "no reader ever saw part of the file under its name");
        Assert.That(CacheFiles(), Is.EqualTo(new[] { packaged.File.Name }), "one file, no temporary file left");
    }

    private MnistFetcher Fetcher(string mirror, string? cache = null) =>
        new(cache ?? _cache, _log.Add) { Mirrors = [mirror], UseNpm = false };

    private string[] CacheFiles() => [.. Directory.GetFiles(_cache).Select(Path.GetFileName).Order()!];

    private static bool CanCreateFileIn(string folder)
    {
        try
        {
            new FileStream(Path.Combine(folder, ".permission-probe"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose).Dispose();
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static (DataFile File, byte[] Content) Tiny(string name, params byte[] labels)
    {
        byte[] content = IdxTests.IdxBytes([labels.Length], labels);
        return (new DataFile(name, content.Length, Convert.ToHexStringLower(SHA256.HashData(content))), content);
    }

    /// <summary>
    /// A text file shipped in a Debian package: the record that says where it is, the package a pool serves, and the
    /// text. Random letters, so that the package is some chunks long.
    /// </summary>
    private static readonly (PackagedDataFile File, byte[] Package, byte[] Text) Book = MakeBook();

    private static (PackagedDataFile, byte[], byte[]) MakeBook()
    {
        const string pathInPackage = "usr/share/doc/example/book.txt";
        var random = new Random(7);
        byte[] text = [.. Enumerable.Range(0, 100_000).Select(_ => (byte)random.Next('a', 'z' + 1))];
        byte[] deb = DebianPackageTests.Deb(("data.tar", DebianPackageTests.Tar((pathInPackage, text))));
        var file = new PackagedDataFile(new DataFile("book.txt", text.Length, Convert.ToHexStringLower(SHA256.HashData(text))),
            "main/e/example/example_1.0-1_all.deb", Convert.ToHexStringLower(SHA256.HashData(deb)), pathInPackage);
        return (file, deb, text);
    }

    private static (DataFile, byte[], byte[]) MakeDigits()
    {
        var pixels = new byte[200 * 28 * 28];
        new Random(20).NextBytes(pixels);
        byte[] content = IdxTests.IdxBytes([200, 28, 28], pixels);
        var file = new DataFile("digits-idx3-ubyte", content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
        return (file, content, IdxTests.Gzip(content));
    }
}
