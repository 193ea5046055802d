using ScottPlot;
using SkiaSharp;

namespace GraphDL.Plots;

/// <summary>Several panels in one image, in a grid of equal cells filled row by row, under an optional title: a ScottPlot multiplot.</summary>
public sealed class Multiplot : Figure
{
    private readonly List<PanelFigure> _panels = [];

    /// <summary>An empty grid of <paramref name="rows"/> x <paramref name="columns"/> panels.</summary>
    public Multiplot(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Rows of panels.</summary>
    public int Rows { get; }

    /// <summary>Columns of panels.</summary>
    public int Columns { get; }

    /// <summary>The title over all panels.</summary>
    public Caption Title { get; set; }

    /// <summary>The panels added so far, row by row.</summary>
    public IReadOnlyList<PanelFigure> Panels => _panels;

    /// <summary>Adds a new empty plot in the next free panel and returns it.</summary>
    public Plot AddPlot() => Add(new Plot());

    /// <summary>Puts a figure in the next free panel.</summary>
    public T Add<T>(T figure) where T : PanelFigure
    {
        ArgumentNullException.ThrowIfNull(figure);
        if (_panels.Count >= Rows * Columns)
            throw new ArgumentException($"All {Rows}x{Columns} panels are taken.", nameof(figure));
        _panels.Add(figure);
        return figure;
    }

    /// <summary>The panel at (row, column), or null if it is still empty.</summary>
    public PanelFigure? this[int row, int column] => row * Columns + column < _panels.Count ? _panels[row * Columns + column] : null;

    /// <summary>
    /// The figure as a new ScottPlot multiplot: a title plot (when there is a title) followed by one plot per
    /// panel, laid out by <see cref="TitledGridLayout"/>. Dispose its plots when done.
    /// </summary>
    public ScottPlot.Multiplot ToScottPlot() => Build(ScaleFactor).Multiplot;

    private protected override void Draw(SKCanvas canvas, PixelRect rect)
    {
        var (multiplot, panels) = Build(ScaleFactor);
        try
        {
            multiplot.Render(canvas, rect);
            for (int i = 0; i < _panels.Count; i++) _panels[i].Rendered(panels[i]);
        }
        finally
        {
            foreach (var plot in multiplot.GetPlots()) plot.Dispose();
        }
    }

    private (ScottPlot.Multiplot Multiplot, ScottPlot.Plot[] Panels) Build(double scaleFactor)
    {
        var panels = _panels.Select(p => p.Build(scaleFactor)).ToList();
        if (!Title.IsEmpty) panels.Insert(0, Heading(scaleFactor));
        if (panels.Count == 0) panels.Add(new ScottPlot.Plot { ScaleFactor = scaleFactor });
        var multiplot = new ScottPlot.Multiplot(panels[0]);
        foreach (var panel in panels.Skip(1)) multiplot.AddPlot(panel);
        multiplot.Layout = new TitledGridLayout(Rows, Columns, Title.IsEmpty ? 0 : TitleBand * (float)scaleFactor);
        return (multiplot, [.. panels.Skip(Title.IsEmpty ? 0 : 1)]);
    }

    /// <summary>A plot with nothing but the figure's title: no axes, no grid, no data.</summary>
    private ScottPlot.Plot Heading(double scaleFactor)
    {
        var heading = new ScottPlot.Plot { ScaleFactor = scaleFactor };
        foreach (var axis in heading.Axes.GetAxes()) axis.IsVisible = false;
        heading.HideGrid();
        heading.Title(Title.Text);
        new BuildContext(heading, new AxesManager(), PlotFonts.Catalog).Apply(heading.Axes.Title.Label, Title);
        return heading;
    }

    /// <summary>Height of the title band in logical pixels.</summary>
    private const float TitleBand = 36;
}
