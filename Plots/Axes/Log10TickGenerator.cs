using System.Globalization;
using ScottPlot;

namespace GraphDL.Plots;

/// <summary>
/// Ticks for a log10 axis, whose positions ScottPlot sees as log10 of the data: labelled decades (every
/// second or third one when many are visible), 2x and 5x labelled too when at most two decades show, and
/// unlabelled minor ticks at 2..9. ScottPlot's own generators label positions, not the powers of ten behind
/// them, and put no tick at all on an axis narrower than a decade, where this one falls back to 1-2-5 steps.
/// </summary>
internal sealed class Log10TickGenerator : ITickGenerator
{
    public Tick[] Ticks { get; set; } = [];

    public int MaxTickCount { get; set; } = 1000;

    public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle) =>
        Ticks = Generate(range.Min, range.Max);

    /// <summary>The ticks between the log10 positions <paramref name="lo"/> and <paramref name="hi"/>.</summary>
    internal static Tick[] Generate(double lo, double hi)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || !(hi > lo)) return [];
        int d0 = (int)Math.Floor(lo), d1 = (int)Math.Ceiling(hi), decades = d1 - d0;
        int every = Math.Max(1, (int)Math.Ceiling(decades / 8.0));
        bool labelTwosAndFives = decades <= 2;
        var ticks = new List<Tick>();
        for (int d = d0; d <= d1; d++)
        {
            if (d >= lo - 1e-9 && d <= hi + 1e-9)
                ticks.Add(d % every == 0 ? Tick.Major(d, Format(1, d)) : Tick.Minor(d));
            if (every > 1) continue;
            for (int m = 2; m <= 9; m++)
            {
                double p = d + Math.Log10(m);
                if (p < lo || p > hi) continue;
                ticks.Add(labelTwosAndFives && m is 2 or 5 ? Tick.Major(p, Format(m, d)) : Tick.Minor(p));
            }
        }
        return ticks.Count(t => t.IsMajor) >= 2 ? [.. ticks] : Within(lo, hi);
    }

    /// <summary>Less than a factor of about five: plain 1-2-5 steps in data units, at their log positions.</summary>
    private static Tick[] Within(double lo, double hi)
    {
        double min = Math.Pow(10, lo), max = Math.Pow(10, hi);
        double rough = (max - min) / 4, pow = Math.Pow(10, Math.Floor(Math.Log10(rough))), f = rough / pow;
        double step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * pow;
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        var ticks = new List<Tick>();
        for (double k = Math.Ceiling(min / step - 1e-9); k * step <= max * (1 + 1e-12); k++)
            if (k > 0) ticks.Add(Tick.Major(Math.Log10(k * step), (k * step).ToString("F" + decimals, CultureInfo.InvariantCulture)));
        return [.. ticks];
    }

    private static string Format(int mantissa, int exponent) =>
        exponent is >= -4 and <= 5
            ? (mantissa * Math.Pow(10, exponent)).ToString("0.#####", CultureInfo.InvariantCulture)
            : $"{mantissa}e{exponent.ToString(CultureInfo.InvariantCulture)}";
}
