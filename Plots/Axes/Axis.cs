namespace GraphDL.Plots;

public enum AxisScale { Linear, Log10 }

/// <summary>One axis of a plot: label, scale, optional fixed limits and optional hand-placed ticks.</summary>
public sealed class Axis
{
    private List<Tick>? _manualTicks;

    public string Label { get; set; } = "";

    /// <summary>Log10 shows loss curves that fall over several orders of magnitude; non-positive points are skipped.</summary>
    public AxisScale Scale { get; set; } = AxisScale.Linear;

    public bool IsLog => Scale == AxisScale.Log10;

    /// <summary>Fixed lower limit; null lets the plot fit the data.</summary>
    public double? Min { get; set; }

    /// <summary>Fixed upper limit; null lets the plot fit the data.</summary>
    public double? Max { get; set; }

    /// <summary>Replaces the automatic ticks with labels at the given positions (class names, bar labels).</summary>
    public void SetTicks(IReadOnlyList<double> positions, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(labels);
        if (positions.Count != labels.Count)
            throw new ArgumentException($"positions ({positions.Count}) and labels ({labels.Count}) must have the same length.", nameof(labels));
        _manualTicks = [.. positions.Select((p, i) => new Tick(p, labels[i]))];
    }

    /// <summary>Goes back to automatic ticks.</summary>
    public void ClearTicks() => _manualTicks = null;

    public IReadOnlyList<Tick>? ManualTicks => _manualTicks;

    /// <summary>The coordinate the axis is linear in: the value itself or its log10.</summary>
    public double Transform(double v) => IsLog ? Math.Log10(v) : v;

    public double Inverse(double t) => IsLog ? Math.Pow(10, t) : t;

    /// <summary>Whether a data value can be shown on this axis.</summary>
    public bool Accepts(double v) => double.IsFinite(v) && (!IsLog || v > 0);
}

/// <summary>The two axes of a <see cref="Plot"/> and their limits.</summary>
public sealed class AxesManager
{
    public Axis Bottom { get; } = new();
    public Axis Left { get; } = new();

    /// <summary>Fraction of the data range added on each side when limits are fitted to the data.</summary>
    public double Margin { get; set; } = 0.05;

    public void SetLimits(double left, double right, double bottom, double top)
    {
        SetLimitsX(left, right);
        SetLimitsY(bottom, top);
    }

    public void SetLimitsX(double left, double right)
    {
        Check(left, right, nameof(right));
        (Bottom.Min, Bottom.Max) = (left, right);
    }

    public void SetLimitsY(double bottom, double top)
    {
        Check(bottom, top, nameof(top));
        (Left.Min, Left.Max) = (bottom, top);
    }

    /// <summary>Forgets fixed limits so both axes fit the data again.</summary>
    public void AutoScale() => (Bottom.Min, Bottom.Max, Left.Min, Left.Max) = (null, null, null, null);

    /// <summary>Makes the vertical axis logarithmic.</summary>
    public void LogScaleY(bool enable = true) => Left.Scale = enable ? AxisScale.Log10 : AxisScale.Linear;

    private static void Check(double lo, double hi, string name)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || !(hi > lo))
            throw new ArgumentException($"Axis limits must be finite with min < max (got {lo}, {hi}).", name);
    }
}
