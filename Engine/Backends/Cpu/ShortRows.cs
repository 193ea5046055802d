using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// The loops for tensors whose rows are shorter than a vector: a softmax over three classes, its bias, and the
/// gradients that undo their broadcasts. A call into TensorPrimitives per row of three costs more than the
/// arithmetic, and an element-by-element walk that checks every index costs about as much again, so each loop
/// here checks once that its last row lies inside every operand and then walks the rows by reference. Where the
/// work is more than a few dozen elements, the rows go a block at a time: what is broadcast along them is written
/// out as whole rows (<see cref="StageRows"/>), and the kernel runs vectorised over the block.
/// Measured on the Iris step's shapes ((150, 3) with (3,) or (150, 1)) on a 2-core AMD EPYC while the machine was
/// shared: see the figures in <c>Bench/README.md</c> (<c>iris_step_us</c>).
/// </summary>
internal static class ShortRows
{
    /// <summary>Rows shorter than this take these loops (a vector of floats is 16 wide at most).</summary>
    public const int Length = 16;

    /// <summary>
    /// Elements per block of whole rows that the loops below stage and hand to one vectorised call. A block of
    /// 256 floats stays in L1 and makes a call's dispatch small against its work; a (150, 3) operand is two blocks.
    /// </summary>
    public const int BlockLength = 256;

    /// <summary>
    /// y = f(a, b) for a plan with one outer axis: each operand starts a row at row times its row stride and steps by 0 or 1
    /// along it. The rows go in blocks: an operand that is not already contiguous rows is written out as such into a block
    /// of scratch (once, when every row reads the same values), and the kernel runs vectorised over the whole block.
    /// Element by element, (150, 3) + (3,) took 0.33 us; a vectorised call per row costs more again.
    /// </summary>
    [SkipLocalsInit]   // the scratch is written before it is read
    public static void Binary<T, TKernel>(ReadOnlySpan<T> sa, ReadOnlySpan<T> sb, Span<T> sy, BroadcastPlan plan)
        where T : unmanaged where TKernel : IBinaryKernel<T>
    {
        int rows = plan.Rows, n = plan.RowLength;
        int rowA = plan.RowStride(0), rowB = plan.RowStride(1), stepA = plan.InnerStride[0], stepB = plan.InnerStride[1];
        RequireInside(sa.Length, rows, rowA, n, stepA);
        RequireInside(sb.Length, rows, rowB, n, stepB);
        RequireInside(sy.Length, rows, n, n, 1);
        if (rows == 0 || n == 0) return;
        if (rows * n <= ElementByElementUpTo)
        {
            ElementByElement<T, TKernel>(sa, sb, sy, rows, n, rowA, rowB, stepA, stepB);
            return;
        }
        int rowsPerBlock = BlockLength / n;
        Span<T> scratchA = stackalloc T[StagingLength], scratchB = stackalloc T[StagingLength];
        var a = new StagedOperand<T>(sa, rowA, stepA, n, Math.Min(rowsPerBlock, rows), scratchA);
        var b = new StagedOperand<T>(sb, rowB, stepB, n, Math.Min(rowsPerBlock, rows), scratchB);
        for (int first = 0; first < rows; first += rowsPerBlock)
        {
            int count = Math.Min(rowsPerBlock, rows - first);
            TKernel.Apply(a.Rows(first, count), b.Rows(first, count), sy.Slice(first * n, count * n));
        }
    }

    /// <summary>Rows of <paramref name="length"/> per block of <see cref="BlockLength"/> elements.</summary>
    public static int RowsPerBlock(int length) => BlockLength / length;

    /// <summary>
    /// Outputs up to this many elements go element by element: a scalar times a vector of eight (the linear fit's W * x)
    /// took 0.83 us a step that way and 1.0 us through the staged blocks, whose set-up costs more than eight elements.
    /// </summary>
    private const int ElementByElementUpTo = 32;

    private static void ElementByElement<T, TKernel>(ReadOnlySpan<T> sa, ReadOnlySpan<T> sb, Span<T> sy, int rows, int n,
        int rowA, int rowB, int stepA, int stepB) where TKernel : IBinaryKernel<T>
    {
        ref T a0 = ref MemoryMarshal.GetReference(sa);
        ref T b0 = ref MemoryMarshal.GetReference(sb);
        ref T y0 = ref MemoryMarshal.GetReference(sy);
        for (int row = 0; row < rows; row++)
        {
            ref T a = ref Unsafe.Add(ref a0, row * rowA);
            ref T b = ref Unsafe.Add(ref b0, row * rowB);
            ref T y = ref Unsafe.Add(ref y0, row * n);
            for (int k = 0; k < n; k++) Unsafe.Add(ref y, k) = TKernel.Apply(Unsafe.Add(ref a, k * stepA), Unsafe.Add(ref b, k * stepB));
        }
    }

    /// <summary>Scratch for one block of staged rows, with a vector of floats to spare for <see cref="StageRows"/>'s whole-vector stores.</summary>
    public const int StagingLength = BlockLength + 16;

    /// <summary>
    /// An operand of a short-row loop, read a block of rows at a time as contiguous rows: a slice of the operand itself when it
    /// is contiguous, the scratch staged once when every row is the same, else the scratch staged anew for each block.
    /// </summary>
    private readonly ref struct StagedOperand<T> where T : unmanaged
    {
        private readonly ReadOnlySpan<T> _values;
        private readonly Span<T> _scratch;
        private readonly int _rowStride, _step, _length;

        public StagedOperand(ReadOnlySpan<T> values, int rowStride, int step, int length, int rowsPerBlock, Span<T> scratch)
        {
            _values = values;
            _scratch = scratch;
            (_rowStride, _step, _length) = (rowStride, step, length);
            if (rowStride == 0)
            {
                StageRows(values, 0, 1, length, rowStride, step, scratch);
                RepeatFirstRow(scratch[..(rowsPerBlock * length)], length);
            }
        }

        public ReadOnlySpan<T> Rows(int first, int count)
        {
            if (_step == 1 && _rowStride == _length) return _values.Slice(first * _length, count * _length);
            if (_rowStride == 0) return _scratch[..(count * _length)];
            StageRows(_values, first, count, _length, _rowStride, _step, _scratch);
            return _scratch[..(count * _length)];
        }
    }

    /// <summary>
    /// Writes rows [first, first + count) of an operand (rows <paramref name="rowStride"/> apart, stepping by
    /// <paramref name="step"/>) into <paramref name="destination"/> as contiguous rows of <paramref name="length"/>. A row of
    /// one repeated value (a per-row scale) is a whole vector of it stored at the row's start, whose overhang the next row
    /// overwrites, while a vector still fits in the destination.
    /// </summary>
    public static void StageRows<T>(ReadOnlySpan<T> source, int first, int count, int length, int rowStride, int step, Span<T> destination)
    {
        RequireInside(source.Length, first + count, rowStride, length, step);
        RequireInside(destination.Length, count, length, length, 1);
        ref T s0 = ref MemoryMarshal.GetReference(source);
        ref T d0 = ref MemoryMarshal.GetReference(destination);
        if (step == 0 && Vector<T>.IsSupported)
        {
            int width = Vector<T>.Count, stores = (length + width - 1) / width;
            int room = destination.Length - stores * width;
            int vectorRows = room < 0 ? 0 : Math.Min(room / length + 1, count);
            for (int j = 0; j < vectorRows; j++) StoreAlongRow(ref d0, j, length, Unsafe.Add(ref s0, (first + j) * rowStride));
            for (int j = vectorRows; j < count; j++)
                destination.Slice(j * length, length).Fill(Unsafe.Add(ref s0, (first + j) * rowStride));
            return;
        }
        for (int j = 0; j < count; j++)
        {
            ref T row = ref Unsafe.Add(ref s0, (first + j) * rowStride);
            ref T d = ref Unsafe.Add(ref d0, j * length);
            for (int k = 0; k < length; k++) Unsafe.Add(ref d, k) = Unsafe.Add(ref row, k * step);
        }
    }

    /// <summary>
    /// y = x broadcast, where <paramref name="plan"/> (one outer axis) walks y's rows and says where each reads x. When every
    /// row is the same, the first is written and then copied onto the rows after it in doubling stretches.
    /// </summary>
    public static void BroadcastTo<T>(ReadOnlySpan<T> sx, Span<T> sy, BroadcastPlan plan)
    {
        int rows = plan.Rows, n = plan.RowLength, rowX = plan.RowStride(0), stepX = plan.InnerStride[0];
        RequireInside(sx.Length, rows, rowX, n, stepX);
        RequireInside(sy.Length, rows, n, n, 1);
        if (rows == 0 || n == 0) return;
        if (rowX != 0)
        {
            StageRows(sx, 0, rows, n, rowX, stepX, sy);
            return;
        }
        StageRows(sx, 0, 1, n, rowX, stepX, sy);
        RepeatFirstRow(sy[..(rows * n)], n);
    }

    /// <summary>Copies the first row of <paramref name="rows"/> over all the others, in stretches that double: a few calls, not one per row.</summary>
    private static void RepeatFirstRow<T>(Span<T> rows, int length)
    {
        for (int done = length; done < rows.Length; done *= 2) rows[..Math.Min(done, rows.Length - done)].CopyTo(rows[done..]);
    }

    /// <summary>
    /// The sum of each row of x written out along the row in <paramref name="destination"/> (as <see cref="StageRows"/>
    /// writes a per-row value), ready for a vectorised division by it. The sums add a row's elements in order.
    /// </summary>
    public static void RowSumsAlongRows<T>(ReadOnlySpan<T> sx, int length, Span<T> destination) where T : INumber<T>
    {
        int rows = sx.Length / length, width = Vector<T>.Count, stores = (length + width - 1) / width;
        RequireInside(destination.Length, rows, length, stores * width, 1);
        ref T x0 = ref MemoryMarshal.GetReference(sx);
        ref T d0 = ref MemoryMarshal.GetReference(destination);
        for (int row = 0; row < rows; row++)
        {
            ref T x = ref Unsafe.Add(ref x0, row * length);
            T sum = x;
            for (int k = 1; k < length; k++) sum += Unsafe.Add(ref x, k);
            StoreAlongRow(ref d0, row, length, sum);
        }
    }

    /// <summary>
    /// Writes <paramref name="value"/> over row <paramref name="row"/> of rows of <paramref name="length"/> as whole vectors,
    /// which run past the row's end by up to a vector less one element: the caller leaves that room.
    /// </summary>
    private static void StoreAlongRow<T>(ref T rows, int row, int length, T value)
    {
        var along = new Vector<T>(value);
        for (int k = 0; k < length; k += Vector<T>.Count) along.StoreUnsafe(ref rows, (nuint)(row * length + k));
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
        for (int row = 0; row < block; row += n)
            for (int k = 0; k < n; k++) y[k] += accumulator[row + k];
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
