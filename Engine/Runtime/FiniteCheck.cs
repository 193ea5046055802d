using System.Globalization;

namespace GraphDL;

/// <summary>
/// Counts the NaN and infinite elements of a floating tensor and the range of its finite ones: what
/// <see cref="CheckNumerics"/> and <see cref="Session.CheckNumerics"/> report when a value goes bad.
/// </summary>
internal readonly record struct FiniteCheck(int Size, int NaNs, int Infinities, double Min, double Max)
{
    public bool AllFinite => NaNs == 0 && Infinities == 0;

    public static bool Applies(DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>Scans <paramref name="t"/> (copied to the host first when it is on a device).</summary>
    public static FiniteCheck Of(Tensor t)
    {
        var host = t.ToHost();
        int nans = 0, infinities = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        void Count(double v)
        {
            if (double.IsNaN(v)) nans++;
            else if (double.IsInfinity(v)) infinities++;
            else
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
        if (host.DType == DType.Float32)
            foreach (float v in host.Span<float>()) Count(v);
        else if (host.DType == DType.Float64)
            foreach (double v in host.Span<double>()) Count(v);
        else
            for (int i = 0; i < host.Size; i++) Count(host.GetDouble(i));
        return new FiniteCheck(host.Size, nans, infinities, min, max);
    }

    /// <summary>"NaN in 2 and Inf in 1 of 10 elements", or "all 10 finite".</summary>
    public string Problems =>
        AllFinite ? $"all {Size} finite" :
        string.Join(" and ", new[] { NaNs > 0 ? $"NaN in {NaNs}" : null, Infinities > 0 ? $"Inf in {Infinities}" : null }.OfType<string>()) + $" of {Size} elements";

    /// <summary>"in [-1.5, 3]" over the finite elements, or "no finite elements".</summary>
    public string Range => Min <= Max
        ? $"in [{Min.ToString("G6", CultureInfo.InvariantCulture)}, {Max.ToString("G6", CultureInfo.InvariantCulture)}]"
        : "no finite elements";
}
