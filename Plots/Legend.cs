using ScottPlot;

namespace GraphDL.Plots;

/// <summary>Where and whether a plot shows its legend; ScottPlot draws it.</summary>
public sealed class Legend
{
    /// <summary>Null shows the legend whenever some plottable has legend text.</summary>
    public bool? IsVisible { get; set; }

    /// <summary>The corner the legend sits in; null picks the corner that hides the fewest data points.</summary>
    public Alignment? Alignment { get; set; }

    /// <summary>Font size of the entries, in logical pixels.</summary>
    public double FontSize { get; set; } = 12;

    /// <summary>Width of each entry's symbol (line, marker, box), in logical pixels.</summary>
    internal const float SymbolWidth = 24;

    /// <summary>
    /// The corner (upper right, upper left, lower right, lower left, in that order of preference) whose
    /// legend-sized box covers the fewest footprint points, given the plot's limits on its own scale.
    /// </summary>
    internal static Alignment EmptiestCorner(IEnumerable<(double X, double Y)> footprint, AxisLimits limits, int rows)
    {
        // The legend's size in pixels is known only while ScottPlot renders; a box of a fixed share of the data
        // area, taller with more rows, is close enough to rank the corners.
        double w = 0.45, h = Math.Min(0.9, 0.05 + 0.075 * rows);
        double width = limits.Right - limits.Left, height = limits.Top - limits.Bottom;
        var points = footprint
            .Select(p => ((p.X - limits.Left) / width, (p.Y - limits.Bottom) / height))
            .Where(p => double.IsFinite(p.Item1) && double.IsFinite(p.Item2))
            .ToList();
        (Alignment Corner, double X0, double Y0)[] corners =
        [
            (ScottPlot.Alignment.UpperRight, 1 - w, 1 - h), (ScottPlot.Alignment.UpperLeft, 0, 1 - h),
            (ScottPlot.Alignment.LowerRight, 1 - w, 0), (ScottPlot.Alignment.LowerLeft, 0, 0),
        ];
        return corners.MinBy(c => points.Count(p => p.Item1 >= c.X0 && p.Item1 <= c.X0 + w && p.Item2 >= c.Y0 && p.Item2 <= c.Y0 + h)).Corner;
    }
}
