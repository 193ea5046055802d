namespace GraphDL.Plots;

/// <summary>
/// The fonts the figures draw text with. Text the default font cannot draw (Hangul, on a machine with only
/// DejaVu) goes to a system font that has it, found through fontconfig, or else to a font in the cache folder
/// that <c>scripts/fetch-fonts.sh</c> fills (NanumGothic from Debian's fonts-nanum). With neither, a
/// <see cref="Caption"/> shows its fallback.
/// </summary>
public static class PlotFonts
{
    private static readonly Lazy<FontCatalog> Discovered = new(() => FontCatalog.Discover(CacheDirectory));
    private static readonly AsyncLocal<FontCatalog?> Override = new();

    /// <summary>The font cache: <c>$GRAPHDL_FONTS_DIR</c>, else <c>~/.graphdl/fonts</c>.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("GRAPHDL_FONTS_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".graphdl", "fonts");

    /// <summary>The family that draws every character of <paramref name="text"/>: the default font's when it can, else a system or cached font's; null when none can.</summary>
    public static string? FamilyFor(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Catalog.FamilyFor(text);
    }

    /// <summary>The family Korean captions are drawn in, or null when this machine has no font with Hangul (captions then show their fallback).</summary>
    public static string? Hangul => FamilyFor("한글 학습 곡선");

    /// <summary>The catalogue this render uses: the discovered one, unless a test replaced it for its own flow of execution.</summary>
    internal static FontCatalog Catalog => Override.Value ?? Discovered.Value;

    /// <summary>
    /// Makes the current flow of execution (a test) use <paramref name="catalog"/> until the result is disposed,
    /// so that the machine without a Hangul font can be checked on a machine that has one.
    /// </summary>
    internal static IDisposable Use(FontCatalog catalog)
    {
        var previous = Override.Value;
        Override.Value = catalog;
        return new Restore(() => Override.Value = previous);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
