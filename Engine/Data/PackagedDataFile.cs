using System.Net;
using System.Security.Cryptography;

namespace GraphDL.Data;

/// <summary>
/// A data file that a Debian package ships: where the package is, its SHA-256, and where the file sits in it.
/// <see cref="Fetch(string, Action{string}?, IReadOnlyList{string}?)"/> keeps the file in a cache folder; the package
/// itself is downloaded once, checked, and dropped.
/// </summary>
/// <param name="File">The file as it must come out: name, size and SHA-256.</param>
/// <param name="PoolPath">The package's path under a Debian mirror's <c>pool/</c>.</param>
/// <param name="PackageSha256">The package's SHA-256 (as the archive's Packages index lists it), lower-case hex.</param>
/// <param name="PathInPackage">The file's installed path inside the package (<c>usr/share/...</c>).</param>
public sealed record PackagedDataFile(DataFile File, string PoolPath, string PackageSha256, string PathInPackage)
{
    /// <summary>Debian mirrors tried in order: the CDN, then the main archive.</summary>
    public static readonly IReadOnlyList<string> Mirrors = ["https://deb.debian.org/debian/pool/", "https://ftp.debian.org/debian/pool/"];

    /// <summary>The file's bytes, from <paramref name="cacheDir"/> when a good copy is there, else from the package.</summary>
    /// <param name="cacheDir">Where the file is kept (created when missing).</param>
    /// <param name="log">Receives one line per download; null for silence.</param>
    /// <param name="mirrors">Base URLs of Debian pools to try instead of <see cref="Mirrors"/>.</param>
    /// <exception cref="DataUnavailableException">No good copy in the cache and no mirror gave the package, the message
    /// listing what was tried and where to put the file by hand; or the cache folder cannot be written (read-only, a
    /// full disk), the message naming the folder and the file.</exception>
    public byte[] Fetch(string cacheDir, Action<string>? log = null, IReadOnlyList<string>? mirrors = null) =>
        Fetch(cacheDir, log, mirrors, wrapCacheWrites: null);

    /// <summary>
    /// <see cref="Fetch(string, Action{string}?, IReadOnlyList{string}?)"/>, with a stream that tests put between the
    /// fetcher and the file it writes into the cache, to make writes fail as a full disk does.
    /// </summary>
    internal byte[] Fetch(string cacheDir, Action<string>? log, IReadOnlyList<string>? mirrors, Func<Stream, Stream>? wrapCacheWrites)
    {
        string folder = Path.GetFullPath(cacheDir);
        string target = Path.Combine(folder, File.Name);
        var tried = new List<string>();
        if (System.IO.File.Exists(target))
        {
            byte[] cached = System.IO.File.ReadAllBytes(target);
            if (File.Mismatch(cached) is not { } problem) return cached;
            tried.Add($"{target}: {problem}; not used");
            log?.Invoke($"{target} is not a good copy of {File.Name}: {problem}. Fetching it again.");
        }
        // Before the download, which may be large: a cache that cannot be written is reported now, not after it.
        DataCache.EnsureWritable(folder, File.Name);
        DataCache.DeleteAbandonedDownloads(folder, File.Name, log);
        foreach (string mirror in mirrors ?? Mirrors)
        {
            string url = (mirror.EndsWith('/') ? mirror : mirror + "/") + PoolPath;
            try
            {
                log?.Invoke($"Downloading {url} ...");
                byte[] package = Download(url);
                string sha = Convert.ToHexStringLower(SHA256.HashData(package));
                if (sha != PackageSha256)
                {
                    tried.Add($"{url}: its SHA-256 is {sha}, not {PackageSha256}");
                    continue;
                }
                byte[] content = DebianPackage.ExtractFile(package, PathInPackage, url);
                if (File.Mismatch(content) is { } problem)
                {
                    tried.Add($"{url}: {PathInPackage} in it: {problem}");
                    continue;
                }
                // Written beside its name, in a file of its own, and renamed over the bad copy if there is one: a run
                // stopped half-way, or another process fetching the same file, never leaves half a file to trust.
                using var stored = new PendingCacheFile(folder, File.Name, wrapCacheWrites);
                stored.Write(content);
                stored.Close();
                stored.MoveTo(target);
                return content;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidDataException
                                      || (e is IOException && e is not DataUnavailableException))
            {
                tried.Add($"{url}: {e.Message}");
            }
        }
        throw new DataUnavailableException(
            $"{File.Name} is not in {cacheDir} and could not be fetched:\n  {string.Join("\n  ", tried)}\n" +
            $"Put the file there by hand ({File.Bytes:N0} bytes, SHA-256 {File.Sha256}): it is /{PathInPackage} in the Debian package {Path.GetFileName(PoolPath)}.");
    }

    private static byte[] Download(string url)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(3),
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("GraphDL-data-fetcher/1.0");
        return http.GetByteArrayAsync(url).GetAwaiter().GetResult();
    }
}
