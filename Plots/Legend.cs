namespace GraphDL.Plots;

public enum Alignment { Auto, UpperRight, UpperLeft, LowerRight, LowerLeft }

/// <summary>One legend row: a swatch (line, marker, or filled box) and its text.</summary>
public readonly record struct LegendItem(
    string Text, Color Color, double LineWidth = 0, MarkerShape Marker = MarkerShape.None,
    double MarkerSize = 0, bool IsFilledBox = false, LinePattern LinePattern = LinePattern.Solid);

/// <summary>The legend box inside the data area.</summary>
public sealed class Legend
{
    /// <summary>Null shows the legend whenever some plottable has legend text.</summary>
    public bool? IsVisible { get; set; }

    /// <summary>Auto picks the corner that hides the fewest data pixels.</summary>
    public Alignment Alignment { get; set; } = Alignment.Auto;

    public double FontSize { get; set; } = 12;

    internal void Render(RenderContext rc, IReadOnlyList<IPlottable> plottables)
    {
        var items = plottables.Where(p => p.IsVisible).SelectMany(p => p.LegendItems).Where(i => !string.IsNullOrEmpty(i.Text)).ToList();
        if (IsVisible == false || items.Count == 0) return;
        var c = rc.Canvas;
        double s = c.Scale, size = FontSize * s, pad = 6 * s, swatch = 22 * s, gap = 6 * s;
        double rowH = Math.Max(StrokeFont.CapHeight(size) + StrokeFont.Descent(size) + 4 * s, 14 * s);
        double w = pad * 2 + swatch + gap + items.Max(i => StrokeFont.MeasureWidth(i.Text, size));
        double h = pad * 2 + rowH * items.Count;
        var d = rc.DataRect;
        double inset = 8 * s;
        PixelRect Box(Alignment a) => a switch
        {
            Alignment.UpperLeft => new(d.Left + inset, d.Top + inset, d.Left + inset + w, d.Top + inset + h),
            Alignment.LowerLeft => new(d.Left + inset, d.Bottom - inset - h, d.Left + inset + w, d.Bottom - inset),
            Alignment.LowerRight => new(d.Right - inset - w, d.Bottom - inset - h, d.Right - inset, d.Bottom - inset),
            _ => new(d.Right - inset - w, d.Top + inset, d.Right - inset, d.Top + inset + h),
        };
        var alignment = Alignment;
        if (alignment == Alignment.Auto)
        {
            Alignment[] order = [Alignment.UpperRight, Alignment.UpperLeft, Alignment.LowerRight, Alignment.LowerLeft];
            var footprint = plottables.Where(p => p.IsVisible).SelectMany(p => p.Footprint(rc)).ToList();
            alignment = order.MinBy(a => { var b = Box(a).Inflate(4 * s); return footprint.Count(p => b.Contains(p.X, p.Y)); });
        }
        var box = Box(alignment);
        box = new PixelRect(Math.Round(box.Left), Math.Round(box.Top), Math.Round(box.Right), Math.Round(box.Bottom));
        c.FillRect(box, Colors.White.WithAlpha(0.9));
        c.StrokeRect(new PixelRect(box.Left + 0.5, box.Top + 0.5, box.Right - 0.5, box.Bottom - 0.5), Math.Max(1, Math.Round(s)), Color.FromHex("#BBBBBB"));
        for (int i = 0; i < items.Count; i++)
        {
            var it = items[i];
            double cy = box.Top + pad + rowH * (i + 0.5), x0 = box.Left + pad;
            if (it.IsFilledBox)
                c.FillRect(new PixelRect(x0 + 4 * s, cy - 5 * s, x0 + swatch - 4 * s, cy + 5 * s), it.Color);
            if (it.LineWidth > 0)
                c.DrawPolyline([new PointD(x0, cy), new PointD(x0 + swatch, cy)], it.LineWidth * s, it.Color,
                    Markers.Dashes(it.LinePattern, it.LineWidth * s));
            if (it.Marker != MarkerShape.None)
                Markers.Draw(c, new PointD(x0 + swatch / 2, cy), it.Marker, Math.Max(it.MarkerSize, 5) * s, it.Color);
            StrokeFont.Draw(c, it.Text, x0 + swatch + gap, cy, size, Colors.Black, TextAlign.Left, TextAnchorY.Middle);
        }
    }
}
