namespace GraphDL.Summaries;

/// <summary>
/// Logs text made from a fetched tensor (TF1's tf.summary.text). TF1 logs a string tensor; GraphDL has no string
/// dtype, so the text is made on the host, after the fetch, by a formatter of the tensor's value: a predicted label,
/// a decoded sentence, a confusion count. Fixed text needs no graph node: <see cref="FileWriter.AddText"/> logs it.
/// </summary>
public sealed class TextSummary : SummaryOp
{
    /// <param name="tag">The name the text is logged under.</param>
    /// <param name="format">Turns the fetched value into the text; the tensor's own printout when null.</param>
    public TextSummary(string tag, Func<Tensor, string>? format = null) : base(tag) =>
        Format = format ?? (value => value.ToString());

    /// <summary>Turns the fetched value into the text.</summary>
    public Func<Tensor, string> Format { get; }

    /// <inheritdoc/>
    public override SummaryValue Summarize(Tensor value) => new TextValue(Tag, Format(value));
}
