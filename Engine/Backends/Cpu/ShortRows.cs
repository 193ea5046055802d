using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// The loops for tensors whose rows are shorter than a vector: a softmax over three classes, its bias, and the
/// gradients that undo their broadcasts. A call into TensorPrimitives per row of three costs more than the
/// arithmetic, and an element-by-element walk that checks every index costs about as much again, so each loop
/// here checks once that its last row lies inside every operand and then walks the rows by reference.
/// Measured on the Iris step's shapes ((150, 3) with (3,) or (150, 1)) on a 2-core AMD EPYC while the machine was
/// shared: see the figures in <c>Bench/README.md</c> (<c>iris_step_us</c>).
/// </summary>
internal static class ShortRows
{
    /// <summary>Rows shorter than this take these loops (a vector of floats is 16 wide at most).</summary>
    public const int Length = 16;

    /// <summary>y = f(a, b) for a plan with one outer axis: each operand starts a row at row times its row stride and steps by 0 or 1 along it.</summary>
    public static void Binary<T, TKernel>(ReadOnlySpan<T> sa, ReadOnlySpan<T> sb, Span<T> sy, BroadcastPlan plan) where TKernel : IBinaryKernel<T>
    {
        int rows = plan.Rows, n = plan.RowLength;
        int rowA = plan.RowStride(0), rowB = plan.RowStride(1), stepA = plan.InnerStride[0], stepB = plan.InnerStride[1];
        RequireInside(sa.Length, rows, rowA, n, stepA);
        RequireInside(sb.Length, rows, rowB, n, stepB);
        RequireInside(sy.Length, rows, n, n, 1);
        ref T a0 = ref MemoryMarshal.GetReference(sa);
        ref T b0 = ref MemoryMarshal.GetReference(sb);
        ref T y0 = ref MemoryMarshal.GetReference(sy);
        for (int row = 0; row < rows; row++)
        {
            ref T a = ref Unsafe.Add(ref a0, row * rowA);
            ref T b = ref Unsafe.Add(ref b0, row * rowB);
            ref T y = ref Unsafe.Add(ref y0, row * n);
            // The two shapes of a bias and of a per-row scale, (N, C) with (C,) and with (N, 1), get loops of their own.
            if (stepA == 1 && stepB == 0)
            {
                T bRow = b;
                for (int k = 0; k < n; k++) Unsafe.Add(ref y, k) = TKernel.Apply(Unsafe.Add(ref a, k), bRow);
            }
            else if (stepA == 1 && stepB == 1)
                for (int k = 0; k < n; k++) Unsafe.Add(ref y, k) = TKernel.Apply(Unsafe.Add(ref a, k), Unsafe.Add(ref b, k));
            else
                for (int k = 0; k < n; k++) Unsafe.Add(ref y, k) = TKernel.Apply(Unsafe.Add(ref a, k * stepA), Unsafe.Add(ref b, k * stepB));
        }
    }

    /// <summary>y = x broadcast, where <paramref name="plan"/> (one outer axis) walks y's rows and says where each reads x.</summary>
    public static void BroadcastTo<T>(ReadOnlySpan<T> sx, Span<T> sy, BroadcastPlan plan)
    {
        int rows = plan.Rows, n = plan.RowLength, rowX = plan.RowStride(0), stepX = plan.InnerStride[0];
        RequireInside(sx.Length, rows, rowX, n, stepX);
        RequireInside(sy.Length, rows, n, n, 1);
        ref T x0 = ref MemoryMarshal.GetReference(sx);
        ref T y0 = ref MemoryMarshal.GetReference(sy);
        for (int row = 0; row < rows; row++)
        {
            ref T x = ref Unsafe.Add(ref x0, row * rowX);
            ref T y = ref Unsafe.Add(ref y0, row * n);
            for (int k = 0; k < n; k++) Unsafe.Add(ref y, k) = Unsafe.Add(ref x, k * stepX);
        }
    }

    /// <summary>
    /// y += the rows of x folded onto y, where <paramref name="plan"/> (one outer axis) walks x's rows and says where each
    /// lands in y: a broadcast undone. Column sums, (N, C) onto (C,), add whole blocks of rows with vector adds first.
    /// </summary>
    public static void SumTo<T>(ReadOnlySpan<T> sx, Span<T> sy, BroadcastPlan plan) where T : unmanaged, INumber<T>
    {
        int rows = plan.Rows, n = plan.RowLength, rowY = plan.RowStride(0), stepY = plan.InnerStride[0];
        RequireInside(sy.Length, rows, rowY, n, stepY);
        RequireInside(sx.Length, rows, n, n, 1);
        if (rowY == 0 && stepY == 1 && rows * n >= 2 * ColumnBlock)
        {
            ColumnSums(sx[..(rows * n)], sy[..n]);
            return;
        }
        ref T x0 = ref MemoryMarshal.GetReference(sx);
        ref T y0 = ref MemoryMarshal.GetReference(sy);
        for (int row = 0; row < rows; row++)
        {
            ref T x = ref Unsafe.Add(ref x0, row * n);
            ref T y = ref Unsafe.Add(ref y0, row * rowY);
            for (int k = 0; k < n; k++) Unsafe.Add(ref y, k * stepY) += Unsafe.Add(ref x, k);
        }
    }

    /// <summary>Elements per block of <see cref="ColumnSums"/>: as many whole rows as fit in 64 elements.</summary>
    private const int ColumnBlock = 64;

    /// <summary>
    /// y[k] += the sum of column k of x, read as rows of y.Length. Whole blocks of rows are added into one accumulator
    /// block with vector adds, which then folds onto y: one pass of vector work instead of a dependent add per element.
    /// </summary>
    private static void ColumnSums<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>
    {
        int n = y.Length, block = n * (ColumnBlock / n);
        Span<T> accumulator = stackalloc T[ColumnBlock];
        accumulator = accumulator[..block];
        accumulator.Clear();
        int whole = x.Length / block * block;
        for (int start = 0; start < whole; start += block) TensorPrimitives.Add(accumulator, x.Slice(start, block), accumulator);
        // The rest is less than a block and starts on a row boundary (a block holds whole rows), so element j lies in column j mod n.
        for (int j = 0; j < x.Length - whole; j++) accumulator[j] += x[whole + j];
        for (int j = 0; j < block; j++) y[j % n] += accumulator[j];
    }

    /// <summary>y[o] = the reduction of row o of x, rows of <paramref name="length"/> elements (the last axis reduced). Mean leaves the sum, which the caller divides.</summary>
    public static void ReduceRows<T>(ReduceFn fn, ReadOnlySpan<T> sx, int rows, int length, Span<T> sy) where T : INumber<T>
    {
        RequireInside(sx.Length, rows, length, length, 1);
        RequireInside(sy.Length, rows, 1, 1, 1);
        ref T x0 = ref MemoryMarshal.GetReference(sx);
        ref T y0 = ref MemoryMarshal.GetReference(sy);
        switch (fn)
        {
            case ReduceFn.Max or ReduceFn.Any:
                for (int row = 0; row < rows; row++)
                {
                    ref T x = ref Unsafe.Add(ref x0, row * length);
                    T best = x;
                    for (int k = 1; k < length; k++) best = T.Max(best, Unsafe.Add(ref x, k));
                    Unsafe.Add(ref y0, row) = best;
                }
                break;
            case ReduceFn.Min or ReduceFn.All:
                for (int row = 0; row < rows; row++)
                {
                    ref T x = ref Unsafe.Add(ref x0, row * length);
                    T best = x;
                    for (int k = 1; k < length; k++) best = T.Min(best, Unsafe.Add(ref x, k));
                    Unsafe.Add(ref y0, row) = best;
                }
                break;
            case ReduceFn.Prod:
                for (int row = 0; row < rows; row++)
                {
                    ref T x = ref Unsafe.Add(ref x0, row * length);
                    T product = x;
                    for (int k = 1; k < length; k++) product *= Unsafe.Add(ref x, k);
                    Unsafe.Add(ref y0, row) = product;
                }
                break;
            default:
                for (int row = 0; row < rows; row++)
                {
                    ref T x = ref Unsafe.Add(ref x0, row * length);
                    T sum = x;
                    for (int k = 1; k < length; k++) sum += Unsafe.Add(ref x, k);
                    Unsafe.Add(ref y0, row) = sum;
                }
                break;
        }
    }

    /// <summary>y = x less the maximum of its row, for rows of <paramref name="length"/>: the shift before a softmax's exponentials.</summary>
    public static void SubtractRowMax<T>(ReadOnlySpan<T> sx, Span<T> sy, int length) where T : INumber<T>
    {
        int rows = sx.Length / length;
        RequireInside(sy.Length, rows, length, length, 1);
        ref T x0 = ref MemoryMarshal.GetReference(sx);
        ref T y0 = ref MemoryMarshal.GetReference(sy);
        for (int row = 0; row < rows; row++)
        {
            ref T x = ref Unsafe.Add(ref x0, row * length);
            ref T y = ref Unsafe.Add(ref y0, row * length);
            T max = x;
            for (int k = 1; k < length; k++) max = T.Max(max, Unsafe.Add(ref x, k));
            for (int k = 0; k < length; k++) Unsafe.Add(ref y, k) = Unsafe.Add(ref x, k) - max;
        }
    }

    /// <summary>
    /// Fails unless the last element that rows of <paramref name="length"/> elements read, starting <paramref name="rowStride"/> apart
    /// and stepping by <paramref name="step"/>, lies inside a span of <paramref name="spanLength"/>: the one check the loops above make.
    /// </summary>
    private static void RequireInside(int spanLength, int rows, int rowStride, int length, int step)
    {
        if (rows == 0 || length == 0) return;
        long last = (long)(rows - 1) * rowStride + (long)(length - 1) * step;
        if (rowStride < 0 || step < 0 || last >= spanLength) throw OutsideOperand(rows, length, last, spanLength);
    }

    // Kept out of RequireInside, so that the loops' one check inlines without the message's formatting.
    private static InvalidOperationException OutsideOperand(int rows, int length, long last, int spanLength) =>
        new($"A short-row loop over {rows} rows of {length} would read element {last} of an operand of {spanLength}.");
}
