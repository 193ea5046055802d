using ScottPlot;
using SkiaSharp;

namespace GraphDL.Plots;

/// <summary>A figure that is one ScottPlot plot, and so can also be a panel of a <see cref="Multiplot"/>: a <see cref="Plot"/> or an <see cref="ImageGrid"/>.</summary>
public abstract class PanelFigure : Figure
{
    /// <summary>
    /// The figure as a new ScottPlot plot, for anything this library does not wrap: style it further and
    /// render or save it with ScottPlot itself. Each call builds a fresh plot; dispose it when done.
    /// </summary>
    public ScottPlot.Plot ToScottPlot() => Build(ScaleFactor);

    /// <summary>Builds the ScottPlot plot at <paramref name="scaleFactor"/> device pixels per logical pixel.</summary>
    internal abstract ScottPlot.Plot Build(double scaleFactor);

    private protected override void Draw(SKCanvas canvas, PixelRect rect)
    {
        using var plot = Build(ScaleFactor);
        plot.Render(canvas, rect);
        Rendered(plot);
    }

    /// <summary>Called with the plot a render just drew (alone or as a panel), while its layout is still known; tests map data to pixels with it.</summary>
    internal virtual void Rendered(ScottPlot.Plot plot) { }
}
