using System.Numerics;
using GraphDL.Backends.Cpu.Blas;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// The convolution and its two gradients on a native BLAS, split across the cores by images. The batch is cut into
/// <see cref="ImageGroups"/> groups, which the cores take in turn; a group goes through im2col a few images at a
/// time (<see cref="GroupColumnsBudget"/>) into its own columns matrix, which stays in its core's cache, and the core
/// multiplies it alone, straight into the tensors (a pointer at the images' offset: no block copies, no zero rows).
/// Measured on the MnistCnn network's layers, the BLAS threading one product of a few images costs more in waking
/// and waiting for its second thread than the product itself; two products on two cores do not wait for each other.
/// The groups are fixed by the batch alone, and the filter gradient's per-group sums are added in group order, so
/// the result is the same bits whichever core took which group, and whether one core or two ran them.
/// </summary>
public sealed partial class CpuBackend
{
    /// <summary>
    /// Groups a batch is cut into: more than the two cores, so that a core which starts late finds work left to share,
    /// few enough that each group multiplies several images in one product.
    /// </summary>
    private const int ImageGroups = 4;

    /// <summary>
    /// Elements of one group's columns matrix (1 MB of float32, a core's L2 cache on the machine it was measured on): the
    /// images that go through im2col and one product together, at least one. Measured on the MnistCnn step (100 images,
    /// MKL, quiet 2-core AMD EPYC, 2026-12-07 18:17 UTC, six rounds in turns in one process, ms per step): 11.8-13.5 with
    /// 65,536 elements (one image of the second layer's 78,400 per product), 10.7-12.6 with 262,144 (three), 10.9-13.0
    /// with 400,000, 11.0-12.5 with 524,288; the second layer's filter gradient gained most (3.1 to 2.2-2.6 ms), its
    /// products being as deep as the images they sum over. Tests lower it to make groups of several steps.
    /// </summary>
    internal static int GroupColumnsBudget = 1 << 18;

    /// <summary>
    /// Whether the convolutions take this path (the default) or the one-chunk-at-a-time path that the managed BLAS
    /// takes; for <c>Bench --conv-ab</c>, which times both in one process. Not to be changed while a session runs.
    /// </summary>
    internal static bool ConvolveInImageGroups = true;

    /// <summary>The native BLAS when the split path applies to this convolution, else null (the chunked path runs).</summary>
    private static NativeBlas? ImageGroupsBlas(in SlidingGeometry g) =>
        ConvolveInImageGroups && g.Batch > 0 && g.Pixels > 0 && g.Depth > 0 && g.OutChannels > 0
        && BlasProvider.LinearAlgebra is CblasLinearAlgebraProvider native
            ? native.Blas
            : null;

    /// <summary>Which of the three products a <see cref="ImageGroupsJob{T}"/> computes.</summary>
    private enum ConvPass { Forward, InputGradient, FilterGradient }

    private static void RunInImageGroups<T>(NativeBlas blas, ConvPass pass, in SlidingGeometry g, T[] input, T[] second, T[] result)
        where T : unmanaged, INumber<T>
    {
        int perGroup = (g.Batch + ImageGroups - 1) / ImageGroups;
        int groups = (g.Batch + perGroup - 1) / perGroup;   // none of them empty
        int imagesPerStep = Math.Clamp(GroupColumnsBudget / (g.Pixels * g.Depth), 1, perGroup);
        int columnsPerGroup = imagesPerStep * g.Pixels * g.Depth;
        // The first group's filter gradient goes straight into dW; the others' into partial sums added after.
        int partialLength = g.Depth * g.OutChannels;
        T[] partials = pass == ConvPass.FilterGradient && groups > 1 ? Scratch<T>.Block((groups - 1) * partialLength) : [];
        // Two cores pay once the products are several MFLOP (NativeBlas's own threshold for its threads); a single
        // group, one large image, is better left to the BLAS's threads.
        long flops = 2L * g.Batch * g.Pixels * g.Depth * g.OutChannels;
        bool split = groups >= 2 && flops >= NativeBlas.SingleThreadBelowFlops && Environment.ProcessorCount >= 2;
        var job = new ImageGroupsJob<T>(pass, g, perGroup, imagesPerStep, blas, oneThreadEach: split,
            input, second, result, Scratch<T>.Columns(groups * columnsPerGroup), partials);
        if (split)
        {
            blas.UseOneThread();
            CpuParallel.RunChunks(job, g.Batch, perGroup);
        }
        else
            for (int first = 0; first < g.Batch; first += perGroup) job.Run(first, Math.Min(g.Batch, first + perGroup));
        if (pass == ConvPass.FilterGradient) AddGroupSums(result, partials, groups, partialLength);
    }

    /// <summary>
    /// Adds the filter gradient's sums of groups 1, 2, ... (kept in <paramref name="partials"/>) into dW, which holds group
    /// 0's, in group order: the bits do not depend on which core ran which group.
    /// </summary>
    private static void AddGroupSums<T>(T[] dW, T[] partials, int groups, int partialLength) where T : INumber<T>
    {
        var sum = dW.AsSpan(0, partialLength);
        for (int group = 1; group < groups; group++)
            System.Numerics.Tensors.TensorPrimitives.Add(sum, partials.AsSpan((group - 1) * partialLength, partialLength), sum);
    }

    /// <summary>
    /// One pass of a convolution over one group of images, [start, end) of the batch. <c>Input</c> is what the columns
    /// come from or go to: x in the forward pass and the filter gradient, dout in the input gradient; <c>Second</c> the
    /// other operand (the filter, or dout for the filter gradient); <c>Result</c> y, dx or dW.
    /// </summary>
    private readonly struct ImageGroupsJob<T>(ConvPass pass, SlidingGeometry g, int perGroup, int imagesPerStep,
        NativeBlas blas, bool oneThreadEach, T[] input, T[] second, T[] result, T[] columns, T[] partials) : IRangeJob
        where T : unmanaged, INumber<T>
    {
        public void Run(int start, int end)
        {
            int group = start / perGroup;
            var groupColumns = columns.AsSpan(group * imagesPerStep * g.Pixels * g.Depth, imagesPerStep * g.Pixels * g.Depth);
            for (int n = start; n < end; n += imagesPerStep)
            {
                int images = Math.Min(imagesPerStep, end - n);
                switch (pass)
                {
                    case ConvPass.Forward: Forward(n, images, groupColumns); break;
                    case ConvPass.InputGradient: InputGradient(n, images, groupColumns); break;
                    default: FilterGradient(group, accumulate: n > start, n, images, groupColumns); break;
                }
            }
        }

        // y (rows × Cout) = columns (rows × depth) · filter (depth × Cout), rows = the images' output pixels
        private unsafe void Forward(int n, int images, Span<T> groupColumns)
        {
            Im2Col<T>(input, g, n, images, groupColumns);
            int rows = images * g.Pixels;
            fixed (T* columnsAt = groupColumns, filter = second, y = result)
                Gemm(rows, g.OutChannels, g.Depth, columnsAt, g.Depth, false, filter, g.OutChannels, false,
                    y + (long)n * g.Pixels * g.OutChannels, accumulate: false);
        }

        // dcolumns (rows × depth) = dout (rows × Cout) · filterᵀ (Cout × depth), then each row added back into dx
        private unsafe void InputGradient(int n, int images, Span<T> groupColumns)
        {
            int rows = images * g.Pixels;
            fixed (T* dout = input, filter = second, columnsAt = groupColumns)
                Gemm(rows, g.Depth, g.OutChannels, dout + (long)n * g.Pixels * g.OutChannels, g.OutChannels, false,
                    filter, g.OutChannels, true, columnsAt, accumulate: false);
            int imageSize = g.InHeight * g.InWidth * g.InChannels;
            result.AsSpan(n * imageSize, images * imageSize).Clear();
            Col2Im<T>(groupColumns, g, n, images, result);
        }

        // dW (depth × Cout) += columnsᵀ (depth × rows) · dout (rows × Cout), into the group's own sum
        private unsafe void FilterGradient(int group, bool accumulate, int n, int images, Span<T> groupColumns)
        {
            Im2Col<T>(input, g, n, images, groupColumns);
            int rows = images * g.Pixels, partialLength = g.Depth * g.OutChannels;
            fixed (T* columnsAt = groupColumns, dout = second, dW = result, others = partials)
            {
                T* sum = group == 0 ? dW : others + (long)(group - 1) * partialLength;
                Gemm(g.Depth, g.OutChannels, rows, columnsAt, g.Depth, true, dout + (long)n * g.Pixels * g.OutChannels,
                    g.OutChannels, false, sum, accumulate);
            }
        }

        /// <summary>
        /// Row-major c (m × n) = op(a) · op(b) (or c += that), a and b given with their row lengths as stored. The
        /// BLAS is column-major, so it computes cᵀ = op(b)ᵀ · op(a)ᵀ on the same memory.
        /// </summary>
        private unsafe void Gemm(int m, int n, int k, T* a, int aRowLength, bool transposeA, T* b, int bRowLength, bool transposeB,
            T* c, bool accumulate)
        {
            if (typeof(T) == typeof(float))
            {
                float beta = accumulate ? 1f : 0f;
                if (oneThreadEach) blas.SgemmOnOneThread(transposeB, transposeA, n, m, k, 1f, (float*)b, bRowLength, (float*)a, aRowLength, beta, (float*)c, n);
                else blas.Sgemm(transposeB, transposeA, n, m, k, 1f, (float*)b, bRowLength, (float*)a, aRowLength, beta, (float*)c, n);
            }
            else
            {
                double beta = accumulate ? 1d : 0d;
                if (oneThreadEach) blas.DgemmOnOneThread(transposeB, transposeA, n, m, k, 1d, (double*)b, bRowLength, (double*)a, aRowLength, beta, (double*)c, n);
                else blas.Dgemm(transposeB, transposeA, n, m, k, 1d, (double*)b, bRowLength, (double*)a, aRowLength, beta, (double*)c, n);
            }
        }
    }
}
