using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;

namespace GraphDL.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void Softmax(Tensor x, Tensor y)
    {
        switch (x.DType)
        {
            case DType.Float32: Softmax(x.ReadOnlySpan<float>(), y.Span<float>(), x.Shape[-1], log: false); break;
            case DType.Float64: Softmax(x.ReadOnlySpan<double>(), y.Span<double>(), x.Shape[-1], log: false); break;
            default: throw Unsupported(nameof(Softmax), x.DType);
        }
    }

    /// <inheritdoc/>
    public void LogSoftmax(Tensor x, Tensor y)
    {
        switch (x.DType)
        {
            case DType.Float32: Softmax(x.ReadOnlySpan<float>(), y.Span<float>(), x.Shape[-1], log: true); break;
            case DType.Float64: Softmax(x.ReadOnlySpan<double>(), y.Span<double>(), x.Shape[-1], log: true); break;
            default: throw Unsupported(nameof(LogSoftmax), x.DType);
        }
    }

    /// <summary>Row by row: shift by the maximum, exponentiate, normalise (or, for log, subtract the log-sum-exp).</summary>
    private static void Softmax<T>(ReadOnlySpan<T> x, Span<T> y, int classes, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (classes == 0) return;
        if (classes < ShortRow)
        {
            SoftmaxShortRows(x, y, classes, log);
            return;
        }
        for (int start = 0; start < x.Length; start += classes)
        {
            var xRow = x.Slice(start, classes);
            var yRow = y.Slice(start, classes);
            T max = TensorPrimitives.Max(xRow);
            TensorPrimitives.Subtract(xRow, max, yRow);
            TensorPrimitives.Exp(yRow, yRow);
            T sum = TensorPrimitives.Sum<T>(yRow);
            if (log) TensorPrimitives.Subtract(xRow, max + T.Log(sum), yRow);
            else TensorPrimitives.Divide(yRow, sum, yRow);
        }
    }

    /// <summary>
    /// The same for a few classes, a block of rows at a time: the shift by each row's maximum and each row's sum take scalar
    /// passes over its few elements, and the exponentials and the division are vectorised calls over the whole block, each
    /// row's sum written out along it (<see cref="ShortRows.RowSumsAlongRows"/>; for the log, its logarithm, through
    /// <see cref="ShortRows.StageRows"/>). Over (150, 3), one scalar division per element had taken about half the softmax.
    /// </summary>
    [SkipLocalsInit]   // the scratch is written before it is read
    private static void SoftmaxShortRows<T>(ReadOnlySpan<T> x, Span<T> y, int classes, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = x.Length / classes, rowsPerBlock = ShortRows.RowsPerBlock(classes);
        Span<T> alongRows = stackalloc T[ShortRows.StagingLength];
        Span<T> perRow = log ? stackalloc T[ShortRows.BlockLength] : default, exponentials = log ? stackalloc T[ShortRows.BlockLength] : default;
        for (int first = 0; first < rows; first += rowsPerBlock)
        {
            int count = Math.Min(rowsPerBlock, rows - first), size = count * classes;
            ReadOnlySpan<T> xBlock = x.Slice(first * classes, size);
            Span<T> yBlock = y.Slice(first * classes, size), rowValues = alongRows[..size];

            ShortRows.SubtractRowMax(xBlock, yBlock, classes);
            if (log)
            {
                // log softmax = shifted - log sum e^shifted, the logarithm taken once per row.
                Span<T> e = exponentials[..size];
                yBlock.CopyTo(e);
                ExpLikeAVector(e);
                ShortRows.ReduceRows(ReduceFn.Sum, e, count, classes, perRow);
                for (int row = 0; row < count; row++) perRow[row] = T.Log(perRow[row]);
                ShortRows.StageRows<T>(perRow, 0, count, classes, rowStride: 1, step: 0, alongRows);
                TensorPrimitives.Subtract(yBlock, rowValues, yBlock);
            }
            else
            {
                ExpLikeAVector(yBlock);
                ShortRows.RowSumsAlongRows<T>(yBlock, classes, alongRows);
                TensorPrimitives.Divide(yBlock, rowValues, yBlock);
            }
        }
    }

    /// <summary>
    /// e^y in place through the vectorised code path even when y is shorter than a vector, which the library
    /// would otherwise compute element by element, with different rounding. So a row's softmax is the same
    /// bits whether it comes in a batch of one or of a hundred.
    /// </summary>
    private static void ExpLikeAVector<T>(Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Padded = 16;   // the widest vector of floats
        if (y.Length >= Padded)
        {
            TensorPrimitives.Exp(y, y);
            return;
        }
        Span<T> padded = stackalloc T[Padded];
        y.CopyTo(padded);
        TensorPrimitives.Exp(padded, padded);
        padded[..y.Length].CopyTo(y);
    }

    /// <summary>log sum_k exp(row_k), computed as max + log sum exp(row - max).</summary>
    private static T LogSumExp<T>(ReadOnlySpan<T> row) where T : IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(row), sum = T.Zero;
        foreach (T v in row) sum += T.Exp(v - max);
        return max + T.Log(sum);
    }

    /// <inheritdoc/>
    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss)
    {
        switch (logits.DType)
        {
            case DType.Float32: SoftmaxCrossEntropy<float>(logits, labels, loss); break;
            case DType.Float64: SoftmaxCrossEntropy<double>(logits, labels, loss); break;
            default: throw Unsupported(nameof(SoftmaxCrossEntropy), logits.DType);
        }
    }

    /// <summary>-sum_k t_k (x_k - lse) = lse sum_k t_k - t·x: no softmax is ever materialised, so no log(0).</summary>
    private static void SoftmaxCrossEntropy<T>(Tensor logits, Tensor labels, Tensor loss) where T : IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> x = logits.ReadOnlySpan<T>(), t = labels.ReadOnlySpan<T>();
        var result = loss.Span<T>();
        int classes = logits.Shape[-1];
        for (int row = 0; row < result.Length; row++)
        {
            var xRow = x.Slice(row * classes, classes);
            var tRow = t.Slice(row * classes, classes);
            result[row] = LogSumExp(xRow) * TensorPrimitives.Sum(tRow) - TensorPrimitives.Dot(tRow, xRow);
        }
    }

    /// <inheritdoc/>
    public void SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss)
    {
        switch (logits.DType)
        {
            case DType.Float32: SparseSoftmaxCrossEntropy<float>(logits, labels, loss); break;
            case DType.Float64: SparseSoftmaxCrossEntropy<double>(logits, labels, loss); break;
            default: throw Unsupported(nameof(SparseSoftmaxCrossEntropy), logits.DType);
        }
    }

    private static void SparseSoftmaxCrossEntropy<T>(Tensor logits, Tensor labels, Tensor loss) where T : IFloatingPointIeee754<T>
    {
        var x = logits.ReadOnlySpan<T>();
        var classOf = labels.ReadOnlySpan<int>();
        var result = loss.Span<T>();
        int classes = logits.Shape[-1];
        for (int row = 0; row < result.Length; row++)
        {
            int k = classOf[row];
            if ((uint)k >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {k} in row {row} is outside the {classes} classes [0, {classes}).");
            var xRow = x.Slice(row * classes, classes);
            result[row] = LogSumExp(xRow) - xRow[k];
        }
    }

    /// <inheritdoc/>
    public void SigmoidCrossEntropy(Tensor logits, Tensor labels, Tensor y)
    {
        switch (logits.DType)
        {
            case DType.Float32: SigmoidCrossEntropy<float>(logits, labels, y); break;
            case DType.Float64: SigmoidCrossEntropy<double>(logits, labels, y); break;
            default: throw Unsupported(nameof(SigmoidCrossEntropy), logits.DType);
        }
    }

    private static void SigmoidCrossEntropy<T>(Tensor logits, Tensor labels, Tensor y) where T : IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> x = logits.ReadOnlySpan<T>(), z = labels.ReadOnlySpan<T>();
        var result = y.Span<T>();
        for (int i = 0; i < result.Length; i++)
            result[i] = T.Max(x[i], T.Zero) - x[i] * z[i] + T.LogP1(T.Exp(-T.Abs(x[i])));
    }
}
