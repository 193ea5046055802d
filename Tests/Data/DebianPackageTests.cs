using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

/// <summary>Taking a file out of a .deb, and fetching a packaged data file into a cache, against packages made here.</summary>
public class DebianPackageTests
{
    private const string PathInPackage = "usr/share/doc/example/book.txt";
    private static readonly byte[] Book = Encoding.UTF8.GetBytes("It was a dark and stormy night.\n");

    [Test]
    public void ExtractsAFileFromAGzipDataMember()
    {
        byte[] deb = Deb(("data.tar.gz", Gzip(Tar((PathInPackage, Book), ("usr/share/doc/example/other.txt", [1, 2, 3])))));
        Assert.That(DebianPackage.ExtractFile(deb, PathInPackage, "example.deb"), Is.EqualTo(Book));
        Assert.That(DebianPackage.ExtractFile(deb, "/" + PathInPackage, "example.deb"), Is.EqualTo(Book), "a leading slash is the same path");
    }

    [Test]
    public void ExtractsAFileFromAnXzDataMember()
    {
        // Debian compresses with xz; the xz tool makes the member here, as dpkg-deb would.
        byte[] tar = Tar((PathInPackage, Book));
        byte[]? xz = RunXz(tar);
        if (xz is null) Assert.Ignore("the xz program is not on this machine, so no xz member can be made");
        byte[] deb = Deb(("data.tar.xz", xz!));
        Assert.That(DebianPackage.ExtractFile(deb, PathInPackage, "example.deb"), Is.EqualTo(Book));
    }

    [Test]
    public void ErrorsNameThePackageAndWhatIsWrong()
    {
        byte[] deb = Deb(("data.tar.gz", Gzip(Tar((PathInPackage, Book)))));
        var missing = Assert.Throws<InvalidDataException>(() => DebianPackage.ExtractFile(deb, "usr/bin/nothing", "example.deb"));
        Assert.That(missing!.Message, Does.Contain("example.deb").And.Contain("no file 'usr/bin/nothing'"));

        var notDeb = Assert.Throws<InvalidDataException>(() => DebianPackage.ExtractFile(Encoding.ASCII.GetBytes("PK\x03\x04 a zip"), PathInPackage, "x.deb"));
        Assert.That(notDeb!.Message, Does.Contain("x.deb: not a Debian package"));

        var truncated = Assert.Throws<InvalidDataException>(() => DebianPackage.ExtractFile(deb[..^40], PathInPackage, "cut.deb"));
        Assert.That(truncated!.Message, Does.Contain("cut.deb").And.Contain("data.tar.gz").And.Contain("truncated"));

        var zstd = Assert.Throws<InvalidDataException>(() => DebianPackage.ExtractFile(Deb(("data.tar.zst", [0x28, 0xB5])), PathInPackage, "z.deb"));
        Assert.That(zstd!.Message, Does.Contain("data.tar.zst").And.Contain("does not read"));
    }

    [Test]
    public void FetchKeepsTheFileInTheCacheAndUsesItWithoutTheNetwork()
    {
        byte[] deb = Deb(("data.tar.gz", Gzip(Tar((PathInPackage, Book)))));
        var file = Packaged(deb);
        string cache = TempDir();
        using (var mirror = new LocalMirror(new() { ["/pool/" + file.PoolPath] = deb }))
        {
            Assert.That(file.Fetch(cache, mirrors: [mirror.Url + "pool/"]), Is.EqualTo(Book));
            Assert.That(mirror.Requests, Has.Count.EqualTo(1));
        }
        Assert.That(File.ReadAllBytes(Path.Combine(cache, "book.txt")), Is.EqualTo(Book));
        Assert.That(Directory.GetFiles(cache), Has.Length.EqualTo(1), "no temporary file is left behind");
        // The mirror is gone now: the cached copy is enough.
        Assert.That(file.Fetch(cache, mirrors: [$"http://127.0.0.1:{LocalMirror.FreePort()}/pool/"]), Is.EqualTo(Book));
    }

    [Test]
    public void ADamagedCopyInTheCacheIsReplaced()
    {
        byte[] deb = Deb(("data.tar.gz", Gzip(Tar((PathInPackage, Book)))));
        var file = Packaged(deb);
        string cache = TempDir();
        File.WriteAllText(Path.Combine(cache, "book.txt"), "It was a dark and stormy day.\n!");
        using var mirror = new LocalMirror(new() { ["/pool/" + file.PoolPath] = deb });
        Assert.That(file.Fetch(cache, mirrors: [mirror.Url + "pool/"]), Is.EqualTo(Book));
        Assert.That(File.ReadAllBytes(Path.Combine(cache, "book.txt")), Is.EqualTo(Book));
    }

    [Test]
    public void APackageWithTheWrongHashIsNeverUsed()
    {
        byte[] deb = Deb(("data.tar.gz", Gzip(Tar((PathInPackage, Book)))));
        var file = Packaged(deb) with { PackageSha256 = new string('0', 64) };
        string cache = TempDir();
        using var mirror = new LocalMirror(new() { ["/pool/" + file.PoolPath] = deb });
        var e = Assert.Throws<DataUnavailableException>(() => file.Fetch(cache, mirrors: [mirror.Url + "pool/"]));
        Assert.That(e!.Message, Does.Contain("book.txt is not in").And.Contain($"not {new string('0', 64)}")
            .And.Contain("Put the file there by hand").And.Contain(file.File.Sha256).And.Contain("/" + PathInPackage));
        Assert.That(Directory.GetFiles(cache), Is.Empty);
    }

    [Test]
    public void AnUnreachableMirrorIsAClearError()
    {
        var file = Packaged(Deb(("data.tar.gz", Gzip(Tar((PathInPackage, Book))))));
        string url = $"http://127.0.0.1:{LocalMirror.FreePort()}/pool/";
        var e = Assert.Throws<DataUnavailableException>(() => file.Fetch(TempDir(), mirrors: [url]));
        Assert.That(e!.Message, Does.Contain(url + file.PoolPath));
    }

    private static PackagedDataFile Packaged(byte[] deb) => new(
        new DataFile("book.txt", Book.Length, Convert.ToHexStringLower(SHA256.HashData(Book))),
        "main/e/example/example_1.0-1_all.deb", Convert.ToHexStringLower(SHA256.HashData(deb)), PathInPackage);

    private static string TempDir()
    {
        string dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "debian-package-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    // A .deb as dpkg-deb writes one: the ar signature, then debian-binary, a control member and the data member.
    internal static byte[] Deb(params (string Name, byte[] Content)[] members)
    {
        var deb = new MemoryStream();
        deb.Write(Encoding.ASCII.GetBytes("!<arch>\n"));
        foreach (var (name, content) in new[] { ("debian-binary", Encoding.ASCII.GetBytes("2.0\n")), ("control.tar.gz", Gzip(Tar())) }.Concat(members))
        {
            string header = $"{name,-16}{"0",-12}{"0",-6}{"0",-6}{"100644",-8}{content.Length,-10}`\n";
            deb.Write(Encoding.ASCII.GetBytes(header));
            deb.Write(content);
            if (content.Length % 2 == 1) deb.WriteByte((byte)'\n');
        }
        return deb.ToArray();
    }

    internal static byte[] Tar(params (string Path, byte[] Content)[] files)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Gnu, leaveOpen: true))
            foreach (var (path, content) in files)
                writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "./" + path) { DataStream = new MemoryStream(content) });
        return tar.ToArray();
    }

    private static byte[] Gzip(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return output.ToArray();
    }

    private static byte[]? RunXz(byte[] input)
    {
        try
        {
            using var xz = Process.Start(new ProcessStartInfo("xz", "-c -z")
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
            })!;
            var output = new MemoryStream();
            var reading = xz.StandardOutput.BaseStream.CopyToAsync(output);
            xz.StandardInput.BaseStream.Write(input);
            xz.StandardInput.Close();
            reading.Wait();
            xz.WaitForExit();
            return xz.ExitCode == 0 ? output.ToArray() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
