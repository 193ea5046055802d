namespace GraphDL.Plots;

/// <summary>A point in device pixels (x right, y down) or in data units, depending on context.</summary>
public readonly record struct PointD(double X, double Y);

/// <summary>An axis-aligned rectangle in device pixels; Right and Bottom are exclusive edges.</summary>
public readonly record struct PixelRect(double Left, double Top, double Right, double Bottom)
{
    public double Width => Right - Left;
    public double Height => Bottom - Top;
    public double CenterX => (Left + Right) / 2;
    public double CenterY => (Top + Bottom) / 2;

    public bool Contains(double x, double y) => x >= Left && x < Right && y >= Top && y < Bottom;

    public PixelRect Inflate(double d) => new(Left - d, Top - d, Right + d, Bottom + d);
}

/// <summary>The visible data range of a plot's two axes, in data units.</summary>
public readonly record struct AxisLimits(double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>Limits that contain nothing; the identity for <see cref="Union"/>.</summary>
    public static AxisLimits Empty { get; } =
        new(double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity);

    public bool HasX => XMin <= XMax;
    public bool HasY => YMin <= YMax;

    public AxisLimits Union(AxisLimits o) =>
        new(Math.Min(XMin, o.XMin), Math.Max(XMax, o.XMax), Math.Min(YMin, o.YMin), Math.Max(YMax, o.YMax));

    public AxisLimits Include(double x, double y) =>
        new(Math.Min(XMin, x), Math.Max(XMax, x), Math.Min(YMin, y), Math.Max(YMax, y));
}
