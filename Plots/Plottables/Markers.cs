namespace GraphDL.Plots;

public enum MarkerShape { None, FilledCircle, OpenCircle, FilledSquare, FilledTriangleUp, FilledDiamond, Cross, Plus }

public enum LinePattern { Solid, Dashed, Dotted }

/// <summary>Draws point markers; shared by scatter series and legend swatches.</summary>
public static class Markers
{
    /// <summary>Draws a marker of diameter <paramref name="size"/> (device pixels) centred on <paramref name="p"/>.</summary>
    public static void Draw(Canvas c, PointD p, MarkerShape shape, double size, Color color, Color? outline = null)
    {
        double r = size / 2, edge = Math.Max(1, c.Scale);
        switch (shape)
        {
            case MarkerShape.FilledCircle:
                if (outline is { } o) { c.FillCircle(p, r + edge * 0.5, o); c.FillCircle(p, r - edge * 0.5, color); }
                else c.FillCircle(p, r, color);
                break;
            case MarkerShape.OpenCircle:
                c.FillCircle(p, r + edge * 0.5, color);
                c.FillCircle(p, r - edge, outline ?? Colors.White);
                break;
            case MarkerShape.FilledSquare:
                if (outline is { } os) c.FillRect(new PixelRect(p.X - r, p.Y - r, p.X + r, p.Y + r).Inflate(edge * 0.5), os);
                c.FillRect(new PixelRect(p.X - r, p.Y - r, p.X + r, p.Y + r).Inflate(outline is null ? 0 : -edge * 0.5), color);
                break;
            case MarkerShape.FilledTriangleUp:
                Polygon(c, p, r * 1.25, [new(0, -1), new(0.866, 0.5), new(-0.866, 0.5)], color, outline, edge);
                break;
            case MarkerShape.FilledDiamond:
                Polygon(c, p, r * 1.2, [new(0, -1), new(1, 0), new(0, 1), new(-1, 0)], color, outline, edge);
                break;
            case MarkerShape.Cross:
                c.MaskSegment(new(p.X - r, p.Y - r), new(p.X + r, p.Y + r), edge * 1.5);
                c.MaskSegment(new(p.X - r, p.Y + r), new(p.X + r, p.Y - r), edge * 1.5);
                c.FlushMask(color);
                break;
            case MarkerShape.Plus:
                c.MaskSegment(new(p.X - r, p.Y), new(p.X + r, p.Y), edge * 1.5);
                c.MaskSegment(new(p.X, p.Y - r), new(p.X, p.Y + r), edge * 1.5);
                c.FlushMask(color);
                break;
        }
    }

    private static void Polygon(Canvas c, PointD p, double r, PointD[] unit, Color color, Color? outline, double edge)
    {
        if (outline is { } o)
        {
            c.FillPolygon(unit.Select(u => new PointD(p.X + u.X * (r + edge), p.Y + u.Y * (r + edge))).ToArray(), o);
            c.FillPolygon(unit.Select(u => new PointD(p.X + u.X * r, p.Y + u.Y * r)).ToArray(), color);
        }
        else c.FillPolygon(unit.Select(u => new PointD(p.X + u.X * r, p.Y + u.Y * r)).ToArray(), color);
    }

    internal static double[]? Dashes(LinePattern pattern, double width) => pattern switch
    {
        LinePattern.Dashed => [width * 4, width * 2.5],
        LinePattern.Dotted => [width * 0.01, width * 2],
        _ => null,
    };
}
