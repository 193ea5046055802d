namespace GraphDL.Plots;

public enum TextAlign { Left, Center, Right }

/// <summary>Which horizontal line of the text sits at the anchor's y.</summary>
public enum TextAnchorY { Top, Middle, Baseline, Bottom }

/// <summary>
/// A small sans-serif stroke font for printable ASCII, authored for this library. Glyphs are polylines
/// on a grid (cap line y = 0, x-height y = 4, baseline y = 10, descender y = 13), drawn with the
/// canvas's anti-aliased strokes, so text scales to any size and rotates without resampling.
/// </summary>
/// <remarks>
/// Each entry is "advance:stroke;stroke..." where a stroke is space-separated points written as two hex
/// digits (x then y). A one-point stroke is a dot.
/// </remarks>
public static class StrokeFont
{
    private const double Units = 10; // grid units from cap line to baseline

    private static readonly string[] Data =
    [
        /* ' ' */ "6:", /* ! */ "4:20 27;2A", /* " */ "6:20 22;40 42", /* # */ "A:40 2A;70 5A;13 93;17 87",
        /* $ */ "8:62 51 31 22 24 35 55 66 68 59 39 28;40 4A",
        /* % */ "A:21 12 13 24 34 43 42 31 21;76 67 68 79 89 98 97 86 76;80 1A",
        /* & */ "A:9A 24 13 11 20 40 51 52 44 16 17 28 39 4A 6A 79 96", /* ' */ "4:20 22",
        /* ( */ "5:40 22 15 17 2A 4C", /* ) */ "5:10 32 45 47 3A 1C", /* * */ "8:40 46;12 74;14 72",
        /* + */ "8:43 49;16 76", /* , */ "4:29 2B 1C", /* - */ "8:26 66", /* . */ "4:2A", /* / */ "6:50 1A",
        /* 0 */ "8:30 50 61 73 77 69 5A 3A 29 17 13 21 30", /* 1 */ "8:21 40 4A;2A 6A",
        /* 2 */ "8:12 21 30 50 61 72 74 65 1A 7A", /* 3 */ "8:12 21 30 50 61 72 74 65 35;65 76 78 69 5A 3A 29 18",
        /* 4 */ "8:5A 50 17 77", /* 5 */ "8:70 20 15 34 54 65 77 78 69 5A 3A 19",
        /* 6 */ "8:61 50 30 21 13 18 29 3A 5A 69 78 76 65 54 34 25 16", /* 7 */ "8:10 70 3A",
        /* 8 */ "8:30 50 61 63 54 34 23 21 30;34 54 76 78 69 5A 3A 29 18 16 34",
        /* 9 */ "8:73 64 45 35 24 13 12 21 30 50 61 72 77 69 5A 3A 29",
        /* : */ "4:25;2A", /* ; */ "4:25;29 2B 1C", /* < */ "8:72 16 7A", /* = */ "8:15 75;18 78", /* > */ "8:12 76 1A",
        /* ? */ "8:12 21 30 50 61 63 54 46 47;4A",
        /* @ */ "C:75 55 46 47 58 78 75;78 89 98 94 82 60 40 21 13 17 29 4A 7A",
        /* A */ "8:1A 40 7A;27 67", /* B */ "8:1A 10 50 61 64 55 15;55 76 79 6A 1A",
        /* C */ "8:71 60 30 21 13 17 29 3A 6A 79", /* D */ "8:1A 10 40 61 73 77 69 4A 1A",
        /* E */ "7:60 10 1A 6A;15 55", /* F */ "7:60 10 1A;15 55", /* G */ "8:71 60 30 21 13 17 29 3A 6A 79 76 46",
        /* H */ "8:10 1A;70 7A;15 75", /* I */ "4:20 2A", /* J */ "7:50 58 49 3A 2A 19 18", /* K */ "8:10 1A;70 16;35 7A",
        /* L */ "7:10 1A 6A", /* M */ "A:1A 10 55 90 9A", /* N */ "8:1A 10 7A 70",
        /* O */ "9:30 60 71 83 87 79 6A 3A 29 17 13 21 30", /* P */ "8:1A 10 50 61 72 74 65 15",
        /* Q */ "9:30 60 71 83 87 79 6A 3A 29 17 13 21 30;58 8B", /* R */ "8:1A 10 50 61 72 74 65 15;45 7A",
        /* S */ "8:71 60 20 11 14 25 65 76 79 6A 2A 19", /* T */ "8:10 70;40 4A", /* U */ "8:10 18 29 3A 5A 69 78 70",
        /* V */ "8:10 4A 70", /* W */ "A:10 3A 53 7A 90", /* X */ "8:10 7A;70 1A", /* Y */ "8:10 45 70;45 4A",
        /* Z */ "8:10 70 1A 7A", /* [ */ "5:40 20 2C 4C", /* \ */ "6:10 5A", /* ] */ "5:10 30 3C 1C", /* ^ */ "8:23 40 63",
        /* _ */ "8:1C 7C", /* ` */ "4:10 22",
        /* a */ "7:64 6A;65 54 34 25 17 29 3A 5A 69", /* b */ "7:10 1A;15 24 44 55 67 59 4A 2A 19",
        /* c */ "7:65 54 34 25 17 29 3A 5A 69", /* d */ "7:60 6A;65 54 34 25 17 29 3A 5A 69",
        /* e */ "7:17 67 65 54 34 25 17 29 3A 5A 69", /* f */ "5:40 30 21 2A;14 44",
        /* g */ "7:64 6B 5C 4D 2D 1C;65 54 34 25 17 29 3A 5A 69", /* h */ "7:10 1A;15 24 54 65 6A",
        /* i */ "4:24 2A;21", /* j */ "4:24 2C 1D 0D;21", /* k */ "7:10 1A;64 18;37 6A", /* l */ "4:20 2A",
        /* m */ "A:14 1A;15 24 34 45 4A;45 54 74 85 8A", /* n */ "7:14 1A;15 24 54 65 6A",
        /* o */ "7:34 54 66 68 5A 3A 18 16 34", /* p */ "7:14 1D;15 24 44 55 67 59 4A 2A 19",
        /* q */ "7:64 6D;65 54 34 25 17 29 3A 5A 69", /* r */ "6:14 1A;16 34 54",
        /* s */ "7:65 54 24 15 16 27 57 68 69 5A 2A 19", /* t */ "5:21 29 3A 4A;14 44",
        /* u */ "7:14 19 2A 5A 69;64 6A", /* v */ "8:14 4A 74", /* w */ "A:14 3A 55 7A 94", /* x */ "7:14 6A;64 1A",
        /* y */ "8:14 4A;74 3C 2D 1D", /* z */ "7:14 64 1A 6A", /* { */ "5:40 31 35 26 37 3B 4C", /* | */ "4:20 2C",
        /* } */ "5:10 21 25 36 27 2B 1C", /* ~ */ "8:17 26 36 57 67 76",
    ];

    private sealed record Glyph(double Advance, PointD[][] Strokes);

    private static readonly Glyph[] Glyphs = [.. Data.Select(Parse)];

    private static Glyph Parse(string s)
    {
        int colon = s.IndexOf(':');
        double advance = Convert.ToInt32(s[..colon], 16);
        var strokes = s[(colon + 1)..]
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(stroke => stroke.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => new PointD(Convert.ToInt32(p[..1], 16), Convert.ToInt32(p[1..], 16)))
                .ToArray())
            .ToArray();
        return new Glyph(advance, strokes);
    }

    private static Glyph GlyphFor(char ch) => ch is >= ' ' and <= '~' ? Glyphs[ch - ' '] : Glyphs['?' - ' '];

    /// <summary>Grid unit in pixels: the cap height is 0.7 of the font size, as in typical fonts.</summary>
    private static double Unit(double size) => size * 0.7 / Units;

    public static double CapHeight(double size) => Units * Unit(size);

    public static double Descent(double size) => 3 * Unit(size);

    public static double MeasureWidth(string text, double size)
    {
        double w = 0;
        foreach (char ch in text) w += GlyphFor(ch).Advance;
        // The last glyph's right side bearing is not part of the ink.
        return text.Length == 0 ? 0 : (w - 1) * Unit(size);
    }

    /// <summary>
    /// Draws one line of text anchored at (x, y). With <paramref name="vertical"/> the text reads bottom
    /// to top (a y-axis label); alignment then applies along the rotated baseline.
    /// </summary>
    public static void Draw(Canvas canvas, string text, double x, double y, double size, Color color,
        TextAlign align = TextAlign.Left, TextAnchorY anchor = TextAnchorY.Baseline, bool vertical = false, double weight = 1)
    {
        if (string.IsNullOrEmpty(text) || size <= 0) return;
        double u = Unit(size);
        double width = MeasureWidth(text, size);
        double startU = align switch { TextAlign.Center => -width / 2, TextAlign.Right => -width, _ => 0 } - u;
        double baseV = anchor switch
        {
            TextAnchorY.Top => CapHeight(size),
            TextAnchorY.Middle => CapHeight(size) / 2,
            TextAnchorY.Bottom => -Descent(size),
            _ => 0,
        };
        // Whole-pixel origins keep small text from smearing across pixel rows.
        x = Math.Round(x);
        y = Math.Round(y);
        double stroke = Math.Max(1, size * 0.1) * weight;
        Span<PointD> buffer = stackalloc PointD[32];
        double pen = startU;
        foreach (char ch in text)
        {
            var g = GlyphFor(ch);
            foreach (var s in g.Strokes)
            {
                var pts = s.Length <= buffer.Length ? buffer[..s.Length] : new PointD[s.Length];
                for (int i = 0; i < s.Length; i++)
                {
                    double along = pen + s[i].X * u, down = (s[i].Y - Units) * u + baseV;
                    pts[i] = vertical ? new PointD(x + down, y - along) : new PointD(x + along, y + down);
                }
                if (pts.Length == 1) canvas.MaskDot(pts[0], stroke * 0.75);
                else canvas.MaskPolyline(pts, stroke);
            }
            pen += g.Advance * u;
        }
        canvas.FlushMask(color);
    }
}
