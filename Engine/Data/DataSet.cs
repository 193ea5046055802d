using System.Numerics.Tensors;

namespace GraphDL.Data;

/// <summary>
/// Examples and their labels, row by row, handed out in shuffled mini-batches the way the slides'
/// <c>mnist.train.next_batch(100)</c> does: each epoch visits every row once in a fresh random order, and a
/// batch that runs past the end of an epoch takes the rows left over plus the first rows of the next one.
/// </summary>
public sealed class DataSet
{
    private readonly int _seed;
    private Random _random;
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
        : this(features?.Shape ?? throw new ArgumentNullException(nameof(features)), labels, seed, classIds)
    {
        _features = features;
    }

    /// <summary>
    /// A data set whose float32 features are kept as bytes and scaled when read (<c>byte * scale</c> in
    /// float32): MNIST's pixels take a quarter of the memory this way, and each batch converts only its rows.
    /// </summary>
    public static DataSet FromBytes(byte[] features, Shape featureShape, float scale, Tensor labels, int seed = 0, int[]? classIds = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (!featureShape.IsFullyDefined || featureShape.Size != features.Length)
            throw new ShapeException($"{features.Length} bytes do not fill features of shape {featureShape}.");
        return new DataSet(featureShape, labels, seed, classIds, features, scale);
    }

    private DataSet(Shape featureShape, Tensor labels, int seed, int[]? classIds, byte[]? featureBytes = null, float byteScale = 1)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (featureShape.Rank == 0 || labels.Rank == 0)
            throw new ShapeException($"A data set needs one row per example; got features of shape {featureShape} and labels of shape {labels.Shape}.");
        if (featureShape[0] != labels.Shape[0])
            throw new ShapeException($"Features and labels need the same number of rows: features have {featureShape[0]} (shape {featureShape}), labels {labels.Shape[0]} (shape {labels.Shape}).");
        if (classIds is not null && classIds.Length != labels.Shape[0])
            throw new ArgumentException($"{classIds.Length} class ids do not match the {labels.Shape[0]} rows of the labels.", nameof(classIds));

        _featureShape = featureShape;
        _featureBytes = featureBytes;
        _byteScale = byteScale;
        Labels = labels;
        ClassIds = classIds;
        Count = featureShape[0];
        _featureRowSize = featureShape.SizeOf(1, featureShape.Rank);
        _labelRowSize = labels.Shape.SizeOf(1, labels.Rank);
        _seed = seed;
        _random = new Random(seed);
        _order = new int[Count];
        for (int i = 0; i < Count; i++) _order[i] = i;
    }

    // The features themselves, or (FromBytes) the bytes they are made from, converted when first asked for.
    private Tensor? _features;
    private readonly byte[]? _featureBytes;
    private readonly float _byteScale;
    private readonly Shape _featureShape;

    /// <summary>All examples, in their original order (TF1's <c>images</c>).</summary>
    public Tensor Features => _features ??= AllFeatures();

    private Tensor AllFeatures()
    {
        var all = new Tensor(_featureShape);
        ConvertBytes(0, all.Span<float>());
        return all;
    }

    /// <summary>All labels, in their original order (TF1's <c>labels</c>).</summary>
    public Tensor Labels { get; }

    /// <summary>Each row's class as an integer (the column of its one-hot label), or null when not given.</summary>
    public int[]? ClassIds { get; }

    /// <summary>The number of rows (TF1's <c>num_examples</c>).</summary>
    public int Count { get; }

    /// <summary>How many times <see cref="NextBatch(int)"/> has gone through every row (TF1's <c>epochs_completed</c>).</summary>
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
        return NextBatch(NewFeatureRows(batchSize), NewRows(Labels, batchSize));
    }

    /// <summary>
    /// The same as <see cref="NextBatch(int)"/>, written into tensors the caller keeps from step to step (the
    /// batch size is their first dimension): a training loop then allocates nothing for its batches.
    /// </summary>
    public (Tensor Features, Tensor Labels) NextBatch(Tensor intoFeatures, Tensor intoLabels)
    {
        ArgumentNullException.ThrowIfNull(intoFeatures);
        ArgumentNullException.ThrowIfNull(intoLabels);
        int batchSize = intoFeatures.Rank > 0 ? intoFeatures.Shape[0] : 0;
        if (batchSize <= 0 || batchSize > Count)
            throw new ArgumentOutOfRangeException(nameof(intoFeatures), batchSize, $"A batch holds between 1 and the {Count} rows of the data set.");
        if (!IsBatchOf(intoFeatures.Shape, _featureShape) || intoFeatures.DType != FeatureDType)
            throw new ShapeException($"A batch of {batchSize} rows needs features {FeatureDType} {_featureShape.WithDim(0, batchSize)}, got {intoFeatures.DType} {intoFeatures.Shape}.");
        if (!IsBatchOf(intoLabels.Shape, Labels.Shape) || intoLabels.Shape[0] != batchSize || intoLabels.DType != Labels.DType)
            throw new ShapeException($"A batch of {batchSize} rows needs labels {Labels.DType} {Labels.Shape.WithDim(0, batchSize)}, got {intoLabels.DType} {intoLabels.Shape}.");
        if (!_shuffled)
        {
            Shuffle();
            _shuffled = true;
        }

        var batchFeatures = intoFeatures;
        var batchLabels = intoLabels;
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
        var features = NewFeatureRows(count);
        var labels = NewRows(Labels, count);
        if (_featureBytes is not null) ConvertBytes(start * _featureRowSize, features.Span<float>());
        else Array.Copy(Features.Data, start * _featureRowSize, features.Data, 0, count * _featureRowSize);
        Array.Copy(Labels.Data, start * _labelRowSize, labels.Data, 0, count * _labelRowSize);
        return (features, labels);
    }

    private void Shuffle() => _random.Shuffle(_order);

    /// <summary>
    /// Where the batches stand: the epochs completed, the next row of this epoch's order, and whether the first
    /// epoch has been shuffled yet. With the seed, it is all a checkpoint needs to hand out the same batches again.
    /// </summary>
    internal (int EpochsCompleted, int IndexInEpoch, bool Shuffled) Position => (EpochsCompleted, _indexInEpoch, _shuffled);

    /// <summary>Throws unless <paramref name="position"/> can be one of this data set's (see <see cref="MoveTo"/>).</summary>
    internal void CheckPosition((int EpochsCompleted, int IndexInEpoch, bool Shuffled) position)
    {
        var (epochs, index, shuffled) = position;
        if (epochs < 0 || index < 0 || index > Count || (!shuffled && (epochs > 0 || index > 0)))
            throw new ArgumentException($"({epochs} epochs completed, row {index} of the epoch, {(shuffled ? "shuffled" : "not shuffled")}) is not a position of a data set of {Count} rows.", nameof(position));
    }

    /// <summary>
    /// Stands at <paramref name="position"/>, as a data set of the same seed that had handed out those batches would:
    /// the shuffles of the epochs so far are done again from the seed, so the order is the same to the row.
    /// </summary>
    /// <exception cref="ArgumentException">The position cannot be one of this data set's (a negative count, a row past the end, an index without a shuffle).</exception>
    internal void MoveTo((int EpochsCompleted, int IndexInEpoch, bool Shuffled) position)
    {
        CheckPosition(position);
        var (epochs, index, shuffled) = position;
        _random = new Random(_seed);
        for (int i = 0; i < Count; i++) _order[i] = i;
        // The first batch shuffles once, and every epoch completed shuffled again.
        for (int shuffles = shuffled ? epochs + 1 : 0; shuffles > 0; shuffles--) Shuffle();
        (EpochsCompleted, _indexInEpoch, _shuffled) = (epochs, index, shuffled);
    }

    private void CopyRows(int from, int count, Tensor features, Tensor labels, int to)
    {
        for (int i = 0; i < count; i++)
        {
            int row = _order[from + i];
            if (_featureBytes is not null)
                ConvertBytes(row * _featureRowSize, features.Span<float>().Slice((to + i) * _featureRowSize, _featureRowSize));
            else
                Array.Copy(Features.Data, row * _featureRowSize, features.Data, (to + i) * _featureRowSize, _featureRowSize);
            Array.Copy(Labels.Data, row * _labelRowSize, labels.Data, (to + i) * _labelRowSize, _labelRowSize);
        }
    }

    private static Tensor NewRows(Tensor all, int rows) => new(all.Shape.WithDim(0, rows), all.DType);

    /// <summary>Whether <paramref name="batch"/> has the row shape of <paramref name="all"/> (any number of rows), checked without allocating.</summary>
    private static bool IsBatchOf(Shape batch, Shape all) =>
        batch.Rank == all.Rank && batch.Dims[1..].SequenceEqual(all.Dims[1..]);

    private DType FeatureDType => _featureBytes is not null ? DType.Float32 : _features!.DType;

    private Tensor NewFeatureRows(int rows) => new(_featureShape.WithDim(0, rows), FeatureDType);

    /// <summary>Bytes from <paramref name="offset"/> on, as float32 times the scale, into <paramref name="destination"/>.</summary>
    private void ConvertBytes(int offset, Span<float> destination)
    {
        // Vectorised: widen the bytes to float32 (exact), then multiply by the scale in float32, as TF1 does.
        TensorPrimitives.ConvertChecked<byte, float>(_featureBytes.AsSpan(offset, destination.Length), destination);
        TensorPrimitives.Multiply(destination, _byteScale, destination);
    }
}
