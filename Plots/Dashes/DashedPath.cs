using ScottPlot;
using SkiaSharp;

namespace GraphDL.Plots;

/// <summary>
/// A ScottPlot path strategy that cuts a polyline into its dashes itself, as separate segments of one path,
/// instead of leaving the dashing to a Skia path effect. SkiaSharp's SVG canvas cannot write path effects
/// (it draws the line solid and prints a complaint for every line), so a dashed series would be dashed in the
/// PNG and solid in the SVG; segments come out the same in both. NaN pixels break the line, as ScottPlot's
/// own straight strategy does.
/// </summary>
/// <param name="intervals">On and off lengths in pixels, repeating (a ScottPlot <see cref="LinePattern"/>'s intervals).</param>
internal sealed class DashedPath(float[] intervals) : IPathStrategy
{
    public SKPath GetPath(IEnumerable<Pixel> pixels)
    {
        var path = new SKPath();
        Pixel? previous = null;
        int interval = 0;
        float left = intervals[0];   // what remains of the current interval
        foreach (var p in pixels)
        {
            if (float.IsNaN(p.X) || float.IsNaN(p.Y))
            {
                previous = null;
                (interval, left) = (0, intervals[0]);
                continue;
            }
            if (previous is { } q)
                Walk(path, q, p, ref interval, ref left);
            previous = p;
        }
        return path;
    }

    /// <summary>Adds the dashes along one segment, carrying the pattern's phase into the next.</summary>
    private void Walk(SKPath path, Pixel from, Pixel to, ref int interval, ref float left)
    {
        float dx = to.X - from.X, dy = to.Y - from.Y, length = MathF.Sqrt(dx * dx + dy * dy), done = 0;
        if (length == 0) return;
        while (done < length)
        {
            float step = MathF.Min(left, length - done);
            if (interval % 2 == 0) // an "on" interval: draw this stretch
            {
                path.MoveTo(from.X + dx * done / length, from.Y + dy * done / length);
                path.LineTo(from.X + dx * (done + step) / length, from.Y + dy * (done + step) / length);
            }
            done += step;
            left -= step;
            if (left <= 0)
            {
                interval = (interval + 1) % intervals.Length;
                left = intervals[interval];
            }
        }
    }
}
