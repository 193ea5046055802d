namespace GraphDL.Data;

/// <summary>Where downloaded data sets are kept: one folder per data set under one root shared by every program.</summary>
public static class DataCache
{
    /// <summary>The environment variable that moves the root: <c>GRAPHDL_DATA</c>.</summary>
    public const string RootVariable = "GRAPHDL_DATA";

    /// <summary><c>$GRAPHDL_DATA</c> when that variable is set, else <c>~/.graphdl/data</c>.</summary>
    public static string Root
    {
        get
        {
            string? root = Environment.GetEnvironmentVariable(RootVariable);
            return string.IsNullOrWhiteSpace(root)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".graphdl", "data")
                : root;
        }
    }

    /// <summary>The folder of one data set under <see cref="Root"/>: <c>~/.graphdl/data/mnist</c>.</summary>
    public static string Folder(string dataSet) => Path.Combine(Root, dataSet);

    /// <summary>
    /// Creates <paramref name="folder"/> when missing and proves that a file can be created in it, before anything is
    /// downloaded: a read-only cache is reported at once rather than after minutes of downloading.
    /// </summary>
    /// <param name="folder">The cache folder a fetcher is about to store files in.</param>
    /// <param name="missing">What is missing from it, for the message: <c>t10k-labels-idx1-ubyte</c>.</param>
    /// <exception cref="DataUnavailableException">The folder cannot be created or written; the message names it and
    /// says how to choose another.</exception>
    internal static void EnsureWritable(string folder, string missing)
    {
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".write-probe.{Guid.NewGuid():N}");
            new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose).Dispose();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DataUnavailableException(
                $"The data cache folder {folder} cannot be written ({e.Message}), so {missing} cannot be fetched into it. " +
                $"Make the folder writable, or choose another cache: set {RootVariable}=DIR (a data set then lives in DIR/<name>) " +
                "or give a lesson --data DIR.");
        }
    }

    /// <summary>
    /// A download's temporary file that no one has written for this long was left by a process that was killed: the
    /// fetchers write a download as it arrives and give up after seconds of silence, so a live one is never this old.
    /// </summary>
    internal static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    /// <summary>
    /// Deletes the temporary files (<c>.name.*.part</c>) that killed downloads of <paramref name="fileName"/> left in
    /// <paramref name="folder"/>. Nothing ever reads them, but a killed MNIST download can leave 47 MB behind each time.
    /// Those written to within <see cref="AbandonedAfter"/> may belong to a fetch running now and are left alone.
    /// </summary>
    internal static void DeleteAbandonedDownloads(string folder, string fileName, Action<string>? log)
    {
        if (!Directory.Exists(folder)) return;
        foreach (string part in Directory.EnumerateFiles(folder, $".{fileName}.*.part"))
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(part) < AbandonedAfter) continue;
                File.Delete(part);
                log?.Invoke($"Deleted {part}, left by a download that was stopped.");
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                // Another process deleted it first, or the folder is read-only; either way it is never read.
            }
        }
    }

    /// <summary>
    /// The error for a file that could not be written into the cache (a full disk, a folder made read-only mid-way):
    /// it names the file and the folder, says that nothing was stored under the file's name, and how to go on.
    /// </summary>
    internal static DataUnavailableException WriteFailed(string folder, string fileName, Exception e)
    {
        string why = IsDiskFull(e) ? "the disk is full" : "the file could not be written";
        return new DataUnavailableException(
            $"Could not store {fileName} in the data cache folder {folder}: {why} ({e.Message}). Nothing was stored under " +
            $"{Path.Combine(folder, fileName)} and the partial download was deleted. Free some space, or choose another " +
            $"cache: set {RootVariable}=DIR (a data set then lives in DIR/<name>) or give a lesson --data DIR.");
    }

    // ENOSPC and EDQUOT on Unix (an IOException's HResult is the errno there), ERROR_HANDLE_DISK_FULL and
    // ERROR_DISK_FULL on Windows (as HRESULTs).
    private static bool IsDiskFull(Exception e) =>
        e is IOException { HResult: 28 or 122 or unchecked((int)0x80070027) or unchecked((int)0x80070070) };
}
