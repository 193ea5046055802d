using System.Diagnostics;
using System.Xml.Linq;
using GraphDL.Plots;
using NUnit.Framework;
using SkiaSharp;
using Plot = GraphDL.Plots.Plot;

namespace GraphDL.Tests.Plots;

/// <summary>
/// Korean captions render as Hangul when some font has Hangul (the system's, or the cache that
/// scripts/fetch-fonts.sh fills) and as their English fallback otherwise, never as empty boxes.
/// </summary>
[NonParallelizable]
public class KoreanCaptionTests
{
    private static readonly Caption Title = new("학습 곡선", "Learning curves");

    private static Plot TitledPlot(Caption title)
    {
        var plt = new Plot();
        plt.Add.ScatterLine([0.0, 1, 2], [3.0, 1, 0.5]).LegendText = new Caption("훈련", "training");
        plt.Title(title);
        return plt;
    }

    private static int[] TitleBand(Plot plt, DecodedImage png)
    {
        int bottom = (int)plt.LastRender!.Value.DataRect.Top - 2;
        return [.. png.Pixels(0, 0, png.Width, bottom).Select(p => (int)p.C.ARGB)];
    }

    private static string[] Texts(string svg) =>
        [.. XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim())];

    /// <summary>A catalogue that has Hangul: the system's or the cache's, fetching the cache when it is empty; null when neither works.</summary>
    private static (FontCatalog? Catalog, string Why) CatalogWithHangul()
    {
        if (PlotFonts.Hangul is not null) return (PlotFonts.Catalog, "");
        string script = Path.Combine(TestData.RepoRoot(), "scripts", "fetch-fonts.sh");
        using (var fetch = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardError = true, RedirectStandardOutput = true })!)
        {
            fetch.WaitForExit(180_000);
            TestContext.Out.WriteLine(fetch.StandardOutput.ReadToEnd() + fetch.StandardError.ReadToEnd());
        }
        var fetched = FontCatalog.Discover(PlotFonts.CacheDirectory);
        return fetched.FamilyFor(Title.Text) is null
            ? (null, $"no system font has Hangul and {PlotFonts.CacheDirectory} has none (bash scripts/fetch-fonts.sh could not fetch NanumGothic)")
            : (fetched, "");
    }

    [Test]
    public void AHangulTitleIsDrawnInAFontThatHasEveryGlyph()
    {
        var (catalog, why) = CatalogWithHangul();
        if (catalog is null) Assert.Ignore(why);
        using var _ = PlotFonts.Use(catalog);

        string family = PlotFonts.FamilyFor(Title.Text)!;
        TestContext.Out.WriteLine($"Hangul font: {family}; default font: {FontCatalog.DefaultFamily}");
        // SkiaSharp itself, not the catalogue's answer: every syllable maps to a real glyph of that typeface.
        using (var font = new SKFont(ScottPlot.Fonts.GetTypeface(family, bold: true, italic: false)))
            Assert.That(font.GetGlyphs(Title.Text.Replace(" ", "")), Has.All.Not.EqualTo((ushort)0), $"{family} bold covers {Title.Text}");

        var plt = TitledPlot(Title);
        var svg = plt.GetSvgXml(500, 300);
        var titles = XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text" && e.Value.Trim() == Title.Text).ToList();
        Assert.That(titles, Is.Not.Empty, "the title is text in the SVG");
        Assert.That(titles.Select(t => (string?)t.Attribute("font-family")), Has.All.StartWith(family), "the SVG names the font with Hangul");
        Assert.That(Texts(svg), Does.Contain("훈련").And.Not.Contain("Learning curves"));

        var hangul = DecodedImage.FromPng(plt.GetImageBytes(500, 300));
        int[] band = TitleBand(plt, hangul);
        Assert.That(hangul.Ink(0, 0, hangul.Width, (int)plt.LastRender!.Value.DataRect.Top - 2), Is.GreaterThan(60), "the title has ink");
        // The same title in the default font only: what a machine without the font would show with no fallback (empty boxes).
        Assume.That(FontCatalog.Covers(FontCatalog.DefaultFamily, Title.Text), Is.False, "the default font here has Hangul itself: there are no boxes to compare with");
        using (PlotFonts.Use(FontCatalog.DefaultOnly))
        {
            var tofu = TitledPlot(Title.Text);
            var boxes = DecodedImage.FromPng(tofu.GetImageBytes(500, 300));
            Assert.That(band, Is.Not.EqualTo(TitleBand(tofu, boxes)), "Hangul glyphs, not the default font's boxes");
        }
    }

    [Test]
    public void WithoutAHangulFontTheEnglishFallbackIsShown()
    {
        Assume.That(FontCatalog.Covers(FontCatalog.DefaultFamily, Title.Text), Is.False, "the default font here has Hangul itself: no fallback is ever needed");
        using var _ = PlotFonts.Use(FontCatalog.DefaultOnly);
        Assert.That(PlotFonts.Hangul, Is.Null);
        var plt = TitledPlot(Title);
        var texts = Texts(plt.GetSvgXml(500, 300));
        Assert.That(texts, Does.Contain("Learning curves").And.Contain("training"));
        Assert.That(texts.Any(t => t.Any(c => c is >= '\uAC00' and <= '\uD7A3')), Is.False, "no Hangul syllable is left to become a box");
        var png = DecodedImage.FromPng(plt.GetImageBytes(500, 300));
        Assert.That(png.Ink(0, 0, png.Width, (int)plt.LastRender!.Value.DataRect.Top - 2), Is.GreaterThan(60), "the fallback title has ink");
    }

    [Test]
    public void TextTheDefaultFontDrawsKeepsItAndAPlainStringHasNoFallback()
    {
        Caption plain = "Loss";
        Assert.That(plain.Fallback, Is.Null);
        Assert.That(PlotFonts.Catalog.Resolve(new Caption("Loss", "unused")), Is.EqualTo(("Loss", (string?)null)));
        using var _ = PlotFonts.Use(FontCatalog.DefaultOnly);
        Assert.That(PlotFonts.Catalog.Resolve("학습"), Is.EqualTo(("학습", (string?)null)), "no fallback given: the text is kept");
    }
}
