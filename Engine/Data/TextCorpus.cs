namespace GraphDL.Data;

/// <summary>A text to train a language model on: its title, where it came from, and the text itself.</summary>
/// <param name="Title">The work's title and author.</param>
/// <param name="Origin">Where the file came from: the package and the path in it.</param>
/// <param name="Text">The text, with '\n' line ends and without the distributor's header and licence footer.</param>
public sealed record TextCorpus(string Title, string Origin, string Text);

public static partial class Datasets
{
    /// <summary>
    /// Arthur Conan Doyle's <i>The Adventures of Sherlock Holmes</i> (1892; Project Gutenberg eBook #1661, public domain in
    /// the U.S. and wherever copyright ends 70 years after the author's death), 581,864 characters as published. Debian
    /// ships the file as test data of its golang-github-pierrec-lz4-dev package (bookworm, 2.5.2-2); it is fetched from
    /// there into <c>~/.graphdl/data/texts</c> (or <c>$GRAPHDL_DATA/texts</c>) on first use, the package and the file both
    /// checked by SHA-256.
    /// </summary>
    /// <remarks>
    /// The returned text is the book from its title to its last line: the Project Gutenberg header before the
    /// "*** START OF" line and the licence after the "*** END OF" line are cut off, the byte-order mark dropped and
    /// CR LF line ends made '\n'.
    /// </remarks>
    /// <param name="dataDir">The cache folder to use instead of the default.</param>
    /// <param name="log">Receives a line per download; null for silence.</param>
    /// <exception cref="DataUnavailableException">The file is not cached and could not be fetched.</exception>
    public static TextCorpus SherlockHolmes(string? dataDir = null, Action<string>? log = null)
    {
        byte[] bytes = SherlockHolmesFile.Fetch(dataDir ?? DataCache.Folder("texts"), log);
        string text = new System.Text.UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF').Replace("\r\n", "\n");
        return new TextCorpus("The Adventures of Sherlock Holmes, by Arthur Conan Doyle",
            $"/{SherlockHolmesFile.PathInPackage} in Debian's {Path.GetFileName(SherlockHolmesFile.PoolPath)}",
            GutenbergBody(text, SherlockHolmesFile.File.Name));
    }

    /// <summary>Where <see cref="SherlockHolmes"/> comes from.</summary>
    public static PackagedDataFile SherlockHolmesFile { get; } = new(
        new DataFile("pg1661.txt", 594_933, "242ec73a70f0a03dcbe007e32038e7deeaee004aaec9a09a07fa322743440fa8"),
        "main/g/golang-github-pierrec-lz4/golang-github-pierrec-lz4-dev_2.5.2-2_all.deb",
        "1dc71cab6853fb03005f102bf1a71d906d2413c144e1f96c80bb3af99e701550",
        "usr/share/gocode/src/github.com/pierrec/lz4/testdata/pg1661.txt");

    // A Project Gutenberg file wraps the book between a "*** START OF ..." line and an "*** END OF ..." line.
    private static string GutenbergBody(string text, string source)
    {
        int start = text.IndexOf("*** START OF", StringComparison.Ordinal);
        int end = text.IndexOf("*** END OF", StringComparison.Ordinal);
        if (start < 0 || end < start)
            throw new InvalidDataException($"{source}: no '*** START OF' and '*** END OF' lines around the book, as a Project Gutenberg text has.");
        int bodyStart = text.IndexOf('\n', start) + 1;
        string body = text[bodyStart..end];
        // The last line of the book proper is followed by "End of the Project Gutenberg EBook of ...".
        int trailer = body.LastIndexOf("End of the Project Gutenberg", StringComparison.Ordinal);
        if (trailer > 0) body = body[..trailer];
        return body.Trim('\n', ' ') + "\n";
    }
}
