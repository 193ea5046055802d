namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    /// <summary>
    /// MatMul with each of the four transposes on products m x k x n chosen to reach every path of sgemm.cu:
    /// single elements; odd sizes, where no operand may be read as float4s and every tile is an edge tile;
    /// sizes that are multiples of 4, where all of them are; m, k and n past the 128-row tile and the 8-deep
    /// step; the 128 x 64 kernels (n at most 64) and the 128 x 128 ones; an empty reduction (y must be zeros,
    /// over the emulator's NaN-filled output); and long reductions split into slices, one with a slice
    /// ending mid-step.
    /// </summary>
    public static IEnumerable<ParityCase> MatMul()
    {
        (int M, int K, int N, string Note)[] shapes =
        [
            (1, 1, 1, "single element"),
            (7, 13, 5, "odd"),
            (67, 45, 33, "odd"),
            (130, 131, 129, "odd, past one tile each way"),
            (68, 44, 36, "multiples of 4"),
            (132, 20, 200, "multiples of 4, two wide tiles across"),
            (5, 0, 6, "empty reduction"),
            (9, 1100, 7, "odd, reduction split"),
            (12, 1024, 72, "multiples of 4, reduction split"),
        ];
        foreach (var (m, k, n, note) in shapes)
            foreach (bool transposeA in new[] { false, true })
                foreach (bool transposeB in new[] { false, true })
                {
                    var a = Kit.Random(transposeA ? new Shape(k, m) : new Shape(m, k), 1);
                    var b = Kit.Random(transposeB ? new Shape(n, k) : new Shape(k, n), 2);
                    string op = $"{(transposeA ? "aT" : "a")} {(transposeB ? "bT" : "b")}";
                    yield return new("MatMul", $"{m}x{k}x{n} {op} ({note})", be =>
                    {
                        var y = Kit.Out(be, new Shape(m, n));
                        be.MatMul(Kit.On(be, a), Kit.On(be, b), transposeA, transposeB, y);
                        return [y];
                    }, ReductionTolerance(k));
                }
    }

    /// <summary>
    /// MatMul over batches (the sgemm_batched kernels), each of the four transposes: equal batch axes of rank 1 and
    /// 2, odd sizes and multiples of 4 (float4 reads, whose alignment must hold for every matrix of the batch, not
    /// only the first), both tile widths, a batch of one, an empty reduction, and batch axes that broadcast: a plain
    /// matrix against a batch, a size-1 axis against a longer one on each side, and a missing leading axis.
    /// </summary>
    public static IEnumerable<ParityCase> BatchMatMul()
    {
        (int[] BatchA, int[] BatchB, int M, int K, int N, string Note)[] shapes =
        [
            ([3], [3], 7, 13, 5, "odd"),
            ([2, 3], [2, 3], 9, 6, 11, "rank 4, odd"),
            ([2], [2], 68, 44, 136, "multiples of 4, wide tiles"),
            ([3], [3], 12, 8, 20, "multiples of 4, narrow tiles"),
            ([1], [1], 5, 3, 4, "batch of one"),
            ([2], [2], 5, 0, 6, "empty reduction"),
            ([], [4], 6, 5, 7, "matrix times batch"),
            ([3], [], 6, 5, 7, "batch times matrix"),
            ([2, 1], [3], 5, 4, 6, "size-1 axis against a longer one, missing axis"),
            ([1, 3], [2, 1], 4, 8, 12, "size-1 axes on both sides"),
        ];
        foreach (var (batchA, batchB, m, k, n, note) in shapes)
            foreach (bool transposeA in new[] { false, true })
                foreach (bool transposeB in new[] { false, true })
                {
                    var a = Kit.Random(new Shape([.. batchA, .. transposeA ? new[] { k, m } : new[] { m, k }]), 3);
                    var b = Kit.Random(new Shape([.. batchB, .. transposeB ? new[] { n, k } : new[] { k, n }]), 4);
                    var yShape = Shape.MatMul(a.Shape, b.Shape, transposeA, transposeB);
                    string op = $"{(transposeA ? "aT" : "a")} {(transposeB ? "bT" : "b")}";
                    yield return new("MatMul", $"batched {a.Shape} x {b.Shape} {op} ({note})", be =>
                    {
                        var y = Kit.Out(be, yShape);
                        be.MatMul(Kit.On(be, a), Kit.On(be, b), transposeA, transposeB, y);
                        return [y];
                    }, ReductionTolerance(k));
                }
    }

    /// <summary>
    /// The tolerance for results that each sum <paramref name="depth"/> products of inputs in (-1, 1): 1e-5
    /// relative, times sqrt(depth / 128) past 128 terms. The CPU and the kernels add in different orders, and the
    /// rounding of a float sum grows about as sqrt(depth) times its partial sums; against a float64 reference,
    /// both sides' worst error, as a fraction of 1 + |y|, was measured at 2e-6 for 131 terms, 1e-5 for 1024 and
    /// 1.5e-5 for 4096, and the largest CPU-GPU difference at 1.2e-5 for 1024 (on a result of 0.06 that had
    /// cancelled from partial sums near 10). A wrong or missing term costs about 0.1 and still fails.
    /// </summary>
    private static double ReductionTolerance(int depth) => 1e-5 * Math.Max(1, Math.Sqrt(depth / 128.0));
}
