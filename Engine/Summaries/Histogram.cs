namespace GraphDL.Summaries;

/// <summary>
/// How values spread: <c>Counts[i]</c> values fall in bin i, from <c>Edges[i]</c> to <c>Edges[i + 1]</c>. Bins include
/// their left edge and exclude their right one, except the last, which includes the maximum (NumPy's and TensorBoard's
/// convention). NaN and infinities are left out of every figure, so that one bad value does not hide the others.
/// </summary>
/// <param name="Min">The smallest finite value (0 when there is none).</param>
/// <param name="Max">The largest finite value (0 when there is none).</param>
/// <param name="Count">How many finite values were binned: the sum of <paramref name="Counts"/>.</param>
/// <param name="Sum">The sum of the finite values.</param>
/// <param name="Edges">The K + 1 ascending bin edges.</param>
/// <param name="Counts">The K bin counts.</param>
public sealed record Histogram(double Min, double Max, long Count, double Sum, double[] Edges, long[] Counts)
{
    /// <summary>TensorBoard's default number of bins.</summary>
    public const int DefaultBins = 30;

    /// <summary>
    /// <paramref name="bins"/> equal-width bins from the smallest to the largest finite value. When all values are equal
    /// there is one bin of width 1 centred on them, as TensorBoard draws a constant tensor.
    /// </summary>
    public static Histogram Of(ReadOnlySpan<double> values, int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        long count = 0;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
            count++;
        }
        if (count == 0) return new Histogram(0, 0, 0, 0, [0, 1], [0]);
        if (min == max) return new Histogram(min, max, count, sum, [min - 0.5, max + 0.5], [count]);

        var edges = new double[bins + 1];
        double width = (max - min) / bins;
        for (int i = 0; i < bins; i++) edges[i] = min + i * width;
        edges[bins] = max;
        var counts = new long[bins];
        foreach (double v in values)
            if (double.IsFinite(v)) counts[BinOf(v, edges, width)]++;
        return new Histogram(min, max, count, sum, edges, counts);
    }

    /// <summary>The bin of <paramref name="v"/>, settled against the edges themselves so rounding never disagrees with them.</summary>
    private static int BinOf(double v, double[] edges, double width)
    {
        int last = edges.Length - 2;
        int bin = Math.Clamp((int)((v - edges[0]) / width), 0, last);
        while (bin > 0 && v < edges[bin]) bin--;
        while (bin < last && v >= edges[bin + 1]) bin++;
        return bin;
    }
}
