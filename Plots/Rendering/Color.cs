using System.Globalization;

namespace GraphDL.Plots;

/// <summary>An 8-bit sRGB colour with straight (non-premultiplied) alpha.</summary>
public readonly record struct Color(byte R, byte G, byte B, byte A = 255)
{
    /// <summary>Parses "#RRGGBB" or "#RRGGBBAA" (the '#' is optional).</summary>
    public static Color FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var s = hex.StartsWith('#') ? hex[1..] : hex;
        if (s.Length is not (6 or 8) || !uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
            throw new ArgumentException($"'{hex}' is not a colour of the form #RRGGBB or #RRGGBBAA.", nameof(hex));
        return s.Length == 6
            ? new Color((byte)(v >> 16), (byte)(v >> 8), (byte)v)
            : new Color((byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    public Color WithAlpha(double alpha) => this with { A = ToByte(alpha * 255) };

    /// <summary>Linear mix in sRGB space: t = 0 gives this colour, t = 1 gives <paramref name="other"/>.</summary>
    public Color Lerp(Color other, double t) => new(
        ToByte(R + (other.R - R) * t), ToByte(G + (other.G - G) * t),
        ToByte(B + (other.B - B) * t), ToByte(A + (other.A - A) * t));

    /// <summary>Moves towards white; decision regions use this so the points drawn on top stay visible.</summary>
    public Color Lighten(double t) => Lerp(new Color(255, 255, 255, A), t);

    public Color Darken(double t) => Lerp(new Color(0, 0, 0, A), t);

    /// <summary>Relative luminance (0..1, ignoring gamma); picks black or white text over a filled cell.</summary>
    public double Luminance => (0.2126 * R + 0.7152 * G + 0.0722 * B) / 255.0;

    public string ToHex() => A == 255 ? $"#{R:X2}{G:X2}{B:X2}" : $"#{R:X2}{G:X2}{B:X2}{A:X2}";

    public override string ToString() => ToHex();

    internal static byte ToByte(double v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(v + 0.5);
}

/// <summary>Named colours used by the chart chrome.</summary>
public static class Colors
{
    public static Color White { get; } = new(255, 255, 255);
    public static Color Black { get; } = new(0, 0, 0);
    public static Color Transparent { get; } = new(0, 0, 0, 0);
    public static Color DarkGray { get; } = new(64, 64, 64);
    public static Color Gray { get; } = new(128, 128, 128);
    public static Color LightGray { get; } = new(229, 229, 229);
    public static Color Blue { get; } = Palette.OkabeIto[0];
    public static Color Orange { get; } = Palette.OkabeIto[1];
    public static Color Green { get; } = Palette.OkabeIto[2];
    public static Color Red { get; } = Palette.OkabeIto[3];
}
