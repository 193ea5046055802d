namespace GraphDL.Summaries;

/// <summary>Logs a scalar tensor's value (TF1's tf.summary.scalar).</summary>
public sealed class ScalarSummary(string tag) : SummaryOp(tag)
{
    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => !x[0].IsFullyDefined || x[0].Size == 1
        ? [x[0]]
        : throw new ShapeException($"A scalar summary '{Tag}' needs a tensor of one element, got shape {x[0]}.");

    /// <inheritdoc/>
    public override SummaryValue Summarize(Tensor value) => value.Size == 1
        ? new ScalarValue(Tag, value.GetDouble(0))
        : throw new ShapeException($"The scalar summary '{Tag}' was fetched with shape {value.Shape}; it needs one element.");
}
