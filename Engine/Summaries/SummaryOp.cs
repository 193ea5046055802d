namespace GraphDL.Summaries;

/// <summary>
/// The base of the summary ops (TF1's ScalarSummary, HistogramSummary, ...): a node that passes its input through
/// unchanged and carries a tag. Fetching it copies the value to the host, where <see cref="Summarize"/> turns it into
/// what a <see cref="FileWriter"/> logs, so a summary needs no kernel on any device, adds no work to a training step it
/// is not fetched with, and never takes part in a gradient.
/// </summary>
public abstract class SummaryOp : Op
{
    /// <param name="tag">The name the value is logged under; '/' groups charts on the board ("layer1/W").</param>
    protected SummaryOp(string tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
            throw new ArgumentException("A summary needs a non-empty tag.", nameof(tag));
        Tag = tag;
    }

    /// <summary>The name the value is logged under: the summary's name with the name scopes open when it was built.</summary>
    public string Tag { get; }

    /// <summary>A summary observes a value; no gradient flows back through it.</summary>
    public override bool IsDifferentiable => false;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    /// <summary>The output is the input itself, wherever it lives: nothing is copied until the summary is fetched.</summary>
    public override bool ProducesOwnOutputs => true;

    /// <inheritdoc/>
    public override bool OutputIsViewOfInput => true;

    /// <inheritdoc/>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) => y[0] = x[0];

    /// <inheritdoc/>
    public override string Attributes => $"tag={Tag}";

    /// <summary>What the fetched value (on the host) logs as.</summary>
    public abstract SummaryValue Summarize(Tensor value);
}
