namespace GraphDL.Plots;

/// <summary>The two axes of a <see cref="Plot"/> and their limits.</summary>
public sealed class AxesManager
{
    /// <summary>The horizontal axis.</summary>
    public Axis Bottom { get; } = new();

    /// <summary>The vertical axis.</summary>
    public Axis Left { get; } = new();

    /// <summary>Fraction of the data range added on each side when limits are fitted to the data.</summary>
    public double Margin { get; set; } = 0.05;

    /// <summary>Fixes both axes' limits, in data units.</summary>
    public void SetLimits(double left, double right, double bottom, double top)
    {
        SetLimitsX(left, right);
        SetLimitsY(bottom, top);
    }

    /// <summary>Fixes the horizontal axis' limits.</summary>
    public void SetLimitsX(double left, double right)
    {
        Check(left, right, nameof(right));
        (Bottom.Min, Bottom.Max) = (left, right);
    }

    /// <summary>Fixes the vertical axis' limits.</summary>
    public void SetLimitsY(double bottom, double top)
    {
        Check(bottom, top, nameof(top));
        (Left.Min, Left.Max) = (bottom, top);
    }

    /// <summary>Forgets fixed limits so both axes fit the data again.</summary>
    public void AutoScale() => (Bottom.Min, Bottom.Max, Left.Min, Left.Max) = (null, null, null, null);

    /// <summary>Makes the vertical axis logarithmic (or linear again); series added before or after are both shown on it.</summary>
    public void LogScaleY(bool enable = true) => Left.Scale = enable ? AxisScale.Log10 : AxisScale.Linear;

    private static void Check(double lo, double hi, string name)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || !(hi > lo))
            throw new ArgumentException($"Axis limits must be finite with min < max (got {lo}, {hi}).", name);
    }
}
