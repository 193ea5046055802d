namespace GraphDL.Plots;

/// <summary>
/// A chart with two axes: add plottables through <see cref="Add"/>, set the title and labels, then
/// <see cref="Figure.SavePng"/>.
/// <code>
/// var plt = new Plot();
/// plt.Add.Scatter(xs, ys).LegendText = "data";
/// plt.Title("Linear regression");
/// plt.SavePng("fit.png", 800, 600);
/// </code>
/// </summary>
public sealed class Plot : Figure
{
    private readonly List<IPlottable> _plottables = [];
    private int _nextColor;

    public Plot() => Add = new PlottableAdder(this);

    public PlottableAdder Add { get; }
    public AxesManager Axes { get; } = new();
    public Legend Legend { get; } = new();
    public IReadOnlyList<IPlottable> Plottables => _plottables;

    /// <summary>The colour scale drawn right of the data area; set by Add.ColorBar.</summary>
    public ColorBar? ColorBar { get; set; }

    public string TitleText { get; set; } = "";
    public Color DataBackground { get; set; } = Colors.White;
    public Color GridColor { get; set; } = Color.FromHex("#E6E6E6");
    public bool ShowGrid { get; set; } = true;

    /// <summary>Logical font sizes; the scale factor multiplies them.</summary>
    public double TitleFontSize { get; set; } = 16;
    public double LabelFontSize { get; set; } = 13;
    public double TickFontSize { get; set; } = 12;

    /// <summary>Where the last render put the data area (device pixels) and which limits it used; tests and overlays map data to pixels with them.</summary>
    public PixelRect LastDataRect { get; private set; }

    public AxisLimits LastLimits { get; private set; }

    public void Title(string text) => TitleText = text ?? "";
    public void XLabel(string text) => Axes.Bottom.Label = text ?? "";
    public void YLabel(string text) => Axes.Left.Label = text ?? "";

    public void ShowLegend(Alignment alignment = Alignment.Auto)
    {
        Legend.IsVisible = true;
        Legend.Alignment = alignment;
    }

    public void HideLegend() => Legend.IsVisible = false;

    public void Remove(IPlottable plottable) => _plottables.Remove(plottable);

    internal void AddPlottable(IPlottable p) => _plottables.Add(p);

    internal Color NextColor() => Palette.Get(_nextColor++);

    /// <summary>The limits the next render will use: fixed ones where set, otherwise the data's bounds plus a margin.</summary>
    public AxisLimits GetLimits()
    {
        var visible = _plottables.Where(p => p.IsVisible).ToList();
        var data = visible.Aggregate(AxisLimits.Empty, (l, p) => l.Union(p.GetLimits(Axes.Bottom, Axes.Left)));
        double margin = visible.Any(p => p.TightLimits) ? 0 : Axes.Margin;
        var (x0, x1) = Fit(Axes.Bottom, data.XMin, data.XMax, margin);
        var (y0, y1) = Fit(Axes.Left, data.YMin, data.YMax, margin);
        return new AxisLimits(x0, x1, y0, y1);
    }

    private static (double, double) Fit(Axis axis, double lo, double hi, double margin)
    {
        if (axis.Min is { } fixedLo && axis.Max is { } fixedHi) return Sanitize(axis, fixedLo, fixedHi);
        if (!(lo <= hi)) (lo, hi) = axis.IsLog ? (1, 10) : (0, 1);
        double tlo = axis.Transform(lo), thi = axis.Transform(hi);
        if (thi - tlo < 1e-12 * Math.Max(1, Math.Abs(thi)))
        {
            // A single value: give it a visible range around it.
            double pad = axis.IsLog ? 0.5 : Math.Max(Math.Abs(tlo) * 0.1, 0.5);
            (tlo, thi) = (tlo - pad, thi + pad);
        }
        double m = (thi - tlo) * margin;
        double outLo = axis.Min ?? axis.Inverse(tlo - m), outHi = axis.Max ?? axis.Inverse(thi + m);
        return Sanitize(axis, outLo, outHi);
    }

    private static (double, double) Sanitize(Axis axis, double lo, double hi)
    {
        if (axis.IsLog && !(lo > 0)) lo = hi > 0 ? hi / 1000 : 1;
        if (!(hi > lo)) hi = axis.IsLog ? lo * 10 : lo + 1;
        return (lo, hi);
    }

    public override void RenderTo(Canvas canvas, PixelRect area)
    {
        var c = canvas;
        double s = c.Scale, pad = 10 * s, tickLen = 5 * s, tickGap = 4 * s;
        double titleSize = TitleFontSize * s, labelSize = LabelFontSize * s, tickSize = TickFontSize * s;
        double labelBand = StrokeFont.CapHeight(labelSize) + StrokeFont.Descent(labelSize);
        c.FillRect(area, FigureBackground);
        var limits = GetLimits();
        var visible = _plottables.Where(p => p.IsVisible).ToList();

        double top = area.Top + pad;
        if (TitleText.Length > 0) top += StrokeFont.CapHeight(titleSize) + StrokeFont.Descent(titleSize) + 6 * s;
        else top += 4 * s; // room for the top tick label's upper half
        double bottom = area.Bottom - pad - tickLen - tickGap - StrokeFont.CapHeight(tickSize)
                        - (Axes.Bottom.Label.Length > 0 ? labelBand + 8 * s : 0);
        top = Math.Round(top);
        bottom = Math.Round(bottom);

        var yTicks = MakeTicks(Axes.Left, visible.Select(p => p.YTicks).LastOrDefault(t => t is not null),
            limits.YMin, limits.YMax, bottom - top, tickSize, vertical: true, s);
        double yLabelW = yTicks.Select(t => StrokeFont.MeasureWidth(t.Label, tickSize)).DefaultIfEmpty(0).Max();
        double left = Math.Round(area.Left + pad + (Axes.Left.Label.Length > 0 ? labelBand + 8 * s : 0) + yLabelW + tickGap + tickLen);
        double colorBarW = ColorBar?.Width(bottom - top, s) ?? 0;
        double right = Math.Round(area.Right - pad - colorBarW);
        var manualX = visible.Select(p => p.XTicks).LastOrDefault(t => t is not null);
        var xTicks = MakeTicks(Axes.Bottom, manualX, limits.XMin, limits.XMax, right - left, tickSize, vertical: false, s);
        // The last x label is centred on its tick and may stick out past the frame; make room for it.
        if (ColorBar is null && xTicks.LastOrDefault(t => t.Label.Length > 0) is { Label.Length: > 0 } last)
        {
            var probe = new RenderContext(c, new PixelRect(left, top, right, bottom), limits, Axes.Bottom, Axes.Left);
            double overhang = probe.XToPixel(last.Position) + StrokeFont.MeasureWidth(last.Label, tickSize) / 2 + 2 * s - (area.Right - pad / 2);
            if (overhang > 0)
            {
                right = Math.Round(right - overhang);
                xTicks = MakeTicks(Axes.Bottom, manualX, limits.XMin, limits.XMax, right - left, tickSize, vertical: false, s);
            }
        }
        if (right - left < 4 || bottom - top < 4) return; // too small to draw a data area; leave the background
        var data = new PixelRect(left, top, right, bottom);
        var rc = new RenderContext(c, data, limits, Axes.Bottom, Axes.Left);
        (LastDataRect, LastLimits) = (data, limits);

        c.FillRect(data, DataBackground);
        double lw = Math.Max(1, Math.Round(s));
        if (ShowGrid)
        {
            foreach (var t in xTicks.Where(t => !t.IsMajor)) c.VLine(rc.XToPixel(t.Position), top, bottom, lw, GridColor.Lighten(0.5));
            foreach (var t in yTicks.Where(t => !t.IsMajor)) c.HLine(left, right, rc.YToPixel(t.Position), lw, GridColor.Lighten(0.5));
            foreach (var t in xTicks.Where(t => t.IsMajor)) c.VLine(rc.XToPixel(t.Position), top, bottom, lw, GridColor);
            foreach (var t in yTicks.Where(t => t.IsMajor)) c.HLine(left, right, rc.YToPixel(t.Position), lw, GridColor);
        }

        c.SetClip(data);
        foreach (var p in visible) p.Render(rc);
        c.ResetClip();

        var frame = Colors.DarkGray;
        c.StrokeRect(new PixelRect(left - lw / 2, top - lw / 2, right + lw / 2, bottom + lw / 2), lw, frame);
        foreach (var t in xTicks)
        {
            double x = rc.XToPixel(t.Position);
            c.VLine(x, bottom, bottom + (t.IsMajor ? tickLen : tickLen * 0.6), lw, frame);
            if (t.Label.Length > 0)
                StrokeFont.Draw(c, t.Label, x, bottom + tickLen + tickGap, tickSize, Colors.Black, TextAlign.Center, TextAnchorY.Top);
        }
        foreach (var t in yTicks)
        {
            double y = rc.YToPixel(t.Position);
            c.HLine(left - (t.IsMajor ? tickLen : tickLen * 0.6), left, y, lw, frame);
            if (t.Label.Length > 0)
                StrokeFont.Draw(c, t.Label, left - tickLen - tickGap, y, tickSize, Colors.Black, TextAlign.Right, TextAnchorY.Middle);
        }
        if (Axes.Bottom.Label.Length > 0)
            StrokeFont.Draw(c, Axes.Bottom.Label, data.CenterX, area.Bottom - pad, labelSize, Colors.Black, TextAlign.Center, TextAnchorY.Bottom);
        if (Axes.Left.Label.Length > 0)
            StrokeFont.Draw(c, Axes.Left.Label, area.Left + pad, data.CenterY, labelSize, Colors.Black, TextAlign.Center, TextAnchorY.Top, vertical: true);
        if (TitleText.Length > 0)
            StrokeFont.Draw(c, TitleText, data.CenterX, area.Top + pad, titleSize, Colors.Black, TextAlign.Center, TextAnchorY.Top, weight: 1.3);

        ColorBar?.Render(c, data);
        Legend.Render(rc, visible);
    }

    private static List<Tick> MakeTicks(Axis axis, IReadOnlyList<Tick>? fromPlottable, double min, double max,
        double lengthPx, double fontSize, bool vertical, double s)
    {
        double lo = Math.Min(min, max) - (max - min) * 1e-9, hi = Math.Max(min, max) + (max - min) * 1e-9;
        bool InRange(Tick t) => t.Position >= lo && t.Position <= hi;
        if (axis.ManualTicks is { } manual) return [.. manual.Where(InRange)];
        if (fromPlottable is not null) return [.. fromPlottable.Where(InRange)];
        if (axis.IsLog) return TickGenerator.Log10(min, max);
        if (vertical) return TickGenerator.Linear(min, max, Math.Max(2, (int)(lengthPx / (45 * s))));
        // Horizontal labels must not touch: start dense and thin out until the widest label fits its slot.
        for (int target = Math.Max(2, (int)(lengthPx / (60 * s))); ; target--)
        {
            var ticks = TickGenerator.Linear(min, max, target);
            if (target <= 2 || ticks.Count < 2) return ticks;
            double widest = ticks.Max(t => StrokeFont.MeasureWidth(t.Label, fontSize));
            double slot = lengthPx * (ticks[1].Position - ticks[0].Position) / (max - min);
            if (widest + 12 * s <= slot) return ticks;
        }
    }
}
