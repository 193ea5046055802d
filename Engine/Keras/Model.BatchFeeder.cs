namespace GraphDL.Keras;

public partial class Model
{
    /// <summary>
    /// Copies mini-batches into tensors it keeps (one pair for full batches, one for the shorter last batch) and
    /// feeds them through one FeedDict, so that a training step allocates nothing. With Fit's classWeight it feeds each
    /// batch's sample weights too; without, it leaves the loss's own weights of 1.
    /// </summary>
    private sealed class BatchFeeder
    {
        private readonly Tensor[] _xs, _ys;
        private readonly Tensor? _sampleWeights;
        private readonly Output _sampleWeightsNode;
        private readonly int _rows, _batchSize;
        private readonly (Tensor[] X, Tensor[] Y, Tensor? W) _full, _last;
        private readonly FeedDict _feed = [];
        private readonly IReadOnlyList<Output> _inputs, _labels;
        private readonly Output _training;

        /// <param name="model">The model whose placeholders are fed.</param>
        /// <param name="xs">One tensor per input.</param>
        /// <param name="ys">One tensor per output, or null when there are no labels to feed (Predict).</param>
        /// <param name="batchSize">Rows per batch.</param>
        /// <param name="sampleWeights">One weight per row for the loss (from classWeight), or null to leave the weights at 1.</param>
        public BatchFeeder(Model model, Tensor[] xs, Tensor[]? ys, int batchSize, Tensor? sampleWeights = null)
        {
            if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
            _xs = xs;
            _ys = ys ?? [];
            _sampleWeights = sampleWeights;
            if (sampleWeights is not null) _sampleWeightsNode = model.CompiledTrainingNodes().SampleWeights!.Value;
            _rows = xs[0].Shape[0];
            _batchSize = Math.Min(batchSize, _rows);
            StepsPerEpoch = (_rows + batchSize - 1) / batchSize;
            _full = Buffers(_batchSize);
            _last = _rows % _batchSize == 0 ? _full : Buffers(_rows % _batchSize);
            (_inputs, _training) = (model.InputNodes, model.TrainingFlag);
            _labels = ys is null ? [] : model.Targets;
        }

        public int StepsPerEpoch { get; }

        private (Tensor[], Tensor[], Tensor?) Buffers(int rows) =>
            ([.. _xs.Select(x => new Tensor(x.Shape.WithDim(0, rows), x.DType))], [.. _ys.Select(y => new Tensor(y.Shape.WithDim(0, rows), y.DType))],
             _sampleWeights is { } w ? new Tensor(w.Shape.WithDim(0, rows), w.DType) : null);

        /// <summary>The feeds for the batch starting at row <paramref name="start"/> of <paramref name="order"/> (null: in order).</summary>
        public FeedDict Feed(int[]? order, int start, Tensor training)
        {
            var (bx, by, bw) = start + _batchSize <= _rows ? _full : _last;
            for (int i = 0; i < bx.Length; i++)
            {
                CopyRows(_xs[i], order, start, bx[i]);
                _feed[_inputs[i]] = bx[i];
            }
            for (int i = 0; i < by.Length; i++)
            {
                CopyRows(_ys[i], order, start, by[i]);
                _feed[_labels[i]] = by[i];
            }
            if (bw is not null)
            {
                CopyRows(_sampleWeights!, order, start, bw);
                _feed[_sampleWeightsNode] = bw;
            }
            _feed[_training] = training;
            return _feed;
        }

        private static void CopyRows(Tensor source, int[]? order, int start, Tensor batch)
        {
            int rowSize = source.Shape.SizeOf(1, source.Rank), rows = batch.Shape[0];
            if (order is null)
            {
                Array.Copy(source.Data, start * rowSize, batch.Data, 0, rows * rowSize);
                return;
            }
            for (int i = 0; i < rows; i++)
                Array.Copy(source.Data, order[start + i] * rowSize, batch.Data, i * rowSize, rowSize);
        }
    }
}
