using ScottPlot;

namespace GraphDL.Plots;

/// <summary>Puts a ScottPlot heatmap's outer cell edges on a rectangle in coordinate units.</summary>
internal static class HeatmapPlacement
{
    /// <summary>
    /// Adds a heatmap of <paramref name="cells"/> (row 0 at the top) filling <paramref name="edges"/>. ScottPlot's
    /// <c>Rectangle</c> does this by placing the corner cells' centres, which a single row or column has no
    /// width to do, so such an image is given twice over along that side: the same picture, placeable.
    /// </summary>
    public static ScottPlot.Plottables.Heatmap Add(ScottPlot.Plot plot, double[,] cells, CoordinateRect edges)
    {
        int rows = cells.GetLength(0), cols = cells.GetLength(1);
        int ry = rows == 1 ? 2 : 1, rx = cols == 1 ? 2 : 1;
        var placed = cells;
        if (ry > 1 || rx > 1)
        {
            placed = new double[rows * ry, cols * rx];
            for (int r = 0; r < placed.GetLength(0); r++)
                for (int c = 0; c < placed.GetLength(1); c++) placed[r, c] = cells[r / ry, c / rx];
        }
        var map = plot.Add.Heatmap(placed);
        map.Rectangle = edges;
        map.NaNCellColor = Colors.Transparent;
        return map;
    }
}
