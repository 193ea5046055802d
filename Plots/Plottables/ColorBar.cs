using ScottPlot;

namespace GraphDL.Plots;

/// <summary>A vertical colour scale right of the data area, showing a heatmap's value range (ScottPlot's colour bar panel).</summary>
public sealed class ColorBar(Heatmap source)
{
    /// <summary>The heatmap whose colours and range the bar shows.</summary>
    public Heatmap Source { get; } = source ?? throw new ArgumentNullException(nameof(source));

    /// <summary>The bar's title, beside it.</summary>
    public Caption Label { get; set; }

    /// <summary>Adds the bar for the heatmap the same build just made.</summary>
    internal void AddTo(BuildContext context)
    {
        if (Source.Built is not { } heatmap || !context.Plot.GetPlottables().Contains(heatmap)) return; // its heatmap is hidden or not on this plot
        var bar = context.Plot.Add.ColorBar(heatmap, Edge.Right);
        if (!Label.IsEmpty) context.Apply(bar.LabelStyle, Label);
    }
}
