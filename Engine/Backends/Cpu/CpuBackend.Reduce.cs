using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void Reduce(ReduceFn fn, Tensor x, int[] axes, Tensor y)
    {
        // Any and All are the reductions of Bools, and the only ones.
        bool logical = fn is ReduceFn.Any or ReduceFn.All;
        if (logical != (x.DType == DType.Bool)) throw Unsupported("Reduce" + fn, x.DType);
        switch (x.DType)
        {
            // Bools are the bytes 0 and 1, so or is their maximum and and their minimum.
            case DType.Bool:
                Reduce<byte>(fn, MemoryMarshal.AsBytes(x.ReadOnlySpan<bool>()), x.Shape.Dims, axes, MemoryMarshal.AsBytes(y.Span<bool>()));
                break;
            case DType.Float32: Reduce<float>(fn, x.ReadOnlySpan<float>(), x.Shape.Dims, axes, y.Span<float>()); break;
            case DType.Float64: Reduce<double>(fn, x.ReadOnlySpan<double>(), x.Shape.Dims, axes, y.Span<double>()); break;
            case DType.Int32: Reduce<int>(fn, x.ReadOnlySpan<int>(), x.Shape.Dims, axes, y.Span<int>()); break;
            default: throw Unsupported("Reduce" + fn, x.DType);
        }
    }

    /// <summary>
    /// Reduces the last contiguous run of <paramref name="axes"/>, viewing x as (outer, reduced, inner); any
    /// earlier runs are reduced afterwards from the smaller intermediate result.
    /// </summary>
    private static void Reduce<T>(ReduceFn fn, ReadOnlySpan<T> x, ReadOnlySpan<int> dims, ReadOnlySpan<int> axes, Span<T> y) where T : INumber<T>
    {
        if (axes.Length == 0) { x.CopyTo(y); return; }
        int last = axes[^1], first = last;
        int runStart = axes.Length - 1;
        while (runStart > 0 && axes[runStart - 1] == first - 1) { first--; runStart--; }

        int outer = 1, reduced = 1, inner = 1;
        for (int i = 0; i < first; i++) outer *= dims[i];
        for (int i = first; i <= last; i++) reduced *= dims[i];
        for (int i = last + 1; i < dims.Length; i++) inner *= dims[i];

        bool moreRuns = runStart > 0;
        Span<T> target = moreRuns ? new T[outer * inner] : y;
        ReduceRun(fn, x, outer, reduced, inner, target);
        if (!moreRuns) return;

        Span<int> remainingDims = stackalloc int[first + 1];
        dims[..first].CopyTo(remainingDims);
        remainingDims[first] = inner;
        // The merged trailing axis (inner) is never reduced, so the earlier axes keep their numbers.
        Reduce(fn, target, remainingDims, axes[..runStart], y);
    }

    private static void ReduceRun<T>(ReduceFn fn, ReadOnlySpan<T> x, int outer, int reduced, int inner, Span<T> y) where T : INumber<T>
    {
        if (reduced == 0)
        {
            if (fn is ReduceFn.Max or ReduceFn.Min) throw new InvalidOperationException("Cannot take the maximum or minimum over an empty axis.");
            y.Fill(fn switch
            {
                ReduceFn.Sum or ReduceFn.Any => T.Zero,
                ReduceFn.Prod or ReduceFn.All => T.One,
                _ => T.CreateChecked(double.NaN),
            });
            return;
        }
        if (inner == 1 && reduced < ShortRow)
            ShortRows.ReduceRows(fn, x, outer, reduced, y);
        else
            ReduceBlocks(fn, x, outer, reduced, inner, y);
        if (fn == ReduceFn.Mean)
            TensorPrimitives.Divide(y[..(outer * inner)], T.CreateChecked(reduced), y[..(outer * inner)]);
    }

    private static void ReduceBlocks<T>(ReduceFn fn, ReadOnlySpan<T> x, int outer, int reduced, int inner, Span<T> y) where T : INumber<T>
    {
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * reduced * inner, reduced * inner);
            if (inner == 1)
            {
                y[o] = fn switch
                {
                    ReduceFn.Max or ReduceFn.Any => TensorPrimitives.Max(block),
                    ReduceFn.Min or ReduceFn.All => TensorPrimitives.Min(block),
                    ReduceFn.Prod => TensorPrimitives.Product(block),
                    _ => TensorPrimitives.Sum(block),
                };
                continue;
            }
            var yRow = y.Slice(o * inner, inner);
            block[..inner].CopyTo(yRow);
            for (int r = 1; r < reduced; r++)
            {
                var xRow = block.Slice(r * inner, inner);
                switch (fn)
                {
                    case ReduceFn.Max or ReduceFn.Any: TensorPrimitives.Max(yRow, xRow, yRow); break;
                    case ReduceFn.Min or ReduceFn.All: TensorPrimitives.Min(yRow, xRow, yRow); break;
                    case ReduceFn.Prod: TensorPrimitives.Multiply(yRow, xRow, yRow); break;
                    default: TensorPrimitives.Add(yRow, xRow, yRow); break;
                }
            }
        }
    }

    /// <inheritdoc/>
    public void ArgReduce(bool max, Tensor x, int axis, Tensor y)
    {
        switch (x.DType)
        {
            case DType.Float32: ArgReduce<float>(max, x, axis, y); break;
            case DType.Float64: ArgReduce<double>(max, x, axis, y); break;
            case DType.Int32: ArgReduce<int>(max, x, axis, y); break;
            default: throw Unsupported(max ? "ArgMax" : "ArgMin", x.DType);
        }
    }

    /// <summary>Ties go to the first index, as in NumPy and TF.</summary>
    private static void ArgReduce<T>(bool max, Tensor x, int axis, Tensor y) where T : INumber<T>
    {
        var s = x.ReadOnlySpan<T>();
        var result = y.Span<int>();
        int outer = x.Shape.SizeOf(0, axis), n = x.Shape[axis], inner = x.Shape.SizeOf(axis + 1, x.Rank);
        if (n == 0) throw new InvalidOperationException($"{(max ? "ArgMax" : "ArgMin")} over an empty axis of shape {x.Shape}.");
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int baseIndex = o * n * inner + i, best = 0;
                T bestValue = s[baseIndex];
                for (int k = 1; k < n; k++)
                {
                    T v = s[baseIndex + k * inner];
                    if (max ? v > bestValue : v < bestValue) { bestValue = v; best = k; }
                }
                result[o * inner + i] = best;
            }
    }

    /// <inheritdoc/>
    public void SumTo(Tensor x, Tensor y)
    {
        switch (x.DType)
        {
            case DType.Float32: SumTo<float>(x, y); break;
            case DType.Float64: SumTo<double>(x, y); break;
            case DType.Int32: SumTo<int>(x, y); break;
            default: throw Unsupported("SumTo", x.DType);
        }
    }

    private static void SumTo<T>(Tensor x, Tensor y) where T : unmanaged, INumber<T>
    {
        var sx = x.ReadOnlySpan<T>();
        var sy = y.Span<T>();
        if (sx.Length == sy.Length) { sx.CopyTo(sy); return; }
        sy.Clear();
        var plan = BroadcastPlan.Of(x.Shape, y.Shape);
        int n = plan.RowLength;
        if (n < ShortRow && plan.HasOneOuterAxis)
        {
            ShortRows.SumTo(sx, sy, plan);
            return;
        }
        if (plan.HasOneOuterAxis && plan.RowStride(0) == 0 && plan.InnerStride[0] == 1 && n <= RepeatedRowMaxLength)
        {
            AddRowsInto(sx[..(plan.Rows * n)], sy[..n]);
            return;
        }
        for (int row = 0; row < plan.Rows; row++)
        {
            var xRow = sx.Slice(row * n, n);
            int oy = plan.Offset(0, row);
            if (plan.InnerStride[0] == 0)
                sy[oy] += TensorPrimitives.Sum(xRow);
            else if (n < ShortRow)   // element by element, as in the short-row broadcast
                for (int k = 0; k < n; k++) sy[oy + k] += xRow[k];
            else
                TensorPrimitives.Add(sy.Slice(oy, n), xRow, sy.Slice(oy, n));
        }
    }

    /// <summary>
    /// y[k] += column k of x, read as rows of y.Length, row after row: the gradient of a bias over a batch or over a
    /// convolution's pixels. A library call per row cost more in dispatch than a row of 16 or 32 (78,400 rows for the
    /// MnistCnn network's first bias); here a block of rows that fits in L1 is walked once per vector of columns, whose
    /// running sum stays in a register. Each element is still summed in row order, so the bits are those of the call per row.
    /// </summary>
    private static void AddRowsInto<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>
    {
        int n = y.Length, rows = x.Length / n, lanes = Vector<T>.Count;
        int vectorEnd = Vector.IsHardwareAccelerated ? n - n % lanes : 0;
        int rowsPerBlock = Math.Max(1, RowBlockElements / n);
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T y0 = ref MemoryMarshal.GetReference(y);
        for (int first = 0; first < rows; first += rowsPerBlock)
        {
            int last = Math.Min(rows, first + rowsPerBlock);
            int k = 0;
            for (; k < vectorEnd; k += lanes)
            {
                var sum = Vector.LoadUnsafe(ref y0, (nuint)k);
                for (int row = first; row < last; row++) sum += Vector.LoadUnsafe(ref x0, (nuint)(row * n + k));
                sum.StoreUnsafe(ref y0, (nuint)k);
            }
            for (; k < n; k++)
            {
                T sum = Unsafe.Add(ref y0, k);
                for (int row = first; row < last; row++) sum += Unsafe.Add(ref x0, row * n + k);
                Unsafe.Add(ref y0, k) = sum;
            }
        }
    }

    /// <summary>Elements of x that <see cref="AddRowsInto{T}"/> walks once per vector of columns: 16 KB of float32, within L1.</summary>
    private const int RowBlockElements = 4096;

    /// <inheritdoc/>
    public void BroadcastTo(Tensor x, Tensor y)
    {
        switch (x.DType)
        {
            case DType.Float32: BroadcastTo<float>(x, y); break;
            case DType.Float64: BroadcastTo<double>(x, y); break;
            case DType.Int32: BroadcastTo<int>(x, y); break;
            case DType.Bool: BroadcastTo<bool>(x, y); break;
            default: throw Unsupported(nameof(BroadcastTo), x.DType);
        }
    }

    private static void BroadcastTo<T>(Tensor x, Tensor y)
    {
        var sx = x.ReadOnlySpan<T>();
        var sy = y.Span<T>();
        if (sx.Length == sy.Length) { sx.CopyTo(sy); return; }
        var plan = BroadcastPlan.Of(y.Shape, x.Shape);
        int n = plan.RowLength;
        if (n < ShortRow && plan.HasOneOuterAxis)
        {
            ShortRows.BroadcastTo(sx, sy, plan);
            return;
        }
        for (int row = 0; row < plan.Rows; row++)
        {
            int ox = plan.Offset(0, row);
            var yRow = sy.Slice(row * n, n);
            if (plan.InnerStride[0] == 0) yRow.Fill(sx[ox]);
            else if (n < ShortRow) for (int k = 0; k < n; k++) yRow[k] = sx[ox + k];
            else sx.Slice(ox, n).CopyTo(yRow);
        }
    }
}
