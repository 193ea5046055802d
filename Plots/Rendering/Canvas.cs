namespace GraphDL.Plots;

/// <summary>
/// An opaque RGB pixel surface with anti-aliased primitives. Coverage is computed analytically
/// (distance to a segment for strokes, exact overlap for rectangles) or by a fixed 4x4 / 2x2 sample
/// grid, all in plain double arithmetic, so the same calls always give the same pixels.
/// </summary>
/// <remarks>
/// Strokes are first accumulated into a coverage mask, taking the maximum where segments overlap, and
/// then composited once. A polyline therefore has no dark beads at its joints and a glyph no darker
/// crossings, which blending each segment on its own would give.
/// </remarks>
public sealed class Canvas
{
    private readonly byte[] _rgb;
    private float[]? _mask;
    private int _mx0, _my0, _mx1, _my1;
    private int _cx0, _cy0, _cx1, _cy1;

    public Canvas(int width, int height, Color background, double scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (!(scale > 0) || double.IsInfinity(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale factor must be a positive number.");
        Width = width;
        Height = height;
        Scale = scale;
        _rgb = new byte[width * height * 3];
        for (int i = 0; i < _rgb.Length; i += 3)
        {
            _rgb[i] = background.R;
            _rgb[i + 1] = background.G;
            _rgb[i + 2] = background.B;
        }
        ResetClip();
        ResetMaskBounds();
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Device pixels per logical pixel; chart code multiplies sizes by it for high-DPI output.</summary>
    public double Scale { get; }

    /// <summary>Rows of RGB bytes, top to bottom.</summary>
    public ReadOnlySpan<byte> Pixels => _rgb;

    public Color GetPixel(int x, int y)
    {
        int i = (y * Width + x) * 3;
        return new Color(_rgb[i], _rgb[i + 1], _rgb[i + 2]);
    }

    public byte[] ToPng() => PngEncoder.Encode(Width, Height, _rgb);

    /// <summary>Restricts drawing to the whole pixels touched by <paramref name="r"/>.</summary>
    public void SetClip(PixelRect r)
    {
        _cx0 = Math.Clamp((int)Math.Floor(r.Left), 0, Width);
        _cy0 = Math.Clamp((int)Math.Floor(r.Top), 0, Height);
        _cx1 = Math.Clamp((int)Math.Ceiling(r.Right), 0, Width);
        _cy1 = Math.Clamp((int)Math.Ceiling(r.Bottom), 0, Height);
    }

    public void ResetClip() => (_cx0, _cy0, _cx1, _cy1) = (0, 0, Width, Height);

    /// <summary>Composites <paramref name="c"/> over one pixel with the given coverage (0..1).</summary>
    public void Blend(int x, int y, Color c, double coverage)
    {
        if (coverage <= 0 || x < _cx0 || x >= _cx1 || y < _cy0 || y >= _cy1) return;
        double a = Math.Min(coverage, 1) * c.A / 255.0;
        int i = (y * Width + x) * 3;
        _rgb[i] = Mix(_rgb[i], c.R, a);
        _rgb[i + 1] = Mix(_rgb[i + 1], c.G, a);
        _rgb[i + 2] = Mix(_rgb[i + 2], c.B, a);
    }

    private static byte Mix(byte dst, byte src, double a) => (byte)(dst + (src - dst) * a + 0.5);

    /// <summary>Fills a rectangle; edge pixels get their exact fractional coverage.</summary>
    public void FillRect(PixelRect r, Color c)
    {
        if (r.Right <= r.Left || r.Bottom <= r.Top) return;
        int x0 = Math.Max(_cx0, (int)Math.Floor(r.Left)), x1 = Math.Min(_cx1, (int)Math.Ceiling(r.Right));
        int y0 = Math.Max(_cy0, (int)Math.Floor(r.Top)), y1 = Math.Min(_cy1, (int)Math.Ceiling(r.Bottom));
        for (int y = y0; y < y1; y++)
        {
            double cy = Math.Min(y + 1, r.Bottom) - Math.Max(y, r.Top);
            for (int x = x0; x < x1; x++)
                Blend(x, y, c, cy * (Math.Min(x + 1, r.Right) - Math.Max(x, r.Left)));
        }
    }

    /// <summary>Outlines a rectangle with a stroke centred on its edges.</summary>
    public void StrokeRect(PixelRect r, double width, Color c)
    {
        double h = width / 2;
        FillRect(new PixelRect(r.Left - h, r.Top - h, r.Right + h, r.Top + h), c);
        FillRect(new PixelRect(r.Left - h, r.Bottom - h, r.Right + h, r.Bottom + h), c);
        FillRect(new PixelRect(r.Left - h, r.Top + h, r.Left + h, r.Bottom - h), c);
        FillRect(new PixelRect(r.Right - h, r.Top + h, r.Right + h, r.Bottom - h), c);
    }

    /// <summary>
    /// The centre a straight line of this width should have so that it covers whole pixels:
    /// odd widths sit on a pixel centre, even widths on a pixel edge.
    /// </summary>
    public static double Snap(double position, double width) =>
        ((int)Math.Round(width) & 1) == 1 ? Math.Floor(position) + 0.5 : Math.Round(position);

    /// <summary>A crisp horizontal line from x0 to x1 at height y.</summary>
    public void HLine(double x0, double x1, double y, double width, Color c)
    {
        width = Math.Max(1, Math.Round(width));
        double yc = Snap(y, width);
        FillRect(new PixelRect(Math.Min(x0, x1), yc - width / 2, Math.Max(x0, x1), yc + width / 2), c);
    }

    /// <summary>A crisp vertical line from y0 to y1 at x.</summary>
    public void VLine(double x, double y0, double y1, double width, Color c)
    {
        width = Math.Max(1, Math.Round(width));
        double xc = Snap(x, width);
        FillRect(new PixelRect(xc - width / 2, Math.Min(y0, y1), xc + width / 2, Math.Max(y0, y1)), c);
    }

    public void DrawLine(PointD a, PointD b, double width, Color c)
    {
        MaskSegment(a, b, width);
        FlushMask(c);
    }

    /// <summary>Strokes a connected line with round joins and caps, optionally dashed.</summary>
    public void DrawPolyline(ReadOnlySpan<PointD> points, double width, Color c, ReadOnlySpan<double> dashPattern = default)
    {
        MaskPolyline(points, width, dashPattern);
        FlushMask(c);
    }

    /// <summary>Adds a polyline to the pending coverage mask; call <see cref="FlushMask"/> to paint it.</summary>
    public void MaskPolyline(ReadOnlySpan<PointD> points, double width, ReadOnlySpan<double> dashPattern = default)
    {
        if (points.Length == 1) { MaskDot(points[0], width / 2); return; }
        if (dashPattern.IsEmpty)
        {
            for (int i = 1; i < points.Length; i++) MaskSegment(points[i - 1], points[i], width);
            return;
        }
        // Walk the arc length, switching between dash and gap, so dashes continue across vertices.
        int dash = 0;
        double left = dashPattern[0];
        for (int i = 1; i < points.Length; i++)
        {
            PointD a = points[i - 1], b = points[i];
            double dx = b.X - a.X, dy = b.Y - a.Y, len = Math.Sqrt(dx * dx + dy * dy), pos = 0;
            while (len - pos > 1e-9)
            {
                double take = Math.Min(left, len - pos);
                if ((dash & 1) == 0)
                    MaskSegment(new PointD(a.X + dx * pos / len, a.Y + dy * pos / len),
                                new PointD(a.X + dx * (pos + take) / len, a.Y + dy * (pos + take) / len), width);
                pos += take;
                left -= take;
                if (left <= 1e-9)
                {
                    dash = (dash + 1) % dashPattern.Length;
                    left = dashPattern[dash];
                }
            }
        }
    }

    /// <summary>Adds a round-capped segment to the coverage mask.</summary>
    public void MaskSegment(PointD a, PointD b, double width)
    {
        double hw = Math.Max(width, 1) / 2, reach = hw + 1, fade = Math.Min(width, 1);
        int x0 = Math.Max(_cx0, (int)Math.Floor(Math.Min(a.X, b.X) - reach));
        int x1 = Math.Min(_cx1, (int)Math.Ceiling(Math.Max(a.X, b.X) + reach));
        int y0 = Math.Max(_cy0, (int)Math.Floor(Math.Min(a.Y, b.Y) - reach));
        int y1 = Math.Min(_cy1, (int)Math.Ceiling(Math.Max(a.Y, b.Y) + reach));
        if (x0 >= x1 || y0 >= y1) return;
        var mask = EnsureMask(x0, y0, x1, y1);
        double dx = b.X - a.X, dy = b.Y - a.Y, len2 = dx * dx + dy * dy;
        for (int y = y0; y < y1; y++)
        {
            double py = y + 0.5;
            int row = y * Width;
            for (int x = x0; x < x1; x++)
            {
                double px = x + 0.5;
                double t = len2 > 0 ? Math.Clamp(((px - a.X) * dx + (py - a.Y) * dy) / len2, 0, 1) : 0;
                double ex = a.X + t * dx - px, ey = a.Y + t * dy - py;
                double cov = hw + 0.5 - Math.Sqrt(ex * ex + ey * ey);
                if (cov <= 0) continue;
                float f = (float)(Math.Min(cov, 1) * fade);
                if (f > mask[row + x]) mask[row + x] = f;
            }
        }
    }

    /// <summary>Adds a filled disc to the coverage mask (the dot of '.', ':' and 'i').</summary>
    public void MaskDot(PointD c, double radius) => MaskSegment(c, c, radius * 2);

    /// <summary>Paints the pending coverage mask in one colour and clears it.</summary>
    public void FlushMask(Color c)
    {
        if (_mask is null || _mx0 >= _mx1) return;
        for (int y = _my0; y < _my1; y++)
        {
            int row = y * Width;
            for (int x = _mx0; x < _mx1; x++)
            {
                float m = _mask[row + x];
                if (m <= 0) continue;
                Blend(x, y, c, m);
                _mask[row + x] = 0;
            }
        }
        ResetMaskBounds();
    }

    private float[] EnsureMask(int x0, int y0, int x1, int y1)
    {
        _mask ??= new float[Width * Height];
        _mx0 = Math.Min(_mx0, x0);
        _my0 = Math.Min(_my0, y0);
        _mx1 = Math.Max(_mx1, x1);
        _my1 = Math.Max(_my1, y1);
        return _mask;
    }

    private void ResetMaskBounds() => (_mx0, _my0, _mx1, _my1) = (int.MaxValue, int.MaxValue, int.MinValue, int.MinValue);

    /// <summary>Fills a disc; the edge coverage is the distance from the pixel centre to the circle.</summary>
    public void FillCircle(PointD c, double radius, Color color)
    {
        if (radius <= 0) return;
        int x0 = Math.Max(_cx0, (int)Math.Floor(c.X - radius - 1)), x1 = Math.Min(_cx1, (int)Math.Ceiling(c.X + radius + 1));
        int y0 = Math.Max(_cy0, (int)Math.Floor(c.Y - radius - 1)), y1 = Math.Min(_cy1, (int)Math.Ceiling(c.Y + radius + 1));
        double fade = Math.Min(1, radius * 2);
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
            {
                double dx = x + 0.5 - c.X, dy = y + 0.5 - c.Y;
                double cov = Math.Max(radius, 0.5) + 0.5 - Math.Sqrt(dx * dx + dy * dy);
                if (cov > 0) Blend(x, y, color, Math.Min(cov, 1) * fade);
            }
    }

    /// <summary>Fills a polygon (even-odd rule) with 4x4 samples per pixel; meant for markers.</summary>
    public void FillPolygon(ReadOnlySpan<PointD> pts, Color color)
    {
        if (pts.Length < 3) return;
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        foreach (var p in pts)
        {
            minX = Math.Min(minX, p.X); maxX = Math.Max(maxX, p.X);
            minY = Math.Min(minY, p.Y); maxY = Math.Max(maxY, p.Y);
        }
        int x0 = Math.Max(_cx0, (int)Math.Floor(minX)), x1 = Math.Min(_cx1, (int)Math.Ceiling(maxX));
        int y0 = Math.Max(_cy0, (int)Math.Floor(minY)), y1 = Math.Min(_cy1, (int)Math.Ceiling(maxY));
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
            {
                int inside = 0;
                for (int sy = 0; sy < 4; sy++)
                    for (int sx = 0; sx < 4; sx++)
                        if (Contains(pts, x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) inside++;
                Blend(x, y, color, inside / 16.0);
            }
    }

    private static bool Contains(ReadOnlySpan<PointD> pts, double x, double y)
    {
        bool inside = false;
        for (int i = 0, j = pts.Length - 1; i < pts.Length; j = i++)
        {
            PointD a = pts[i], b = pts[j];
            if ((a.Y > y) != (b.Y > y) && x < (b.X - a.X) * (y - a.Y) / (b.Y - a.Y) + a.X) inside = !inside;
        }
        return inside;
    }

    /// <summary>
    /// Paints every pixel of <paramref name="r"/> with the average of <paramref name="colorAt"/> over an
    /// n x n grid of sample points (device coordinates). Samples outside <paramref name="r"/> or where
    /// the function returns null count as uncovered. Adjacent cells painted this way share edges without
    /// the seams that two anti-aliased rectangles leave.
    /// </summary>
    public void FillSampled(PixelRect r, Func<double, double, Color?> colorAt, int samplesPerAxis = 2)
    {
        int x0 = Math.Max(_cx0, (int)Math.Floor(r.Left)), x1 = Math.Min(_cx1, (int)Math.Ceiling(r.Right));
        int y0 = Math.Max(_cy0, (int)Math.Floor(r.Top)), y1 = Math.Min(_cy1, (int)Math.Ceiling(r.Bottom));
        int n = Math.Max(1, samplesPerAxis), total = n * n;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
            {
                int count = 0, sr = 0, sg = 0, sb = 0;
                for (int sy = 0; sy < n; sy++)
                {
                    double py = y + (sy + 0.5) / n;
                    if (py < r.Top || py >= r.Bottom) continue;
                    for (int sx = 0; sx < n; sx++)
                    {
                        double px = x + (sx + 0.5) / n;
                        if (px < r.Left || px >= r.Right) continue;
                        if (colorAt(px, py) is not { } c) continue;
                        count++; sr += c.R; sg += c.G; sb += c.B;
                    }
                }
                if (count == 0) continue;
                var avg = new Color((byte)((sr + count / 2) / count), (byte)((sg + count / 2) / count), (byte)((sb + count / 2) / count));
                Blend(x, y, avg, (double)count / total);
            }
    }
}
