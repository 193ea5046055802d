using ScottPlot;

namespace GraphDL.Plots;

/// <summary>
/// A ScottPlot multiplot layout for a figure title over a grid: the first subplot (the title plot) takes a
/// band across the top, the others fill a rows x columns grid below it, row by row. ScottPlot's own grid
/// layout has no room for a figure title.
/// </summary>
/// <param name="rows">Rows of panels.</param>
/// <param name="columns">Columns of panels.</param>
/// <param name="titleBand">Height of the title band in device pixels; 0 when there is no title plot and every subplot is a panel.</param>
internal sealed class TitledGridLayout(int rows, int columns, float titleBand) : IMultiplotLayout
{
    /// <summary>The title band (when there is one), then each panel's cell; panels beyond rows x columns get an empty rectangle.</summary>
    public PixelRect[] GetSubplotRectangles(SubplotCollection subplots, PixelRect figureRect)
    {
        ArgumentNullException.ThrowIfNull(subplots);
        var rects = new PixelRect[subplots.Count];
        int first = titleBand > 0 ? 1 : 0;
        if (first == 1 && rects.Length > 0) rects[0] = new PixelRect(figureRect.Left, figureRect.Right, figureRect.Top, figureRect.Top + titleBand);
        float top = figureRect.Top + titleBand, w = figureRect.Width / columns, h = (figureRect.Bottom - top) / rows;
        for (int i = first; i < rects.Length; i++)
        {
            int cell = i - first, r = cell / columns, c = cell % columns;
            rects[i] = r < rows
                ? new PixelRect(MathF.Round(figureRect.Left + c * w), MathF.Round(figureRect.Left + (c + 1) * w),
                                MathF.Round(top + r * h), MathF.Round(top + (r + 1) * h))
                : new PixelRect(0, 0, 0, 0);
        }
        return rects;
    }
}
