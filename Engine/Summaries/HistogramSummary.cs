namespace GraphDL.Summaries;

/// <summary>Logs how a tensor's values spread, as a histogram of equal-width bins (TF1's tf.summary.histogram).</summary>
public sealed class HistogramSummary : SummaryOp
{
    /// <param name="tag">The name the histogram is logged under.</param>
    /// <param name="bins">How many equal-width bins span the values' range.</param>
    public HistogramSummary(string tag, int bins = Histogram.DefaultBins) : base(tag)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        Bins = bins;
    }

    /// <summary>How many equal-width bins span the values' range.</summary>
    public int Bins { get; }

    /// <inheritdoc/>
    public override string Attributes => $"tag={Tag}, bins={Bins}";

    /// <inheritdoc/>
    public override SummaryValue Summarize(Tensor value) => new HistogramValue(Tag, Histogram.Of(value.ToDoubles(), Bins));
}
