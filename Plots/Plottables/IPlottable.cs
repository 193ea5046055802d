namespace GraphDL.Plots;

/// <summary>
/// Anything drawn inside a plot's data area. It keeps its data and style, and adds ScottPlot plottables
/// each time the plot is rendered, so settings made after it was added (a log axis, a legend text) still apply.
/// </summary>
public interface IPlottable
{
    /// <summary>Hidden plottables are neither drawn nor fitted into the axis limits.</summary>
    bool IsVisible { get; }

    /// <summary>True for area plottables (heatmaps, regions) whose edges should meet the frame with no margin.</summary>
    bool TightLimits => false;

    /// <summary>The legend entries this plottable contributes (empty captions show none).</summary>
    IEnumerable<Caption> LegendTexts { get; }

    /// <summary>Points this plottable covers, on the built plot's scale, sampled; the legend avoids the corner where they crowd.</summary>
    IEnumerable<(double X, double Y)> Footprint(BuildContext context) => [];

    /// <summary>Adds the ScottPlot plottables that draw this one to <see cref="BuildContext.Plot"/>.</summary>
    void AddTo(BuildContext context);
}
