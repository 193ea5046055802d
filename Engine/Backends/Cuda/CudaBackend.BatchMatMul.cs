using System.Collections.Concurrent;

namespace GraphDL.Backends.Cuda;

// Kernels/sgemm.cu's batched kernels: the tiles of every product of the batch in one launch, grid z being the
// product's index in y, and the batch axes' broadcast walk telling each block which matrices of a and b it reads.
public sealed partial class CudaBackend
{
    // Indexed as s_sgemmKernels: (narrow ? 4 : 0) + (transposeA ? 2 : 0) + (transposeB ? 1 : 0).
    private static readonly string[] s_batchedSgemmKernels =
    [
        "sgemm_batched_nn_f32", "sgemm_batched_nt_f32", "sgemm_batched_tn_f32", "sgemm_batched_tt_f32",
        "sgemm_batched_nn_n64_f32", "sgemm_batched_nt_n64_f32", "sgemm_batched_tn_n64_f32", "sgemm_batched_tt_n64_f32",
    ];

    // Walks depend only on the shapes, and a training loop meets the same few every step: kept, a steady step
    // builds none. The bound only guards against unbounded growth.
    private static readonly ConcurrentDictionary<(Shape Y, Shape A, Shape B), Broadcast> s_batchWalks = new();
    private const int BatchWalkCacheLimit = 4096;

    /// <summary>
    /// MatMul over the last two axes of operands of rank 3 and more. The reduction is never split: the batch
    /// already gives the grid its depth, and grid z is taken by the product index.
    /// </summary>
    private void BatchMatMul(Tensor a, Tensor b, bool transposeA, bool transposeB, Tensor y)
    {
        if (a.Rank < 2 || b.Rank < 2 || y.Rank != Math.Max(a.Rank, b.Rank))
            throw new ShapeException($"MatMul of {a.Shape} and {b.Shape} cannot fill a result of shape {y.Shape}.");
        int m = transposeA ? a.Shape[-1] : a.Shape[-2], k = transposeA ? a.Shape[-2] : a.Shape[-1];
        int kb = transposeB ? b.Shape[-1] : b.Shape[-2], n = transposeB ? b.Shape[-2] : b.Shape[-1];
        if (k != kb || y.Shape[-2] != m || y.Shape[-1] != n)
            throw new ShapeException(
                $"MatMul of {a.Shape}{(transposeA ? "ᵀ" : "")} and {b.Shape}{(transposeB ? "ᵀ" : "")} cannot fill a result of shape {y.Shape}.");
        if (y.Size == 0) return;

        // The walk runs over y's batch axes in units of whole matrices: its operand offsets are matrix indices.
        var batches = BatchWalk(y.Shape, a.Shape, b.Shape);
        int products = y.Shape.SizeOf(0, y.Rank - 2);
        bool narrow = n <= NarrowGemm;
        string kernel = s_batchedSgemmKernels[(narrow ? 4 : 0) + (transposeA ? 2 : 0) + (transposeB ? 1 : 0)];
        // Every matrix of an operand starts a whole number of rows after the first, so its rows stay 16-byte
        // aligned whenever the first matrix's are: the flags of one matrix hold for all.
        int vec = Float4Flag(Ptr(a), transposeA ? m : k) | Float4Flag(Ptr(b), transposeB ? k : n) << 1 | Float4Flag(Ptr(y), n) << 2;
        var grid = GemmGrid("MatMul", m, n, narrow, products);
        Launch(kernel, grid, GemmBlock(narrow), Ptr(a), Ptr(b), Ptr(y), m, n, k, batches, vec);
    }

    private static Broadcast BatchWalk(Shape y, Shape a, Shape b)
    {
        if (s_batchWalks.TryGetValue((y, a, b), out var walk)) return walk;
        walk = Broadcast.Of("MatMul", BatchAxes(y), BatchAxes(a), BatchAxes(b));
        if (s_batchWalks.Count >= BatchWalkCacheLimit) s_batchWalks.Clear();
        s_batchWalks[(y, a, b)] = walk;
        return walk;
    }

    private static Shape BatchAxes(Shape s) => new(s.Dims[..^2]);
}
