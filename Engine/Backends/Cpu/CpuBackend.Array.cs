using System.Numerics;
using System.Numerics.Tensors;

namespace GraphDL.Backends.Cpu;

/// <summary>Ops that move elements without arithmetic, and the sums their gradients need.</summary>
public sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public void Transpose(Tensor x, int[] perm, Tensor y)
    {
        switch (x.DType)
        {
            case DType.Float32: Transpose<float>(x, perm, y); break;
            case DType.Float64: Transpose<double>(x, perm, y); break;
            case DType.Int32: Transpose<int>(x, perm, y); break;
            case DType.Bool: Transpose<bool>(x, perm, y); break;
            default: throw Unsupported(nameof(Transpose), x.DType);
        }
    }

    private static void Transpose<T>(Tensor x, int[] perm, Tensor y)
    {
        var src = x.ReadOnlySpan<T>();
        var dst = y.Span<T>();
        int rank = perm.Length;
        if (rank == 0 || dst.Length == 0) { src.CopyTo(dst); return; }
        // strides[i]: how far the source moves when output axis i steps by one.
        Span<int> strides = stackalloc int[rank];
        for (int i = 0; i < rank; i++) strides[i] = x.Shape.SizeOf(perm[i] + 1, rank);
        var dims = y.Shape.Dims;
        Span<int> index = stackalloc int[rank];
        int offset = 0, innerStride = strides[rank - 1], innerLength = dims[rank - 1];
        for (int start = 0; start < dst.Length; start += innerLength)
        {
            for (int k = 0, o = offset; k < innerLength; k++, o += innerStride) dst[start + k] = src[o];
            for (int axis = rank - 2; axis >= 0; axis--)
            {
                offset += strides[axis];
                if (++index[axis] < dims[axis]) break;
                offset -= strides[axis] * dims[axis];
                index[axis] = 0;
            }
        }
    }

    /// <summary>Every input contributes one contiguous block per index of the axes before <paramref name="axis"/>.</summary>
    public void Concat(IReadOnlyList<Tensor> x, int axis, Tensor y)
    {
        int outer = y.Shape.SizeOf(0, axis), rowLength = y.Shape.SizeOf(axis, y.Rank), column = 0;
        foreach (var part in x)
        {
            int partRow = part.Shape.SizeOf(axis, part.Rank);
            for (int o = 0; o < outer; o++)
                Array.Copy(part.Data, o * partRow, y.Data, o * rowLength + column, partRow);
            column += partRow;
        }
    }

    /// <inheritdoc/>
    public void Slice(Tensor x, int[] begin, Tensor y) => CopyBlock(large: x, small: y, begin, intoLarge: false);

    /// <inheritdoc/>
    public void SliceGrad(Tensor dout, int[] begin, Tensor dx)
    {
        Fill(dx, 0);
        CopyBlock(large: dx, small: dout, begin, intoLarge: true);
    }

    /// <summary>
    /// Copies between a small tensor and the block of a larger one that starts at <paramref name="begin"/>:
    /// out of the large one for Slice, into it for Slice's gradient. Rows of the last axis are contiguous in both.
    /// </summary>
    private static void CopyBlock(Tensor large, Tensor small, int[] begin, bool intoLarge)
    {
        int rank = small.Rank;
        if (small.Size == 0) return;
        if (rank == 0) { Array.Copy(intoLarge ? small.Data : large.Data, intoLarge ? large.Data : small.Data, 1); return; }
        int rowLength = small.Shape[rank - 1], rows = small.Size / rowLength;
        for (int row = 0; row < rows; row++)
        {
            int rest = row, offset = begin[rank - 1];
            for (int axis = rank - 2; axis >= 0; axis--)
            {
                offset += (begin[axis] + rest % small.Shape[axis]) * large.Shape.SizeOf(axis + 1, rank);
                rest /= small.Shape[axis];
            }
            if (intoLarge) Array.Copy(small.Data, row * rowLength, large.Data, offset, rowLength);
            else Array.Copy(large.Data, offset, small.Data, row * rowLength, rowLength);
        }
    }

    /// <summary>Views x as (outer, n, inner) and y as (outer, k, inner), k = number of indices: row j of y is row indices[j] of x.</summary>
    public void Gather(Tensor x, Tensor indices, int axis, Tensor y)
    {
        var idx = indices.ReadOnlySpan<int>();
        int outer = x.Shape.SizeOf(0, axis), n = x.Shape[axis], inner = x.Shape.SizeOf(axis + 1, x.Rank), k = idx.Length;
        CheckIndices(idx, n, x.Shape, axis);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                Array.Copy(x.Data, (o * n + idx[j]) * inner, y.Data, (o * k + j) * inner, inner);
    }

    /// <summary>Gather's gradient scatters rows back; repeated indices add up.</summary>
    public void GatherGrad(Tensor dout, Tensor indices, int axis, Tensor dx)
    {
        switch (dx.DType)
        {
            case DType.Float32: GatherGrad<float>(dout, indices, axis, dx); break;
            case DType.Float64: GatherGrad<double>(dout, indices, axis, dx); break;
            default: throw Unsupported("GatherGrad", dx.DType);
        }
    }

    private static void GatherGrad<T>(Tensor dout, Tensor indices, int axis, Tensor dx) where T : INumber<T>
    {
        var idx = indices.ReadOnlySpan<int>();
        var table = dx.Span<T>();
        var rows = dout.ReadOnlySpan<T>();
        int outer = dx.Shape.SizeOf(0, axis), n = dx.Shape[axis], inner = dx.Shape.SizeOf(axis + 1, dx.Rank), k = idx.Length;
        CheckIndices(idx, n, dx.Shape, axis);
        table.Clear();
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
            {
                var target = table.Slice((o * n + idx[j]) * inner, inner);
                TensorPrimitives.Add(target, rows.Slice((o * k + j) * inner, inner), target);
            }
    }

    private static void CheckIndices(ReadOnlySpan<int> idx, int n, Shape shape, int axis)
    {
        for (int j = 0; j < idx.Length; j++)
            if ((uint)idx[j] >= (uint)n)
                throw new ArgumentOutOfRangeException("indices", $"Index {idx[j]} at position {j} is out of range [0, {n}) for axis {axis} of shape {shape}.");
    }

    /// <summary>Indices outside [0, depth) give a row of <paramref name="off"/>, as in TF.</summary>
    public void OneHot(Tensor indices, double on, double off, Tensor y)
    {
        Fill(y, off);
        var idx = indices.ReadOnlySpan<int>();
        int depth = y.Shape[-1];
        for (int i = 0; i < idx.Length; i++)
            if ((uint)idx[i] < (uint)depth) y.SetDouble(i * depth + idx[i], on);
    }

    /// <summary>Each output row (last axis) is the matching source row repeated multiples[-1] times.</summary>
    public void Tile(Tensor x, Tensor y) => ForEachTile(x.Shape, y.Shape, (src, dst, length) => Array.Copy(x.Data, src, y.Data, dst, length));

    /// <inheritdoc/>
    public void TileGrad(Tensor dout, Tensor dx)
    {
        Fill(dx, 0);
        switch (dx.DType)
        {
            case DType.Float32:
                ForEachTile(dx.Shape, dout.Shape, (src, dst, n) =>
                    TensorPrimitives.Add(dx.Span<float>().Slice(src, n), dout.ReadOnlySpan<float>().Slice(dst, n), dx.Span<float>().Slice(src, n)));
                break;
            case DType.Float64:
                ForEachTile(dx.Shape, dout.Shape, (src, dst, n) =>
                    TensorPrimitives.Add(dx.Span<double>().Slice(src, n), dout.ReadOnlySpan<double>().Slice(dst, n), dx.Span<double>().Slice(src, n)));
                break;
            default: throw Unsupported("TileGrad", dx.DType);
        }
    }

    /// <summary>Calls <paramref name="visit"/>(source offset, tiled offset, length) for every copy of every source row.</summary>
    private static void ForEachTile(Shape source, Shape tiled, Action<int, int, int> visit)
    {
        int rank = source.Rank;
        if (tiled.IsFullyDefined && tiled.Size == 0) return;
        if (rank == 0) { visit(0, 0, 1); return; }
        int rowLength = source[rank - 1], copies = tiled[rank - 1] / Math.Max(rowLength, 1);
        int tiledRows = tiled.Size / Math.Max(tiled[rank - 1], 1);
        for (int row = 0; row < tiledRows; row++)
        {
            int rest = row, offset = 0;
            for (int axis = rank - 2; axis >= 0; axis--)
            {
                offset += rest % tiled[axis] % source[axis] * source.SizeOf(axis + 1, rank);
                rest /= tiled[axis];
            }
            for (int c = 0; c < copies; c++) visit(offset, row * tiled[rank - 1] + c * rowLength, rowLength);
        }
    }
}
