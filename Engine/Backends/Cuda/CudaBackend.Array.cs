using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cuda;

// Kernels/array.cu. The kernels that only move elements come by element size (_b32: Float32 and Int32, _b8: Bool),
// so they serve every dtype but Float64; the gradients that add are Float32.
public sealed partial class CudaBackend
{
    /// <summary>GRAPHDL_MAX_RANK in Kernels/common.cuh: the most axes the layout structs carry.</summary>
    private const int ArrayMaxRank = 6;

    /// <summary>GatherGrad adds each element's repeats itself (bit-exact, in the CPU's order) up to this many indices; beyond, it scatters with atomicAdd.</summary>
    private const int GatherGradOrderedMaxIndices = 256;

    /// <summary>array_strided: y[i] = x[Offset + Σ index_a(i) Strides[a]], index(i) the row-major index of i in Dims.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct ArrayStrided
    {
        public int Rank;
        public int Offset;
        public fixed int Dims[ArrayMaxRank];
        public fixed int Strides[ArrayMaxRank];
    }

    /// <summary>array_block: a block of shape Block starting at Begin inside a tensor of shape Dims.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct ArrayBlock
    {
        public int Rank;
        public fixed int Dims[ArrayMaxRank];
        public fixed int Begin[ArrayMaxRank];
        public fixed int Block[ArrayMaxRank];
    }

    /// <summary>array_tiling: a tensor of shape Source repeated into one of shape Tiled.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct ArrayTiling
    {
        public int Rank;
        public fixed int Source[ArrayMaxRank];
        public fixed int Tiled[ArrayMaxRank];
    }

    /// <summary>
    /// Axes of length 1 are dropped and axes that stay neighbours in the same order are merged first, so a
    /// batched matrix transpose in any disguise ((2, 0, 1) of (a, b, c) is (b·c, a) transposed) takes the tiled
    /// kernel, a permutation that moves nothing becomes a copy, and ranks above six often fit.
    /// </summary>
    public unsafe void Transpose(Tensor x, int[] perm, Tensor y)
    {
        const string primitive = "Transpose";
        bool wide = MovesWideElements(primitive, x, y);
        RequireSameSize(primitive, x, y);
        if (perm.Length != x.Rank) throw new ShapeException($"{primitive}: permutation of {perm.Length} axes for a tensor of shape {x.Shape}.");
        if (y.Size == 0) return;

        int rank = perm.Length;
        Span<int> dims = stackalloc int[Math.Max(rank, 1)];    // merged axes of x, in x's order
        Span<int> order = stackalloc int[Math.Max(rank, 1)];   // merged axes in y's order, as positions in dims
        int merged = MergeTransposeAxes(x.Shape, perm, dims, order);
        dims = dims[..merged];
        order = order[..merged];

        if (merged <= 1)
        {
            Device.CopyOnDevice(Ptr(y), Ptr(x), (long)x.Size * x.DType.ByteSize());
            return;
        }
        if (wide && (merged == 2 || (merged == 3 && order[0] == 0)) && order[merged - 1] == merged - 2)
        {
            int batches = merged == 3 ? dims[0] : 1, rows = dims[merged - 2], cols = dims[merged - 1];
            long tiles = (long)((cols + 31) / 32) * ((rows + 31) / 32) * batches;
            Launch("transpose_tiled_b32", new Dim3((uint)tiles), new Dim3(32, 8), Ptr(x), Ptr(y), rows, cols);
            return;
        }
        if (merged > ArrayMaxRank)
            throw new MissingKernelException(primitive, $"its kernel takes up to {ArrayMaxRank} axes, permutation [{string.Join(", ", perm)}] of shape {x.Shape} needs {merged}");

        var layout = new ArrayStrided { Rank = merged };
        for (int i = 0; i < merged; i++)
        {
            int stride = 1;
            for (int a = order[i] + 1; a < merged; a++) stride *= dims[a];
            layout.Dims[i] = dims[order[i]];
            layout.Strides[i] = stride;
        }
        Launch(wide ? "transpose_b32" : "transpose_b8", BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), y.Size, layout);
    }

    /// <summary>
    /// Rewrites the transpose of <paramref name="shape"/> by <paramref name="perm"/> as one with the fewest axes:
    /// <paramref name="dims"/> gets the merged axes' lengths in x's order, <paramref name="order"/> the merged
    /// permutation. Returns the number of merged axes.
    /// </summary>
    private static int MergeTransposeAxes(Shape shape, int[] perm, Span<int> dims, Span<int> order)
    {
        int rank = perm.Length;
        Span<int> kept = stackalloc int[Math.Max(rank, 1)];   // an axis's position among the axes longer than 1, else -1
        for (int a = 0, k = 0; a < rank; a++) kept[a] = shape[a] > 1 ? k++ : -1;

        // Runs of y's axes that are consecutive axes of x form one axis: its first x axis and its length.
        Span<int> runStart = stackalloc int[Math.Max(rank, 1)];
        int runs = 0, previous = -2;
        foreach (int p in perm)
        {
            if (kept[p] < 0) continue;
            if (kept[p] == previous + 1) dims[runs - 1] *= shape[p];
            else
            {
                runStart[runs] = kept[p];
                dims[runs++] = shape[p];
            }
            previous = kept[p];
        }

        // Number the runs by their place in x, then lay their lengths out in that order.
        Span<int> lengths = stackalloc int[Math.Max(runs, 1)];
        dims[..runs].CopyTo(lengths);
        for (int r = 0; r < runs; r++)
        {
            int place = 0;
            for (int s = 0; s < runs; s++) if (runStart[s] < runStart[r]) place++;
            order[r] = place;
        }
        for (int r = 0; r < runs; r++) dims[order[r]] = lengths[r];
        return runs;
    }

    /// <summary>One launch per input, each writing its columns of every row of y.</summary>
    public void Concat(IReadOnlyList<Tensor> x, int axis, Tensor y)
    {
        const string primitive = "Concat";
        bool wide = MovesWideElements(primitive, y, y);
        for (int i = 0; i < x.Count; i++)
            if (x[i].DType != y.DType) throw new MissingKernelException(primitive, $"it joins tensors of one dtype, got {x[i].DType} into {y.DType}");
        int outer = y.Shape.SizeOf(0, axis), rowLength = y.Shape.SizeOf(axis, y.Rank), columns = 0;
        for (int i = 0; i < x.Count; i++) columns += x[i].Shape.SizeOf(axis, x[i].Rank);
        if (columns != rowLength)
            throw new ShapeException($"{primitive}: the inputs' rows along axis {axis} add up to {columns}, the output's are {rowLength} long.");
        if (y.Size == 0) return;
        for (int i = 0, column = 0; i < x.Count; i++)
        {
            var part = x[i];
            int partRow = part.Shape.SizeOf(axis, part.Rank), count = outer * partRow;
            if (count > 0)
                Launch(wide ? "concat_b32" : "concat_b8", BlocksFor(count), new Dim3(ThreadsPerBlock), Ptr(part), Ptr(y), count, partRow, rowLength, column);
            column += partRow;
        }
    }

    /// <inheritdoc/>
    public unsafe void Slice(Tensor x, int[] begin, Tensor y)
    {
        const string primitive = "Slice";
        bool wide = MovesWideElements(primitive, x, y);
        RequireLayoutRank(primitive, y);
        if (y.Size == 0) return;
        int rank = y.Rank;
        var layout = new ArrayStrided { Rank = rank };
        for (int a = rank - 1, stride = 1; a >= 0; stride *= x.Shape[a], a--)
        {
            layout.Dims[a] = y.Shape[a];
            layout.Strides[a] = stride;
            layout.Offset += begin[a] * stride;
        }
        Launch(wide ? "slice_b32" : "slice_b8", BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), y.Size, layout);
    }

    /// <summary>Every element of dx is written once (dout's value or zero), so no fill goes first.</summary>
    public unsafe void SliceGrad(Tensor dout, int[] begin, Tensor dx)
    {
        const string primitive = "SliceGrad";
        bool wide = MovesWideElements(primitive, dout, dx);
        RequireLayoutRank(primitive, dx);
        if (dx.Size == 0) return;
        int rank = dx.Rank;
        var layout = new ArrayBlock { Rank = rank };
        for (int a = 0; a < rank; a++)
        {
            layout.Dims[a] = dx.Shape[a];
            layout.Begin[a] = begin[a];
            layout.Block[a] = dout.Shape[a];
        }
        Launch(wide ? "slice_grad_b32" : "slice_grad_b8", BlocksFor(dx.Size), new Dim3(ThreadsPerBlock), Ptr(dout), Ptr(dx), dx.Size, layout);
    }

    /// <summary>The indices are read back and checked first, so one out of range fails as on the CPU.</summary>
    public void Gather(Tensor x, Tensor indices, int axis, Tensor y)
    {
        const string primitive = "Gather";
        bool wide = MovesWideElements(primitive, x, y);
        RequireInt32Indices(primitive, indices);
        int rows = x.Shape[axis], inner = x.Shape.SizeOf(axis + 1, x.Rank), k = indices.Size;
        CheckGatherIndices(indices, rows, x.Shape, axis);
        if (y.Size == 0) return;
        Launch(wide ? "gather_b32" : "gather_b8", BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(indices), Ptr(y), y.Size, rows, k, inner);
    }

    /// <summary>
    /// Up to <see cref="GatherGradOrderedMaxIndices"/> indices, each element of dx sums its repeats in index order,
    /// exactly as the CPU does; with more, dout's rows are scattered with atomicAdd, whose order (and so the last
    /// bits of a sum of repeats) is not fixed.
    /// </summary>
    public void GatherGrad(Tensor dout, Tensor indices, int axis, Tensor dx)
    {
        const string primitive = "GatherGrad";
        RequireFloat32(primitive, dout, dx);
        RequireInt32Indices(primitive, indices);
        int rows = dx.Shape[axis], inner = dx.Shape.SizeOf(axis + 1, dx.Rank), k = indices.Size;
        CheckGatherIndices(indices, rows, dx.Shape, axis);
        if (dx.Size == 0) return;
        if (k <= GatherGradOrderedMaxIndices)
        {
            Launch("gather_grad_f32", BlocksFor(dx.Size), new Dim3(ThreadsPerBlock), Ptr(dout), Ptr(indices), Ptr(dx), dx.Size, rows, k, inner);
            return;
        }
        Launch("gather_grad_zero_f32", BlocksFor(dx.Size), new Dim3(ThreadsPerBlock), Ptr(dx), dx.Size);
        if (dout.Size > 0)
            Launch("gather_grad_scatter_f32", BlocksFor(dout.Size), new Dim3(ThreadsPerBlock), Ptr(dout), Ptr(indices), Ptr(dx), dout.Size, rows, k, inner);
    }

    private void CheckGatherIndices(Tensor indices, int rows, Shape shape, int axis)
    {
        if (FirstIndexOutside(indices, rows, out int index) is var position and >= 0)
            throw new ArgumentOutOfRangeException(nameof(indices), $"Index {index} at position {position} is out of range [0, {rows}) for axis {axis} of shape {shape}.");
    }

    /// <summary>One thread per output element compares its class with its row's index: no fill goes first.</summary>
    public void OneHot(Tensor indices, double on, double off, Tensor y)
    {
        const string primitive = "OneHot";
        RequireInt32Indices(primitive, indices);
        if (y.Rank == 0) throw new ShapeException($"{primitive}: the output needs a class axis, got a scalar.");
        int depth = y.Shape[-1];
        if ((long)indices.Size * depth != y.Size)
            throw new ShapeException($"{primitive}: {indices.Size} indices do not fill an output of shape {y.Shape}.");
        // The same conversions as the CPU's Fill and SetDouble, done here so the kernel moves bits only.
        (string kernel, int onBits, int offBits) = y.DType switch
        {
            DType.Float32 => ("one_hot_b32", BitConverter.SingleToInt32Bits((float)on), BitConverter.SingleToInt32Bits((float)off)),
            DType.Int32 => ("one_hot_b32", (int)on, (int)off),
            DType.Bool => ("one_hot_b8", on != 0 ? 1 : 0, off != 0 ? 1 : 0),
            _ => throw new MissingKernelException(primitive, $"its kernels write 4- and 1-byte elements, got {y.DType}"),
        };
        if (y.Size == 0) return;
        Launch(kernel, BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(indices), Ptr(y), y.Size, depth, onBits, offBits);
    }

    /// <inheritdoc/>
    public void Tile(Tensor x, Tensor y)
    {
        const string primitive = "Tile";
        bool wide = MovesWideElements(primitive, x, y);
        var layout = TilingOf(primitive, x.Shape, y.Shape);
        if (y.Size == 0) return;
        Launch(wide ? "tile_b32" : "tile_b8", BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), y.Size, layout);
    }

    /// <summary>Each element of dx sums its copies in dout in the CPU's order, so the result is the same bits.</summary>
    public void TileGrad(Tensor dout, Tensor dx)
    {
        const string primitive = "TileGrad";
        RequireFloat32(primitive, dout, dx);
        var layout = TilingOf(primitive, dx.Shape, dout.Shape);
        if (dx.Size == 0) return;
        Launch("tile_grad_f32", BlocksFor(dx.Size), new Dim3(ThreadsPerBlock), Ptr(dout), Ptr(dx), dx.Size, layout);
    }

    private static unsafe ArrayTiling TilingOf(string primitive, Shape source, Shape tiled)
    {
        if (source.Rank > ArrayMaxRank)
            throw new MissingKernelException(primitive, $"its kernels take up to {ArrayMaxRank} axes, got shape {source}");
        if (tiled.Rank != source.Rank)
            throw new ShapeException($"{primitive}: shape {tiled} is no tiling of shape {source}.");
        var layout = new ArrayTiling { Rank = source.Rank };
        for (int a = 0; a < source.Rank; a++)
        {
            if (source[a] == 0 ? tiled[a] != 0 : tiled[a] % source[a] != 0)
                throw new ShapeException($"{primitive}: shape {tiled} is no tiling of shape {source}.");
            layout.Source[a] = source[a];
            layout.Tiled[a] = tiled[a];
        }
        return layout;
    }

    /// <summary>True for 4-byte elements (the _b32 kernels), false for 1-byte ones (_b8); Float64 has no kernel.</summary>
    private static bool MovesWideElements(string primitive, Tensor x, Tensor y)
    {
        if (x.DType != y.DType)
            throw new MissingKernelException(primitive, $"it moves elements of one dtype, got {x.DType} into {y.DType}");
        return x.DType switch
        {
            DType.Float32 or DType.Int32 => true,
            DType.Bool => false,
            _ => throw new MissingKernelException(primitive, $"its kernels move 4- and 1-byte elements, got {x.DType}"),
        };
    }

    private static void RequireLayoutRank(string primitive, Tensor t)
    {
        if (t.Rank > ArrayMaxRank)
            throw new MissingKernelException(primitive, $"its kernels take up to {ArrayMaxRank} axes, got shape {t.Shape}");
    }

    private static void RequireInt32Indices(string primitive, Tensor indices)
    {
        if (indices.DType != DType.Int32)
            throw new MissingKernelException(primitive, $"its indices are Int32, got {indices.DType}");
    }
}
