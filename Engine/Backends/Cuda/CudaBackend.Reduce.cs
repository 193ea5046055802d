namespace GraphDL.Backends.Cuda;

// Kernels/reduce.cu. Every reduction is described by two walks over its input (Broadcast.ForReduction): the
// kept axes, one output element each, and the reduced axes of one output. A contiguous run of axes becomes
// the (outer, reduced, inner) view in walks of rank 1 or 2; other sets of axes keep their strides apart.
public sealed partial class CudaBackend
{
    /// <summary>REDUCE_THREADS in reduce.cu: the threads of a block that reduces one output.</summary>
    private const int ReduceThreads = 256;

    /// <summary>
    /// Rows at least this long get a block each. Below it, one thread walking the row alone finishes before
    /// a block's eight halving rounds, each behind a barrier, would.
    /// </summary>
    private const int LongRow = 128;

    /// <summary>
    /// With this many outputs, one thread per output keeps the GPU busy by itself. When the reduced elements
    /// are strided (a column sum), neighbouring threads then read neighbouring addresses, which a block per
    /// output, whose threads read addresses a whole row apart, does not; so such reductions stay one thread
    /// per output. With fewer outputs the block's parallelism along the row wins.
    /// </summary>
    private const int ManyOutputs = 1 << 16;

    /// <inheritdoc/>
    public void Reduce(ReduceFn fn, Tensor x, int[] axes, Tensor y)
    {
        // Any and All have Bool kernels, the others Float32 ones.
        if (fn is ReduceFn.Any or ReduceFn.All)
        {
            if (x.DType != DType.Bool || y.DType != DType.Bool) throw new MissingKernelException("Reduce", $"its {fn} kernels are Bool, got {x.DType}");
        }
        else RequireFloat32("Reduce", x, y);
        if (axes.Length == 0)
        {
            Copy(x, y);
            return;
        }
        Span<bool> reduce = stackalloc bool[x.Rank];
        foreach (int axis in axes) reduce[axis] = true;
        Reduce(fn, x, reduce, y);
    }

    private void Reduce(ReduceFn fn, Tensor x, ReadOnlySpan<bool> reduce, Tensor y)
    {
        var (kept, over, outputs, reduced) = Broadcast.ForReduction("Reduce", x.Shape, reduce);
        if (outputs != y.Size)
            throw new ShapeException($"Reducing a tensor of shape {x.Shape} gives {outputs} elements, not the {y.Size} of shape {y.Shape}.");
        if (reduced == 0 && fn is ReduceFn.Max or ReduceFn.Min)
            throw new InvalidOperationException("Cannot take the maximum or minimum over an empty axis.");
        var (perBlock, perThread) = fn switch
        {
            ReduceFn.Sum => ("reduce_sum_f32", "reduce_sum_thread_f32"),
            ReduceFn.Mean => ("reduce_mean_f32", "reduce_mean_thread_f32"),
            ReduceFn.Max => ("reduce_max_f32", "reduce_max_thread_f32"),
            ReduceFn.Min => ("reduce_min_f32", "reduce_min_thread_f32"),
            ReduceFn.Prod => ("reduce_prod_f32", "reduce_prod_thread_f32"),
            ReduceFn.Any => ("reduce_any_b8", "reduce_any_thread_b8"),
            ReduceFn.All => ("reduce_all_b8", "reduce_all_thread_b8"),
            _ => throw new MissingKernelException("Reduce", $"no kernel computes {fn}"),
        };
        if (outputs == 0) return;
        if (BlockPerOutput(reduced, over.IsContiguous, outputs))
            Launch(perBlock, new Dim3((uint)outputs), new Dim3(ReduceThreads), Ptr(x), Ptr(y), reduced, kept, over);
        else
            Launch(perThread, BlocksFor(outputs), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), outputs, reduced, kept, over);
    }

    private static bool BlockPerOutput(int rowLength, bool contiguousRows, int outputs) =>
        rowLength >= LongRow && (contiguousRows || outputs < ManyOutputs);

    /// <inheritdoc/>
    public void ArgReduce(bool max, Tensor x, int axis, Tensor y)
    {
        RequireFloat32("ArgReduce", x);
        if (y.DType != DType.Int32) throw new MissingKernelException("ArgReduce", $"its kernels write Int32 indices, got {y.DType}");
        int outer = x.Shape.SizeOf(0, axis), n = x.Shape[axis], inner = x.Shape.SizeOf(axis + 1, x.Rank);
        if (n == 0) throw new InvalidOperationException($"{(max ? "ArgMax" : "ArgMin")} over an empty axis of shape {x.Shape}.");
        int outputs = outer * inner;
        if (outputs != y.Size)
            throw new ShapeException($"{(max ? "ArgMax" : "ArgMin")} of a tensor of shape {x.Shape} along axis {axis} gives {outputs} elements, not the {y.Size} of shape {y.Shape}.");
        if (outputs == 0) return;
        if (BlockPerOutput(n, inner == 1, outputs))
            Launch(max ? "argmax_f32" : "argmin_f32", new Dim3((uint)outputs), new Dim3(ReduceThreads), Ptr(x), Ptr(y), n, inner);
        else
            Launch(max ? "argmax_thread_f32" : "argmin_thread_f32", BlocksFor(outputs), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), outputs, n, inner);
    }

    /// <inheritdoc/>
    public void SumTo(Tensor x, Tensor y)
    {
        RequireFloat32("SumTo", x, y);
        if (x.Size == y.Size)
        {
            Copy(x, y);
            return;
        }
        // The axes along which y was broadcast into x: the leading ones it lacks and those where it has a 1.
        int offset = x.Rank - y.Rank;
        if (offset < 0) throw new ShapeException($"Cannot sum a tensor of shape {x.Shape} into the larger rank of {y.Shape}.");
        Span<bool> reduce = stackalloc bool[x.Rank];
        for (int axis = 0; axis < x.Rank; axis++)
        {
            int k = axis - offset;
            if (k >= 0 && y.Shape[k] != 1 && y.Shape[k] != x.Shape[axis])
                throw new ShapeException($"Shape {y.Shape} does not broadcast into {x.Shape}, so {x.Shape} cannot be summed into it.");
            reduce[axis] = k < 0 || (y.Shape[k] == 1 && x.Shape[axis] != 1);
        }
        Reduce(ReduceFn.Sum, x, reduce, y);
    }

    /// <inheritdoc/>
    public void BroadcastTo(Tensor x, Tensor y)
    {
        if (x.DType != y.DType) throw new MissingKernelException("BroadcastTo", $"it copies elements, and {x.DType} is not {y.DType}");
        string kernel = y.DType switch
        {
            DType.Float32 or DType.Int32 => "broadcast_to_b32",
            DType.Bool => "broadcast_to_b8",
            _ => throw new MissingKernelException("BroadcastTo", $"its kernels move 4- and 1-byte elements, got {y.DType}"),
        };
        if (x.Size == y.Size)
        {
            Copy(x, y);
            return;
        }
        var walk = Broadcast.Of("BroadcastTo", y.Shape, x.Shape);
        if (y.Size == 0) return;
        Launch(kernel, BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), y.Size, walk);
    }
}
