using System.Numerics;
using System.Numerics.Tensors;

namespace GraphDL.Backends.Cpu;

public sealed partial class CpuBackend
{
    public void Softmax(Tensor x, Tensor y)
    {
        if (x.DType == DType.Float32) Softmax(x.ReadOnlySpan<float>(), y.Span<float>(), x.Shape[-1], log: false);
        else Softmax(x.ReadOnlySpan<double>(), y.Span<double>(), x.Shape[-1], log: false);
    }

    public void LogSoftmax(Tensor x, Tensor y)
    {
        if (x.DType == DType.Float32) Softmax(x.ReadOnlySpan<float>(), y.Span<float>(), x.Shape[-1], log: true);
        else Softmax(x.ReadOnlySpan<double>(), y.Span<double>(), x.Shape[-1], log: true);
    }

    /// <summary>Row by row: shift by the maximum, exponentiate, normalise (or, for log, subtract the log-sum-exp).</summary>
    private static void Softmax<T>(ReadOnlySpan<T> x, Span<T> y, int classes, bool log) where T : IFloatingPointIeee754<T>
    {
        if (classes == 0) return;
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

    /// <summary>log sum_k exp(row_k), computed as max + log sum exp(row - max).</summary>
    private static T LogSumExp<T>(ReadOnlySpan<T> row) where T : IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(row), sum = T.Zero;
        foreach (T v in row) sum += T.Exp(v - max);
        return max + T.Log(sum);
    }

    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss)
    {
        if (logits.DType == DType.Float32) SoftmaxCrossEntropy<float>(logits, labels, loss);
        else SoftmaxCrossEntropy<double>(logits, labels, loss);
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

    public void SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss)
    {
        if (logits.DType == DType.Float32) SparseSoftmaxCrossEntropy<float>(logits, labels, loss);
        else SparseSoftmaxCrossEntropy<double>(logits, labels, loss);
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

    public void SigmoidCrossEntropy(Tensor logits, Tensor labels, Tensor y)
    {
        if (logits.DType == DType.Float32) SigmoidCrossEntropy<float>(logits, labels, y);
        else SigmoidCrossEntropy<double>(logits, labels, y);
    }

    private static void SigmoidCrossEntropy<T>(Tensor logits, Tensor labels, Tensor y) where T : IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> x = logits.ReadOnlySpan<T>(), z = labels.ReadOnlySpan<T>();
        var result = y.Span<T>();
        for (int i = 0; i < result.Length; i++)
            result[i] = T.Max(x[i], T.Zero) - x[i] * z[i] + T.LogP1(T.Exp(-T.Abs(x[i])));
    }
}
