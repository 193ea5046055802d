namespace GraphDL.Summaries;

/// <summary>
/// The summary ops, TF1's way (tf.summary): each adds a node that passes its tensor through and files it in the
/// graph's <see cref="Collection"/>; <see cref="MergeAll"/> gathers them into one thing to fetch.
/// <code>
/// Summary.Scalar("loss", loss);
/// Summary.Histogram("layer1/W", w);
/// var merged = Summary.MergeAll(g);
/// using var writer = new FileWriter("out/run1");
/// writer.AddGraph(g);
/// var (summary, _) = session.Run(merged, [train], feeds);   // one training step, summaries fetched with it
/// writer.AddSummary(summary, step);
/// </code>
/// A summary's tag is its name under the name scopes open when it was built ("layer1/W"); its node name is made
/// unique like any other, so a summary named "loss" beside a node "loss" keeps the tag "loss".
/// </summary>
public static class Summary
{
    /// <summary>The graph collection of summaries (TF1's tf.GraphKeys.SUMMARIES).</summary>
    public const string Collection = "summaries";

    /// <summary>Logs a one-element tensor's value (tf.summary.scalar).</summary>
    public static Output Scalar(string name, Output tensor) => Add(new ScalarSummary(TagOf(tensor, name)), tensor, name);

    /// <summary>Logs how a tensor's values spread over <paramref name="bins"/> equal-width bins (tf.summary.histogram).</summary>
    public static Output Histogram(string name, Output tensor, int bins = Summaries.Histogram.DefaultBins) =>
        Add(new HistogramSummary(TagOf(tensor, name), bins), tensor, name);

    /// <summary>Logs the first <paramref name="maxOutputs"/> images of an NHWC batch (tf.summary.image); see <see cref="ImageSummary"/> for the scaling.</summary>
    public static Output Image(string name, Output tensor, int maxOutputs = 3) =>
        Add(new ImageSummary(TagOf(tensor, name), maxOutputs), tensor, name);

    /// <summary>
    /// Logs text made from a tensor's fetched value by <paramref name="format"/>, or the tensor's printout (tf.summary.text;
    /// GraphDL has no string dtype, see <see cref="TextSummary"/>). Fixed text goes straight to <see cref="FileWriter.AddText"/>.
    /// </summary>
    public static Output Text(string name, Output tensor, Func<Tensor, string>? format = null) =>
        Add(new TextSummary(TagOf(tensor, name), format), tensor, name);

    /// <summary>Every summary in the graph's <see cref="Collection"/>, as one thing to fetch (tf.summary.merge_all); empty when there is none.</summary>
    public static MergedSummary MergeAll(Graph graph) => Merge(graph.GetCollection(Collection));

    /// <summary>The given summaries as one thing to fetch (tf.summary.merge), each an output of a summary op.</summary>
    public static MergedSummary Merge(IEnumerable<Output> summaries)
    {
        var list = summaries.ToArray();
        foreach (var s in list)
            if (s.Node.Op is not SummaryOp)
                throw new ArgumentException($"Only summaries can be merged; {s.Node} is not a summary op.", nameof(summaries));
        return new MergedSummary(list);
    }

    private static string TagOf(Output tensor, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return tensor.Graph.ScopePrefix + name;
    }

    private static Output Add(SummaryOp op, Output tensor, string name)
    {
        var summary = tensor.Graph.AddOp(op, [tensor], name);
        tensor.Graph.AddToCollection(Collection, summary);
        return summary;
    }
}
