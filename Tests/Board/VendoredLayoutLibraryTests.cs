using System.Security.Cryptography;
using System.Text.RegularExpressions;
using GraphDL.Tests.Plots;
using NUnit.Framework;

namespace GraphDL.Tests.Board;

/// <summary>The vendored dagre is the file its README names, byte for byte.</summary>
public class VendoredLayoutLibraryTests
{
    [Test]
    public void Dagre_matches_the_sha256_in_its_readme()
    {
        string vendor = Path.Combine(TestData.RepoRoot(), "Board", "wwwroot", "vendor");
        string readme = File.ReadAllText(Path.Combine(vendor, "README.md"));
        var row = Regex.Match(readme, @"\| `dagre\.min\.js` SHA-256 \| `([0-9a-f]{64})` \|");
        Assert.That(row.Success, "the README has no SHA-256 row for dagre.min.js");

        string actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(vendor, "dagre.min.js"))));

        Assert.That(actual, Is.EqualTo(row.Groups[1].Value));
    }

    [Test]
    public void The_embedded_copy_is_the_vendored_file()
    {
        string vendored = Path.Combine(TestData.RepoRoot(), "Board", "wwwroot", "vendor", "dagre.min.js");
        using var embedded = GraphDL.Board.BoardAssets.Open("vendor/dagre.min.js")!;
        using var copy = new MemoryStream();
        embedded.CopyTo(copy);

        Assert.That(copy.ToArray(), Is.EqualTo(File.ReadAllBytes(vendored)));
    }
}
