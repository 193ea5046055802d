namespace GraphDL.Plots;

/// <summary>How an axis maps data values to positions.</summary>
public enum AxisScale
{
    /// <summary>Evenly spaced values.</summary>
    Linear,

    /// <summary>Evenly spaced powers of ten: loss curves that fall over several orders of magnitude.</summary>
    Log10,
}

/// <summary>One axis of a plot: label, scale, optional fixed limits and optional hand-placed ticks.</summary>
public sealed class Axis
{
    private (double[] Positions, Caption[] Labels)? _manualTicks;

    /// <summary>The axis title.</summary>
    public Caption Label { get; set; }

    /// <summary>Log10 shows values over several orders of magnitude; non-positive points are then skipped.</summary>
    public AxisScale Scale { get; set; } = AxisScale.Linear;

    /// <summary>True when the axis is logarithmic.</summary>
    public bool IsLog => Scale == AxisScale.Log10;

    /// <summary>Fixed lower limit in data units; null lets the plot fit the data.</summary>
    public double? Min { get; set; }

    /// <summary>Fixed upper limit in data units; null lets the plot fit the data.</summary>
    public double? Max { get; set; }

    /// <summary>Replaces the automatic ticks with labels at the given positions (class names, bar labels).</summary>
    public void SetTicks(IReadOnlyList<double> positions, IReadOnlyList<Caption> labels)
    {
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(labels);
        if (positions.Count != labels.Count)
            throw new ArgumentException($"positions ({positions.Count}) and labels ({labels.Count}) must have the same length.", nameof(labels));
        _manualTicks = ([.. positions], [.. labels]);
    }

    /// <summary>Replaces the automatic ticks with labels at the given positions.</summary>
    public void SetTicks(IReadOnlyList<double> positions, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        SetTicks(positions, [.. labels.Select(l => (Caption)l)]);
    }

    /// <summary>Goes back to automatic ticks.</summary>
    public void ClearTicks() => _manualTicks = null;

    /// <summary>The hand-placed ticks, or null for automatic ones.</summary>
    public (IReadOnlyList<double> Positions, IReadOnlyList<Caption> Labels)? ManualTicks => _manualTicks;

    /// <summary>
    /// Where a data value lies along the axis as ScottPlot draws it: the value itself, or its log10 on a log
    /// axis. NaN for a value the axis cannot show (NaN, infinite, or not positive on a log axis), which
    /// ScottPlot skips, breaking a line there.
    /// </summary>
    public double ToPlot(double value) =>
        !double.IsFinite(value) ? double.NaN
        : IsLog ? (value > 0 ? Math.Log10(value) : double.NaN)
        : value;

    /// <summary>The data value at a position along the axis: the inverse of <see cref="ToPlot"/>.</summary>
    public double FromPlot(double position) => IsLog ? Math.Pow(10, position) : position;
}
