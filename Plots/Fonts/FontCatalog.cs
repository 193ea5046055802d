using System.Collections.Concurrent;
using SkiaSharp;

namespace GraphDL.Plots;

/// <summary>
/// Which font draws a piece of text: ScottPlot's default font when it has every glyph, else a system font that
/// fontconfig finds for the text (ScottPlot's <c>Fonts.Detect</c>), else a font from GraphDL's cache folder,
/// registered with ScottPlot under its family name. Answers are remembered per text, because a figure asks
/// for every label on every render.
/// </summary>
internal sealed class FontCatalog
{
    private readonly bool _askSystem;
    private readonly IReadOnlyList<string> _cachedFamilies;
    private readonly ConcurrentDictionary<string, string?> _familyFor = new();

    private FontCatalog(bool askSystem, IReadOnlyList<string> cachedFamilies)
    {
        _askSystem = askSystem;
        _cachedFamilies = cachedFamilies;
    }

    /// <summary>A catalogue that knows only ScottPlot's default font: the machine without a Hangul font, on any machine.</summary>
    public static FontCatalog DefaultOnly { get; } = new(askSystem: false, []);

    /// <summary>The families registered from the cache folder, in the order they are tried.</summary>
    public IReadOnlyList<string> CachedFamilies => _cachedFamilies;

    /// <summary>Registers every font file in <paramref name="cacheDirectory"/> (if it exists) with ScottPlot and asks the system too.</summary>
    public static FontCatalog Discover(string cacheDirectory)
    {
        var families = new List<string>();
        if (Directory.Exists(cacheDirectory))
        {
            var files = Directory.EnumerateFiles(cacheDirectory)
                .Where(f => f.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".otf", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                using var typeface = SKTypeface.FromFile(file);
                if (typeface is null) continue; // not a font after all (a partial download): skip it
                bool bold = typeface.FontStyle.Weight >= (int)SKFontStyleWeight.SemiBold;
                bool italic = typeface.FontStyle.Slant != SKFontStyleSlant.Upright;
                ScottPlot.Fonts.AddFontFile(typeface.FamilyName, file, bold, italic);
                if (!families.Contains(typeface.FamilyName)) families.Add(typeface.FamilyName);
            }
        }
        return new FontCatalog(askSystem: true, families);
    }

    /// <summary>ScottPlot's default family (on Linux, the first sans-serif font fontconfig offers).</summary>
    public static string DefaultFamily => ScottPlot.Fonts.Default;

    /// <summary>The family that has every glyph of <paramref name="text"/>, or null when no font known here has them all.</summary>
    public string? FamilyFor(string text) => _familyFor.GetOrAdd(text, Search);

    /// <summary>The text to show for <paramref name="caption"/> and the family to draw it in (null: the default font).</summary>
    public (string Text, string? Family) Resolve(Caption caption)
    {
        if (FamilyFor(caption.Text) is { } family)
            return (caption.Text, family == DefaultFamily ? null : family);
        return caption.Fallback is { } fallback ? (fallback, null) : (caption.Text, null);
    }

    private string? Search(string text)
    {
        if (Covers(DefaultFamily, text)) return DefaultFamily;
        if (_askSystem && ScottPlot.Fonts.Detect(text) is { } detected && Covers(detected, text)) return detected;
        return _cachedFamilies.FirstOrDefault(f => Covers(f, text));
    }

    /// <summary>Whether the family's regular face maps every visible character of the text to a glyph of its own.</summary>
    internal static bool Covers(string family, string text)
    {
        // ScottPlot answers an unknown name with its default face: only the family asked for counts.
        var typeface = ScottPlot.Fonts.GetTypeface(family, bold: false, italic: false);
        if (typeface is null || !string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase)) return false;
        string visible = string.Concat(text.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)));
        if (visible.Length == 0) return true;
        using var font = new SKFont(typeface);
        return font.ContainsGlyphs(visible);
    }
}
