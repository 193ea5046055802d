using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SharpCompress.Compressors.Xz;

namespace GraphDL.Data;

/// <summary>
/// Takes one file out of a Debian package (<c>.deb</c>) without dpkg: a <c>.deb</c> is an <c>ar</c> archive whose
/// member <c>data.tar.xz</c> (or <c>.gz</c>, or an uncompressed <c>data.tar</c>) holds the files as they are
/// installed. Used for the data sets Debian ships inside its packages, so that a machine without root or dpkg can
/// still have them.
/// </summary>
public static class DebianPackage
{
    private const string ArMagic = "!<arch>\n";
    private const int ArHeaderBytes = 60;

    /// <summary>The bytes of the file installed at <paramref name="path"/> (<c>usr/share/...</c>, no leading slash).</summary>
    /// <param name="package">The whole <c>.deb</c>.</param>
    /// <param name="path">The file's path inside the package.</param>
    /// <param name="source">What to call the package in an error: its file name or URL.</param>
    /// <exception cref="InvalidDataException">The bytes are not a Debian package, or it has no such file.</exception>
    public static byte[] ExtractFile(byte[] package, string path, string source)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (member, compression) = DataMember(package, source);
        using Stream tar = compression switch
        {
            ".xz" => new XZStream(new MemoryStream(package, member.Offset, member.Length, writable: false)),
            ".gz" => new GZipStream(new MemoryStream(package, member.Offset, member.Length, writable: false), CompressionMode.Decompress),
            _ => new MemoryStream(package, member.Offset, member.Length, writable: false),
        };
        using var reader = new TarReader(tar);
        string wanted = path.TrimStart('/');
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            if (entry.Name.TrimStart('.').TrimStart('/') != wanted) continue;
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            return content.ToArray();
        }
        throw new InvalidDataException($"{source}: the package has no file '{wanted}'.");
    }

    // Walks the ar members (a 60-byte header each: name, dates, owner, mode, size in decimal, then the data padded to
    // an even length) to the one named data.tar[.xz|.gz].
    private static ((int Offset, int Length) Member, string Compression) DataMember(byte[] package, string source)
    {
        if (package.Length < ArMagic.Length || Encoding.ASCII.GetString(package, 0, ArMagic.Length) != ArMagic)
            throw new InvalidDataException($"{source}: not a Debian package (it does not start with the ar archive signature).");
        int at = ArMagic.Length;
        while (at + ArHeaderBytes <= package.Length)
        {
            string name = Encoding.ASCII.GetString(package, at, 16).TrimEnd(' ', '/');
            string sizeText = Encoding.ASCII.GetString(package, at + 48, 10).Trim();
            if (!int.TryParse(sizeText, out int size) || size < 0 || at + ArHeaderBytes + size > package.Length)
                throw new InvalidDataException($"{source}: the archive member '{name}' at byte {at} has a bad size '{sizeText}' (the file is truncated or not a package).");
            int data = at + ArHeaderBytes;
            if (name.StartsWith("data.tar", StringComparison.Ordinal))
            {
                string compression = name["data.tar".Length..];
                if (compression is not ("" or ".xz" or ".gz"))
                    throw new InvalidDataException($"{source}: its files are compressed as '{name}', which GraphDL does not read (it reads data.tar, data.tar.xz and data.tar.gz).");
                return ((data, size), compression);
            }
            at = data + size + (size & 1);
        }
        throw new InvalidDataException($"{source}: the package has no data.tar member.");
    }
}
