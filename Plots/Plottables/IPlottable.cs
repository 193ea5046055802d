namespace GraphDL.Plots;

/// <summary>Anything drawn inside a plot's data area.</summary>
public interface IPlottable
{
    bool IsVisible { get; }

    /// <summary>Bounds of the data this plottable shows on axes with these scales (non-positive values are skipped on log axes).</summary>
    AxisLimits GetLimits(Axis xAxis, Axis yAxis);

    /// <summary>True for area plottables (heatmaps, regions) whose edges should meet the frame with no margin.</summary>
    bool TightLimits => false;

    IEnumerable<LegendItem> LegendItems { get; }

    /// <summary>Labels that only this plottable knows (bar names, heatmap rows); null leaves ticks automatic.</summary>
    IReadOnlyList<Tick>? XTicks => null;

    IReadOnlyList<Tick>? YTicks => null;

    /// <summary>Pixels this plottable covers, sampled; the legend avoids the corner where they crowd.</summary>
    IEnumerable<PointD> Footprint(RenderContext rc) => [];

    void Render(RenderContext rc);
}
