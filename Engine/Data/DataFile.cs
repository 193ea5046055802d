using System.Security.Cryptography;

namespace GraphDL.Data;

/// <summary>
/// One file of a published data set as it must look uncompressed: its name, its size and its SHA-256.
/// Whatever the source (a mirror's <c>.gz</c>, an npm tarball, a copy put in the cache by hand), the
/// decompressed bytes are checked against these before anything reads them.
/// </summary>
/// <param name="Name">The file's name, without a <c>.gz</c> suffix: <c>train-images-idx3-ubyte</c>.</param>
/// <param name="Bytes">Its size in bytes, uncompressed.</param>
/// <param name="Sha256">The SHA-256 of its uncompressed bytes, as lower-case hex.</param>
public sealed record DataFile(string Name, long Bytes, string Sha256)
{
    /// <summary>What is wrong with <paramref name="content"/> as this file, or null when it is this file.</summary>
    public string? Mismatch(ReadOnlySpan<byte> content)
    {
        if (content.Length != Bytes)
            return $"it has {content.Length:N0} bytes, {Name} has {Bytes:N0}{(content.Length < Bytes ? " (truncated)" : "")}";
        string actual = Convert.ToHexStringLower(SHA256.HashData(content));
        return actual == Sha256 ? null : $"its SHA-256 is {actual}, {Name}'s is {Sha256}";
    }
}
