using System.Numerics;

namespace GraphDL.Backends.Cpu;

/// <summary>Padding and its gradient, row by row along the last axis.</summary>
public sealed partial class CpuBackend
{
    /// <summary>Each row of y along its last axis reads one row of x, or is all constant when an outer axis is in constant padding.</summary>
    public void Pad(Tensor x, int[] before, PadMode mode, double constantValue, Tensor y)
    {
        switch (x.DType)
        {
            case DType.Float32: Pad<float>(x, before, mode, (float)constantValue, y); break;
            case DType.Float64: Pad<double>(x, before, mode, constantValue, y); break;
            case DType.Int32: Pad<int>(x, before, mode, (int)constantValue, y); break;
            case DType.Bool: Pad<bool>(x, before, mode, constantValue != 0, y); break;
            default: throw Unsupported(nameof(Pad), x.DType);
        }
    }

    private static void Pad<T>(Tensor x, int[] before, PadMode mode, T constant, Tensor y)
    {
        var src = x.ReadOnlySpan<T>();
        var dst = y.Span<T>();
        int rank = x.Rank;
        if (dst.Length == 0) return;
        if (rank == 0) { dst[0] = src[0]; return; }
        int rowLength = y.Shape[rank - 1], length = x.Shape[rank - 1], ahead = before[rank - 1];
        for (int row = 0, rows = dst.Length / rowLength; row < rows; row++)
        {
            var target = dst.Slice(row * rowLength, rowLength);
            int from = PaddedRowSource(x.Shape, y.Shape, before, mode, row);
            if (from < 0) { target.Fill(constant); continue; }
            for (int k = 0; k < rowLength; k++)
            {
                int i = PadSource(k - ahead, length, mode);
                target[k] = i < 0 ? constant : src[from + i];
            }
        }
    }

    /// <summary>
    /// Constant mode is Slice's block of dout. Mirror modes add each cell of dout onto the cell of x it read, in
    /// dout's row-major order, which is the order the CUDA kernel sums each cell's readers in.
    /// </summary>
    public void PadGrad(Tensor dout, int[] before, PadMode mode, Tensor dx)
    {
        if (mode == PadMode.Constant)
        {
            Slice(dout, before, dx);
            return;
        }
        switch (dx.DType)
        {
            case DType.Float32: PadGrad<float>(dout, before, mode, dx); break;
            case DType.Float64: PadGrad<double>(dout, before, mode, dx); break;
            default: throw Unsupported(nameof(PadGrad), dx.DType);
        }
    }

    private static void PadGrad<T>(Tensor dout, int[] before, PadMode mode, Tensor dx) where T : INumber<T>
    {
        var d = dout.ReadOnlySpan<T>();
        var target = dx.Span<T>();
        int rank = dx.Rank;
        target.Clear();
        if (d.Length == 0) return;
        if (rank == 0) { target[0] = d[0]; return; }
        int rowLength = dout.Shape[rank - 1], length = dx.Shape[rank - 1], ahead = before[rank - 1];
        for (int row = 0, rows = d.Length / rowLength; row < rows; row++)
        {
            int from = PaddedRowSource(dx.Shape, dout.Shape, before, mode, row);
            for (int k = 0; k < rowLength; k++)
                target[from + PadSource(k - ahead, length, mode)] += d[row * rowLength + k];
        }
    }

    /// <summary>The offset in x of the row that row <paramref name="row"/> of the padded tensor reads, or -1 when that row is constant padding.</summary>
    private static int PaddedRowSource(Shape source, Shape padded, int[] before, PadMode mode, int row)
    {
        int offset = 0, stride = source[source.Rank - 1];
        for (int axis = source.Rank - 2; axis >= 0; axis--)
        {
            int i = PadSource(row % padded[axis] - before[axis], source[axis], mode);
            if (i < 0) return -1;
            offset += i * stride;
            row /= padded[axis];
            stride *= source[axis];
        }
        return offset;
    }

    /// <summary>
    /// The cell of an axis of <paramref name="length"/> cells that position <paramref name="i"/> reads, counted
    /// from x's first cell (negative: in the padding before), or -1 for a constant cell. Reflect mirrors about the
    /// edge cell, Symmetric about the edge itself, so Symmetric's first padded cell repeats the edge.
    /// </summary>
    private static int PadSource(int i, int length, PadMode mode) =>
        (uint)i < (uint)length ? i : mode switch
        {
            PadMode.Reflect => i < 0 ? -i : 2 * (length - 1) - i,
            PadMode.Symmetric => i < 0 ? -i - 1 : 2 * length - 1 - i,
            _ => -1,
        };
}
