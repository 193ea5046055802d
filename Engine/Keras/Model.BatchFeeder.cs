namespace GraphDL.Keras;

public partial class Model
{
    /// <summary>
    /// Copies mini-batches into tensors it keeps (one pair for full batches, one for the shorter last batch) and
    /// feeds them through one FeedDict, so that a training step allocates nothing.
    /// </summary>
    private sealed class BatchFeeder
    {
        private readonly Tensor _x;
        private readonly Tensor? _y;
        private readonly int _batchSize;
        private readonly (Tensor X, Tensor? Y) _full, _last;
        private readonly FeedDict _feed = [];
        private readonly Output _input, _labels, _training;

        public BatchFeeder(Model model, Tensor x, Tensor? y, int batchSize)
        {
            if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
            _x = x;
            _y = y;
            int rows = x.Shape[0];
            _batchSize = Math.Min(batchSize, rows);
            StepsPerEpoch = (rows + batchSize - 1) / batchSize;
            _full = Buffers(_batchSize);
            _last = rows % _batchSize == 0 ? _full : Buffers(rows % _batchSize);
            (_input, _training) = (model.Input, model.TrainingFlag);
            _labels = y is null ? default : model.Labels;
        }

        public int StepsPerEpoch { get; }

        private (Tensor, Tensor?) Buffers(int rows) =>
            (new Tensor(_x.Shape.WithDim(0, rows), _x.DType), _y is null ? null : new Tensor(_y.Shape.WithDim(0, rows), _y.DType));

        /// <summary>The feeds for the batch starting at row <paramref name="start"/> of <paramref name="order"/> (null: in order).</summary>
        public FeedDict Feed(int[]? order, int start, Tensor training)
        {
            var (bx, by) = start + _batchSize <= _x.Shape[0] ? _full : _last;
            CopyRows(_x, order, start, bx);
            _feed[_input] = bx;
            if (by is not null)
            {
                CopyRows(_y!, order, start, by);
                _feed[_labels] = by;
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
