namespace GraphDL.Plots;

/// <summary>A vertical colour scale to the right of the data area, showing a heatmap's value range.</summary>
public sealed class ColorBar(Heatmap source)
{
    public Heatmap Source { get; } = source ?? throw new ArgumentNullException(nameof(source));
    public string Label { get; set; } = "";

    internal const double BarWidth = 16, Gap = 12, TickLength = 4, FontSize = 12;

    internal List<Tick> Ticks(double heightPx, double scale) =>
        TickGenerator.Linear(Source.RangeMin, Source.RangeMax, Math.Max(2, (int)(heightPx / (40 * scale))));

    /// <summary>Logical width the bar, its ticks and labels take, given the tick labels.</summary>
    internal double Width(double heightPx, double scale)
    {
        double s = scale, size = FontSize * s;
        double labels = Ticks(heightPx, s).Select(t => StrokeFont.MeasureWidth(t.Label, size)).DefaultIfEmpty(0).Max();
        double w = (Gap + BarWidth + TickLength + 3) * s + labels;
        if (Label.Length > 0) w += 8 * s + StrokeFont.CapHeight(size) + StrokeFont.Descent(size);
        return w;
    }

    internal void Render(Canvas c, PixelRect data)
    {
        double s = c.Scale, size = FontSize * s;
        var bar = new PixelRect(Math.Round(data.Right + Gap * s), data.Top, Math.Round(data.Right + (Gap + BarWidth) * s), data.Bottom);
        double lo = Source.RangeMin, hi = Source.RangeMax;
        c.FillSampled(bar, (_, py) => Source.Colormap.At((bar.Bottom - py) / bar.Height), 1);
        double lw = Math.Max(1, Math.Round(s));
        c.StrokeRect(new PixelRect(bar.Left - 0.5 * lw, bar.Top - 0.5 * lw, bar.Right + 0.5 * lw, bar.Bottom + 0.5 * lw), lw, Colors.DarkGray);
        double maxLabel = 0;
        foreach (var t in Ticks(bar.Height, s))
        {
            double y = hi > lo ? bar.Bottom - (t.Position - lo) / (hi - lo) * bar.Height : bar.CenterY;
            c.HLine(bar.Right, bar.Right + TickLength * s, y, lw, Colors.DarkGray);
            StrokeFont.Draw(c, t.Label, bar.Right + (TickLength + 3) * s, y, size, Colors.Black, TextAlign.Left, TextAnchorY.Middle);
            maxLabel = Math.Max(maxLabel, StrokeFont.MeasureWidth(t.Label, size));
        }
        if (Label.Length > 0)
            StrokeFont.Draw(c, Label, bar.Right + (TickLength + 3 + 8) * s + maxLabel, bar.CenterY, size * 13 / 12, Colors.Black,
                TextAlign.Center, TextAnchorY.Top, vertical: true);
    }
}
