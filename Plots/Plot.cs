using ScottPlot;

namespace GraphDL.Plots;

/// <summary>
/// A chart with two axes: add plottables through <see cref="Add"/>, set the title and labels, then
/// <see cref="Figure.Save"/> (PNG and SVG). ScottPlot lays it out and draws it; this class keeps what the
/// lessons set, so that a log axis or a Korean caption applies whenever it is set.
/// <code>
/// var plt = new Plot();
/// plt.Add.Scatter(xs, ys).LegendText = "data";
/// plt.Title(new Caption("선형 회귀", "Linear regression"));
/// plt.Save("fit.png", 800, 600);        // fit.png and fit.svg
/// </code>
/// </summary>
public sealed class Plot : PanelFigure
{
    private readonly List<IPlottable> _plottables = [];
    private int _nextColor;

    /// <summary>An empty plot.</summary>
    public Plot() => Add = new PlottableAdder(this);

    /// <summary>Creates plottables and adds them (<c>plt.Add.Scatter(...)</c>).</summary>
    public PlottableAdder Add { get; }

    /// <summary>The axes: labels, scales, limits, ticks.</summary>
    public AxesManager Axes { get; } = new();

    /// <summary>Where and whether the legend shows.</summary>
    public Legend Legend { get; } = new();

    /// <summary>The plottables, in drawing order.</summary>
    public IReadOnlyList<IPlottable> Plottables => _plottables;

    /// <summary>The colour scale drawn right of the data area; set by Add.ColorBar.</summary>
    public ColorBar? ColorBar { get; set; }

    /// <summary>The title above the data area.</summary>
    public Caption TitleText { get; set; }

    /// <summary>Grid lines at the major ticks.</summary>
    public bool ShowGrid { get; set; } = true;

    /// <summary>What the last render drew where: the data area in device pixels and the limits on the plot's scale.</summary>
    internal RenderDetails? LastRender { get; private set; }

    /// <summary>Sets the title.</summary>
    public void Title(Caption text) => TitleText = text;

    /// <summary>Sets the horizontal axis' label.</summary>
    public void XLabel(Caption text) => Axes.Bottom.Label = text;

    /// <summary>Sets the vertical axis' label.</summary>
    public void YLabel(Caption text) => Axes.Left.Label = text;

    /// <summary>Shows the legend in the corner that hides the fewest data points.</summary>
    public void ShowLegend()
    {
        Legend.IsVisible = true;
        Legend.Alignment = null;
    }

    /// <summary>Shows the legend at <paramref name="alignment"/> inside the data area.</summary>
    public void ShowLegend(Alignment alignment)
    {
        Legend.IsVisible = true;
        Legend.Alignment = alignment;
    }

    /// <summary>Hides the legend even when plottables have legend text.</summary>
    public void HideLegend() => Legend.IsVisible = false;

    /// <summary>Takes a plottable off the plot.</summary>
    public void Remove(IPlottable plottable) => _plottables.Remove(plottable);

    internal void AddPlottable(IPlottable p) => _plottables.Add(p);

    internal Color NextColor() => Palette.Get(_nextColor++);

    internal override ScottPlot.Plot Build(double scaleFactor)
    {
        var plot = new ScottPlot.Plot { ScaleFactor = scaleFactor };
        var context = new BuildContext(plot, Axes, PlotFonts.Catalog);
        var visible = _plottables.Where(p => p.IsVisible).ToList();
        foreach (var p in visible) p.AddTo(context);
        ColorBar?.AddTo(context);

        if (!TitleText.IsEmpty)
        {
            plot.Title(TitleText.Text);
            context.Apply(plot.Axes.Title.Label, TitleText);
        }
        if (!Axes.Bottom.Label.IsEmpty) context.Apply(plot.Axes.Bottom.Label, Axes.Bottom.Label);
        if (!Axes.Left.Label.IsEmpty) context.Apply(plot.Axes.Left.Label, Axes.Left.Label);
        SetTicks(context, plot.Axes.Bottom, Axes.Bottom);
        SetTicks(context, plot.Axes.Left, Axes.Left);
        if (!ShowGrid) plot.HideGrid();

        FitLimits(plot, visible);
        ShowLegend(context, visible);
        return plot;
    }

    internal override void Rendered(ScottPlot.Plot plot) => LastRender = plot.LastRender;

    private static void SetTicks(BuildContext context, IAxis target, Axis axis)
    {
        if (axis.ManualTicks is { } manual)
            context.SetTicks(target, [.. manual.Positions.Select(axis.ToPlot)], manual.Labels);
        else if (axis.IsLog)
            target.TickGenerator = new Log10TickGenerator();
    }

    /// <summary>Fits both axes to the data with <see cref="AxesManager.Margin"/> (none around areas), then applies the fixed limits.</summary>
    private void FitLimits(ScottPlot.Plot plot, List<IPlottable> visible)
    {
        double margin = visible.Any(p => p.TightLimits) ? 0 : Axes.Margin;
        plot.Axes.Margins(margin, margin);
        plot.Axes.AutoScale();
        var fitted = plot.Axes.GetLimits();
        double Fixed(double? value, Axis axis, double otherwise) => value is { } v && double.IsFinite(axis.ToPlot(v)) ? axis.ToPlot(v) : otherwise;
        plot.Axes.SetLimits(
            Fixed(Axes.Bottom.Min, Axes.Bottom, fitted.Left), Fixed(Axes.Bottom.Max, Axes.Bottom, fitted.Right),
            Fixed(Axes.Left.Min, Axes.Left, fitted.Bottom), Fixed(Axes.Left.Max, Axes.Left, fitted.Top));
    }

    private void ShowLegend(BuildContext context, List<IPlottable> visible)
    {
        var plot = context.Plot;
        var items = context.LegendItems;
        if (Legend.IsVisible == false || items.Count == 0)
        {
            plot.HideLegend();
            return;
        }
        var corner = Legend.Alignment ?? Legend.EmptiestCorner(visible.SelectMany(p => p.Footprint(context)), plot.Axes.GetLimits(), items.Count);
        plot.ShowLegend(corner);
        // The rows come from the plottables, in their order, styled as they are drawn (dashes included).
        plot.Legend.DisplayPlottableLegendItems = false;
        plot.Legend.ManualItems.AddRange(items);
        plot.Legend.SymbolWidth = Legend.SymbolWidth;
        plot.Legend.FontSize = (float)Legend.FontSize;
        if (context.LegendFamily is { } family) plot.Legend.FontName = family;
    }
}
