using ScottPlot;

namespace GraphDL.Plots;

/// <summary>
/// What a plottable needs while a <see cref="Plot"/> is turned into a ScottPlot plot: the plot to add to,
/// the axes (to place values on a log axis), and the fonts (to draw captions in a font that has their glyphs,
/// or to show their fallbacks).
/// </summary>
public sealed class BuildContext
{
    private readonly FontCatalog _fonts;
    private readonly List<LegendItem> _legendItems = [];

    internal BuildContext(ScottPlot.Plot plot, AxesManager axes, FontCatalog fonts)
    {
        Plot = plot;
        Axes = axes;
        _fonts = fonts;
    }

    /// <summary>The ScottPlot plot being built.</summary>
    public ScottPlot.Plot Plot { get; }

    /// <summary>The axes of the plot being built: their scales decide where values lie.</summary>
    public AxesManager Axes { get; }

    /// <summary>The family the legend needs for a caption the default font cannot draw; null when the default font does.</summary>
    internal string? LegendFamily { get; private set; }

    /// <summary>The legend's rows, in the order the plottables added them.</summary>
    internal IReadOnlyList<LegendItem> LegendItems => _legendItems;

    /// <summary>Where a data x value lies on the built plot's horizontal axis; NaN when the axis cannot show it.</summary>
    public double X(double value) => Axes.Bottom.ToPlot(value);

    /// <summary>Where a data y value lies on the built plot's vertical axis (its log10 on a log axis); NaN when the axis cannot show it.</summary>
    public double Y(double value) => Axes.Left.ToPlot(value);

    /// <summary>The text and font a caption is drawn with on this machine.</summary>
    public (string Text, string? Family) Resolve(Caption caption) => _fonts.Resolve(caption);

    /// <summary>
    /// Adds a legend row: <paramref name="symbol"/> styled as the plottable looks, labelled with the caption's
    /// text. One legend has one font, so a caption that needs another font sets it for the whole legend. An
    /// empty caption adds nothing.
    /// </summary>
    public void AddLegendItem(Caption caption, LegendItem symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (caption.IsEmpty) return;
        var (text, family) = _fonts.Resolve(caption);
        LegendFamily ??= family;
        symbol.LabelText = text;
        _legendItems.Add(symbol);
    }

    /// <summary>Adds a legend row with a filled box (bars, regions).</summary>
    public void AddLegendBox(Caption caption, Color color) =>
        AddLegendItem(caption, new LegendItem { FillColor = color, LineWidth = 0, MarkerStyle = MarkerStyle.None });

    /// <summary>Shows <paramref name="text"/> in <paramref name="label"/>, in a font that can draw it.</summary>
    public void Apply(LabelStyle label, Caption text)
    {
        var (shown, family) = _fonts.Resolve(text);
        label.Text = shown;
        if (family is not null) label.FontName = family;
    }

    /// <summary>Puts labelled ticks at the given positions (already on the plot's scale) on <paramref name="axis"/>.</summary>
    public void SetTicks(IAxis axis, IReadOnlyList<double> positions, IReadOnlyList<Caption> labels)
    {
        var resolved = labels.Select(_fonts.Resolve).ToArray();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < positions.Count; i++) ticks.AddMajor(positions[i], resolved[i].Text);
        axis.TickGenerator = ticks;
        if (resolved.Select(r => r.Family).FirstOrDefault(f => f is not null) is { } family)
            axis.TickLabelStyle.FontName = family;
    }
}
