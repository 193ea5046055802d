using System.Reflection;

namespace GraphDL.Board;

/// <summary>
/// The page's files (Board/wwwroot: the HTML pages, the script, the style sheet and the vendored layout library),
/// embedded in this assembly so that the server and the static writer take them from the same place.
/// </summary>
public static class BoardAssets
{
    private const string Prefix = "wwwroot/";

    private static readonly Assembly Assembly = typeof(BoardAssets).Assembly;

    /// <summary>Every asset's path relative to wwwroot, with '/' separators (<c>index.html</c>, <c>vendor/dagre.min.js</c>).</summary>
    public static IReadOnlyList<string> Paths { get; } =
        [.. Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Select(n => n[Prefix.Length..]).Order(StringComparer.Ordinal)];

    /// <summary>The asset at <paramref name="path"/> (relative to wwwroot), or null when there is none.</summary>
    public static Stream? Open(string path) => Assembly.GetManifestResourceStream(Prefix + path);
}
