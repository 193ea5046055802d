namespace GraphDL.Data;

/// <summary>
/// Examples and their labels, row by row, handed out in shuffled mini-batches the way the slides'
/// <c>mnist.train.next_batch(100)</c> does: each epoch visits every row once in a fresh random order, and a
/// batch that runs past the end of an epoch takes the rows left over plus the first rows of the next one.
/// </summary>
public sealed class DataSet
{
    private readonly Random _random;
    private readonly int[] _order;
    private readonly int _featureRowSize;
    private readonly int _labelRowSize;
    private int _indexInEpoch;
    private bool _shuffled;

    /// <summary>
    /// A data set of <paramref name="features"/> and <paramref name="labels"/> whose first dimension counts the rows.
    /// </summary>
    /// <param name="features">One example per row: (n, 784) for MNIST images.</param>
    /// <param name="labels">One label per row: (n, 10) one-hot for MNIST.</param>
    /// <param name="seed">Seeds the shuffling of each epoch, so a run can be repeated.</param>
    /// <param name="classIds">Each row's class as an integer, when the labels stand for classes.</param>
    public DataSet(Tensor features, Tensor labels, int seed = 0, int[]? classIds = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Rank == 0 || labels.Rank == 0)
            throw new ShapeException($"A data set needs one row per example; got features of shape {features.Shape} and labels of shape {labels.Shape}.");
        if (features.Shape[0] != labels.Shape[0])
            throw new ShapeException($"Features and labels need the same number of rows: features have {features.Shape[0]} (shape {features.Shape}), labels {labels.Shape[0]} (shape {labels.Shape}).");
        if (classIds is not null && classIds.Length != labels.Shape[0])
            throw new ArgumentException($"{classIds.Length} class ids do not match the {labels.Shape[0]} rows of the labels.", nameof(classIds));

        Features = features;
        Labels = labels;
        ClassIds = classIds;
        Count = features.Shape[0];
        _featureRowSize = features.Shape.SizeOf(1, features.Rank);
        _labelRowSize = labels.Shape.SizeOf(1, labels.Rank);
        _random = new Random(seed);
        _order = new int[Count];
        for (int i = 0; i < Count; i++) _order[i] = i;
    }

    /// <summary>All examples, in their original order (TF1's <c>images</c>).</summary>
    public Tensor Features { get; }

    /// <summary>All labels, in their original order (TF1's <c>labels</c>).</summary>
    public Tensor Labels { get; }

    /// <summary>Each row's class as an integer (the column of its one-hot label), or null when not given.</summary>
    public int[]? ClassIds { get; }

    /// <summary>The number of rows (TF1's <c>num_examples</c>).</summary>
    public int Count { get; }

    /// <summary>How many times <see cref="NextBatch"/> has gone through every row (TF1's <c>epochs_completed</c>).</summary>
    public int EpochsCompleted { get; private set; }

    /// <summary>
    /// The next <paramref name="batchSize"/> rows of the shuffled order, as new tensors. The first call shuffles;
    /// when fewer than <paramref name="batchSize"/> rows are left in the epoch, the batch takes them, reshuffles,
    /// and fills up from the start of the next epoch.
    /// </summary>
    public (Tensor Features, Tensor Labels) NextBatch(int batchSize)
    {
        if (batchSize <= 0 || batchSize > Count)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"A batch holds between 1 and the {Count} rows of the data set.");
        if (!_shuffled)
        {
            Shuffle();
            _shuffled = true;
        }

        var batchFeatures = NewRows(Features, batchSize);
        var batchLabels = NewRows(Labels, batchSize);
        int filled = 0;
        if (_indexInEpoch + batchSize > Count)
        {
            // The rest of this epoch first; then a new order, as TF1 does, so no row is seen twice in one epoch.
            int rest = Count - _indexInEpoch;
            CopyRows(_indexInEpoch, rest, batchFeatures, batchLabels, 0);
            filled = rest;
            EpochsCompleted++;
            Shuffle();
            _indexInEpoch = 0;
        }
        int take = batchSize - filled;
        CopyRows(_indexInEpoch, take, batchFeatures, batchLabels, filled);
        _indexInEpoch += take;
        return (batchFeatures, batchLabels);
    }

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> in their original order, as new tensors (numpy's <c>images[start:start+count]</c>).</summary>
    public (Tensor Features, Tensor Labels) Rows(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows {start}..{start + count - 1} are outside the {Count} rows of the data set.");
        var features = NewRows(Features, count);
        var labels = NewRows(Labels, count);
        Array.Copy(Features.Data, start * _featureRowSize, features.Data, 0, count * _featureRowSize);
        Array.Copy(Labels.Data, start * _labelRowSize, labels.Data, 0, count * _labelRowSize);
        return (features, labels);
    }

    private void Shuffle() => _random.Shuffle(_order);

    private void CopyRows(int from, int count, Tensor features, Tensor labels, int to)
    {
        for (int i = 0; i < count; i++)
        {
            int row = _order[from + i];
            Array.Copy(Features.Data, row * _featureRowSize, features.Data, (to + i) * _featureRowSize, _featureRowSize);
            Array.Copy(Labels.Data, row * _labelRowSize, labels.Data, (to + i) * _labelRowSize, _labelRowSize);
        }
    }

    private static Tensor NewRows(Tensor all, int rows) => new(all.Shape.WithDim(0, rows), all.DType);
}
