namespace GraphDL.Plots;

/// <summary>What a plottable needs to draw itself: the canvas, the data area and the data-to-pixel mapping.</summary>
public sealed class RenderContext(Canvas canvas, PixelRect dataRect, AxisLimits limits, Axis xAxis, Axis yAxis)
{
    private readonly double _tx0 = xAxis.Transform(limits.XMin), _tx1 = xAxis.Transform(limits.XMax);
    private readonly double _ty0 = yAxis.Transform(limits.YMin), _ty1 = yAxis.Transform(limits.YMax);

    public Canvas Canvas { get; } = canvas;
    public PixelRect DataRect { get; } = dataRect;
    public AxisLimits Limits { get; } = limits;
    public Axis XAxis { get; } = xAxis;
    public Axis YAxis { get; } = yAxis;
    public double Scale => Canvas.Scale;

    public double XToPixel(double x) => DataRect.Left + (XAxis.Transform(x) - _tx0) / (_tx1 - _tx0) * DataRect.Width;

    public double YToPixel(double y) => DataRect.Bottom - (YAxis.Transform(y) - _ty0) / (_ty1 - _ty0) * DataRect.Height;

    public PointD ToPixel(double x, double y) => new(XToPixel(x), YToPixel(y));

    public double PixelToX(double px) => XAxis.Inverse(_tx0 + (px - DataRect.Left) / DataRect.Width * (_tx1 - _tx0));

    public double PixelToY(double py) => YAxis.Inverse(_ty0 + (DataRect.Bottom - py) / DataRect.Height * (_ty1 - _ty0));
}
