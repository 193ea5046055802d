using System.Buffers;
using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cuda;

// Kernels/softmax.cu: rows of up to SoftmaxThreadRowMax classes go one thread per row, longer ones one block per row.
public sealed partial class CudaBackend
{
    /// <summary>SOFTMAX_THREAD_ROW_MAX in Kernels/softmax.cu.</summary>
    private const int SoftmaxThreadRowMax = 32;

    /// <summary>SOFTMAX_BLOCK in Kernels/softmax.cu: the most threads a row's block may have.</summary>
    private const int SoftmaxBlock = 256;

    /// <inheritdoc/>
    public void Softmax(Tensor x, Tensor y) => Softmax("Softmax", "softmax_short_f32", "softmax_f32", x, y);

    /// <inheritdoc/>
    public void LogSoftmax(Tensor x, Tensor y) => Softmax("LogSoftmax", "log_softmax_short_f32", "log_softmax_f32", x, y);

    private void Softmax(string primitive, string threadPerRow, string blockPerRow, Tensor x, Tensor y)
    {
        RequireFloat32(primitive, x, y);
        RequireSameSize(primitive, x, y);
        if (x.Rank == 0) throw new MissingKernelException(primitive, "its kernels take rows along a last axis, got a scalar");
        if (x.Size == 0) return;
        int classes = x.Shape[-1], rows = x.Size / classes;
        if (classes <= SoftmaxThreadRowMax)
            Launch(threadPerRow, BlocksFor(rows), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), rows, classes);
        else
            Launch(blockPerRow, new Dim3((uint)rows), SoftmaxRowBlock(classes), Ptr(x), Ptr(y), classes);
    }

    /// <inheritdoc/>
    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss)
    {
        const string primitive = "SoftmaxCrossEntropy";
        RequireFloat32(primitive, logits, labels, loss);
        RequireSameSize(primitive, logits, labels);
        int classes = RowsOf(primitive, logits, loss);
        int rows = loss.Size;
        if (rows == 0) return;
        if (classes <= SoftmaxThreadRowMax)
            Launch("softmax_cross_entropy_short_f32", BlocksFor(rows), new Dim3(ThreadsPerBlock), Ptr(logits), Ptr(labels), Ptr(loss), rows, classes);
        else
            Launch("softmax_cross_entropy_f32", new Dim3((uint)rows), SoftmaxRowBlock(classes), Ptr(logits), Ptr(labels), Ptr(loss), classes);
    }

    /// <summary>
    /// The labels are read back and checked first, so that a label outside the classes fails as it does on the
    /// CPU (ArgumentOutOfRangeException) rather than as a NaN loss. That costs a wait for the device and a copy
    /// of one int per row.
    /// </summary>
    public void SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss)
    {
        const string primitive = "SparseSoftmaxCrossEntropy";
        RequireFloat32(primitive, logits, loss);
        if (labels.DType != DType.Int32) throw new MissingKernelException(primitive, $"its labels are Int32 class indices, got {labels.DType}");
        int classes = RowsOf(primitive, logits, loss);
        int rows = loss.Size;
        if (labels.Size != rows)
            throw new ShapeException($"{primitive}: {labels.Size} labels for {rows} rows of logits of shape {logits.Shape}.");
        if (FirstIndexOutside(labels, classes, out int label) is var row and >= 0)
            throw new ArgumentOutOfRangeException(nameof(labels), $"Label {label} in row {row} is outside the {classes} classes [0, {classes}).");
        if (rows == 0) return;
        if (classes <= SoftmaxThreadRowMax)
            Launch("sparse_softmax_cross_entropy_short_f32", BlocksFor(rows), new Dim3(ThreadsPerBlock), Ptr(logits), Ptr(labels), Ptr(loss), rows, classes);
        else
            Launch("sparse_softmax_cross_entropy_f32", new Dim3((uint)rows), SoftmaxRowBlock(classes), Ptr(logits), Ptr(labels), Ptr(loss), classes);
    }

    /// <inheritdoc/>
    public void SigmoidCrossEntropy(Tensor logits, Tensor labels, Tensor y)
    {
        const string primitive = "SigmoidCrossEntropy";
        RequireFloat32(primitive, logits, labels, y);
        RequireSameSize(primitive, logits, labels);
        RequireSameSize(primitive, logits, y);
        if (y.Size == 0) return;
        Launch("sigmoid_cross_entropy_f32", BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(logits), Ptr(labels), Ptr(y), y.Size);
    }

    /// <summary>The classes per row of <paramref name="logits"/>, checked against one loss per row.</summary>
    private static int RowsOf(string primitive, Tensor logits, Tensor loss)
    {
        if (logits.Rank == 0 || logits.Shape[-1] == 0)
            throw new MissingKernelException(primitive, $"its kernels take rows of at least one class, got logits of shape {logits.Shape}");
        int classes = logits.Shape[-1];
        if (logits.Size / classes != loss.Size)
            throw new ShapeException($"{primitive}: logits of shape {logits.Shape} have {logits.Size / classes} rows, the loss {loss.Size} elements.");
        return classes;
    }

    /// <summary>A power of two of threads, enough for one per class up to <see cref="SoftmaxBlock"/>: short rows leave fewer idle.</summary>
    private static Dim3 SoftmaxRowBlock(int classes)
    {
        int threads = 32;
        while (threads < classes && threads < SoftmaxBlock) threads *= 2;
        return new Dim3((uint)threads);
    }

    private static void RequireSameSize(string primitive, Tensor a, Tensor b)
    {
        if (a.Size != b.Size)
            throw new ShapeException($"{primitive}: a tensor of shape {a.Shape} and one of shape {b.Shape} should have as many elements.");
    }

    /// <summary>
    /// Reads Int32 indices back from the device and returns the position of the first outside [0, <paramref name="count"/>)
    /// (its value in <paramref name="value"/>), or -1: so a primitive can fail as the CPU does before any kernel reads them.
    /// </summary>
    private int FirstIndexOutside(Tensor indices, int count, out int value)
    {
        const int OnStack = 1024;
        value = 0;
        int n = indices.Size;
        if (n == 0) return -1;
        int[]? rented = n > OnStack ? ArrayPool<int>.Shared.Rent(n) : null;
        try
        {
            Span<int> values = rented is null ? stackalloc int[OnStack] : rented;
            values = values[..n];
            Device.CopyToHost(MemoryMarshal.AsBytes(values), Ptr(indices));
            for (int j = 0; j < n; j++)
                if ((uint)values[j] >= (uint)count)
                {
                    value = values[j];
                    return j;
                }
            return -1;
        }
        finally
        {
            if (rented is not null) ArrayPool<int>.Shared.Return(rented);
        }
    }
}
