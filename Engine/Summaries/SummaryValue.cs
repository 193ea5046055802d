namespace GraphDL.Summaries;

/// <summary>One fetched summary, ready to log: what a merged summary's run returns, one value per summary op.</summary>
/// <param name="Tag">The name the value is logged under.</param>
public abstract record SummaryValue(string Tag);

/// <summary>A scalar summary's value.</summary>
/// <param name="Tag">The name the value is logged under.</param>
/// <param name="Value">The number.</param>
public sealed record ScalarValue(string Tag, double Value) : SummaryValue(Tag);

/// <summary>A histogram summary's value.</summary>
/// <param name="Tag">The name the histogram is logged under.</param>
/// <param name="Histogram">The bins of the fetched values.</param>
public sealed record HistogramValue(string Tag, Histogram Histogram) : SummaryValue(Tag);

/// <summary>An image summary's value: the images of the batch it kept.</summary>
/// <param name="Tag">The name the images are logged under.</param>
/// <param name="Images">The images, in batch order.</param>
public sealed record ImageValue(string Tag, IReadOnlyList<SummaryImage> Images) : SummaryValue(Tag);

/// <summary>A text summary's value.</summary>
/// <param name="Tag">The name the text is logged under.</param>
/// <param name="Text">Plain text.</param>
public sealed record TextValue(string Tag, string Text) : SummaryValue(Tag);
