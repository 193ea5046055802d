namespace GraphDL.Summaries;

/// <summary>
/// Summaries to fetch together (what TF1's tf.summary.merge_all returns): <c>session.Run(merged, feeds)</c> gives a
/// <see cref="FetchedSummary"/> for <see cref="FileWriter.AddSummary"/>.
/// </summary>
public sealed class MergedSummary
{
    internal MergedSummary(IReadOnlyList<Output> summaries) => Summaries = summaries;

    /// <summary>The outputs of the summary ops, in the order their values come back.</summary>
    public IReadOnlyList<Output> Summaries { get; }

    /// <summary>The fetched values of <see cref="Summaries"/>, logged as summaries.</summary>
    internal FetchedSummary Read(IEnumerable<Tensor> values) =>
        new([.. Summaries.Zip(values, (s, value) => ((SummaryOp)s.Node.Op).Summarize(value))]);
}

/// <summary>The values of a merged summary's run, one per summary op, ready for <see cref="FileWriter.AddSummary"/>.</summary>
public sealed class FetchedSummary(IReadOnlyList<SummaryValue> values) : IReadOnlyList<SummaryValue>
{
    /// <summary>How many summaries came back.</summary>
    public int Count => values.Count;

    /// <summary>Summary <paramref name="index"/>, in the merged order.</summary>
    public SummaryValue this[int index] => values[index];

    /// <summary>The value logged under <paramref name="tag"/>, or an error that lists the tags there are.</summary>
    public SummaryValue this[string tag] => values.FirstOrDefault(v => v.Tag == tag)
        ?? throw new KeyNotFoundException($"No summary tagged '{tag}'; the tags are: {string.Join(", ", values.Select(v => v.Tag))}.");

    /// <inheritdoc/>
    public IEnumerator<SummaryValue> GetEnumerator() => values.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Runs merged summaries in a <see cref="Session"/>, alone or with a training step.</summary>
public static class SessionSummaryExtensions
{
    /// <summary>Computes the summaries (TF1's <c>sess.run(merged, feed_dict)</c>).</summary>
    public static FetchedSummary Run(this Session session, MergedSummary merged, FeedDict? feeds = null) =>
        session.Run(merged, [], feeds).Summary;

    /// <summary>
    /// Computes the summaries and <paramref name="fetches"/> in one run, so a training step and its summaries see the
    /// same batch and the same weights: <c>var (summary, results) = session.Run(merged, [train, loss], feeds)</c>.
    /// </summary>
    public static (FetchedSummary Summary, RunResult Results) Run(this Session session, MergedSummary merged,
                                                                  IReadOnlyList<Fetch> fetches, FeedDict? feeds = null)
    {
        if (merged.Summaries.Count == 0 && fetches.Count == 0) return (new FetchedSummary([]), new RunResult([], []));
        var results = session.Run([.. merged.Summaries.Select(s => (Fetch)s), .. fetches], feeds);
        var summaryValues = Enumerable.Range(0, merged.Summaries.Count).Select(i => results[i]);
        var others = new RunResult(fetches, [.. Enumerable.Range(0, fetches.Count)
            .Select(i => fetches[i].IsOperation ? null : results[merged.Summaries.Count + i])]);
        return (merged.Read(summaryValues), others);
    }
}
