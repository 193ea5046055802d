using ScottPlot;

namespace GraphDL.Plots;

/// <summary>
/// A legend symbol for a dashed series, drawn as a ScottPlot custom marker: the dashes across the symbol's
/// width (cut by <see cref="DashedPath"/>, for the reason given there) and the series' marker in the middle.
/// </summary>
/// <param name="dashes">The series' dash pattern.</param>
/// <param name="line">Width and colour of the dashes.</param>
/// <param name="width">The legend's symbol width in pixels.</param>
/// <param name="marker">The series' marker, or null when it shows none.</param>
internal sealed class DashedSwatch(DashedPath dashes, LineStyle line, float width, MarkerStyle? marker) : IMarker
{
    public void Render(SkiaSharp.SKCanvas canvas, Paint paint, Pixel center, float size, MarkerStyle markerStyle)
    {
        using var path = dashes.GetPath([center.WithOffset(-width / 2, 0), center.WithOffset(width / 2, 0)]);
        line.Render(canvas, path, paint);
        marker?.Render(canvas, center, paint);
    }
}
