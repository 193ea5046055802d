using System.Globalization;

namespace GraphDL.Plots;

/// <summary>A tick mark at a data position; minor ticks have no label and a lighter grid line.</summary>
public readonly record struct Tick(double Position, string Label, bool IsMajor = true);

/// <summary>Chooses "nice" tick positions (1, 2 or 5 times a power of ten) and formats their labels.</summary>
public static class TickGenerator
{
    /// <summary>The 1, 2, 5 or 10 times a power of ten nearest to <paramref name="roughStep"/> (on a log-ish scale).</summary>
    public static double NiceStep(double roughStep)
    {
        if (!(roughStep > 0) || double.IsInfinity(roughStep)) return 1;
        double exp = Math.Floor(Math.Log10(roughStep));
        double pow = Math.Pow(10, exp);
        double f = roughStep / pow;
        double nice = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
        return nice * pow;
    }

    /// <summary>About <paramref name="targetCount"/> evenly spaced ticks inside [min, max].</summary>
    public static List<Tick> Linear(double min, double max, int targetCount)
    {
        var ticks = new List<Tick>();
        if (!(max > min)) return ticks;
        double step = NiceStep((max - min) / Math.Max(1, targetCount));
        double first = Math.Ceiling(min / step - 1e-9), last = Math.Floor(max / step + 1e-9);
        double magnitude = Math.Max(Math.Abs(min), Math.Abs(max));
        for (double k = first; k <= last; k++)
        {
            double v = k * step; // multiples of the step, never a running sum, so no drift
            ticks.Add(new Tick(v, Format(v, step, magnitude)));
        }
        return ticks;
    }

    /// <summary>
    /// Ticks for a log10 axis over [min, max] (positive data units): labelled decades, with 2x and 5x
    /// labelled too when fewer than three decades are visible, and unlabelled minor ticks at 2..9.
    /// </summary>
    public static List<Tick> Log10(double min, double max)
    {
        var ticks = new List<Tick>();
        if (!(min > 0) || !(max > min)) return ticks;
        double lo = Math.Log10(min), hi = Math.Log10(max);
        int d0 = (int)Math.Floor(lo), d1 = (int)Math.Ceiling(hi);
        int decades = d1 - d0;
        int every = Math.Max(1, (int)Math.Ceiling(decades / 8.0));
        bool labelMinor = decades <= 2;
        for (int d = d0; d <= d1; d++)
        {
            double pow = Math.Pow(10, d);
            if (pow >= min * (1 - 1e-12) && pow <= max * (1 + 1e-12))
                ticks.Add(new Tick(pow, d % every == 0 ? FormatPow(1, d) : "", d % every == 0));
            if (every > 1) continue;
            for (int m = 2; m <= 9; m++)
            {
                double v = m * pow;
                if (v < min || v > max) continue;
                bool labelled = labelMinor && (m == 2 || m == 5);
                ticks.Add(new Tick(v, labelled ? FormatPow(m, d) : "", labelled));
            }
        }
        // Inside a single factor of ~2 a log axis looks linear; fall back to linear ticks.
        if (ticks.Count(t => t.IsMajor) < 2)
            return Linear(min, max, 4).Where(t => t.Position > 0).ToList();
        return ticks;
    }

    private static string FormatPow(int mantissa, int exponent) =>
        exponent is >= -4 and <= 5
            ? (mantissa * Math.Pow(10, exponent)).ToString("0.#####", CultureInfo.InvariantCulture)
            : $"{mantissa}e{exponent.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Formats a tick value with just enough decimals for the step; huge or tiny ranges use e-notation.</summary>
    public static string Format(double value, double step, double magnitude)
    {
        if (Math.Abs(value) < step * 1e-6) return "0";
        if (magnitude >= 1e6 || step < 1e-4)
            return value.ToString("0.###e0", CultureInfo.InvariantCulture);
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
