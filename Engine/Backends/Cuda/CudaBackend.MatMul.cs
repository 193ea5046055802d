namespace GraphDL.Backends.Cuda;

// Kernels/sgemm.cu: one block per 128 x 128 tile of the product (128 x 64 when it is at most 64 wide, where
// the wider tile would spend half its arithmetic on columns that do not exist). A product with too few tiles
// to occupy the device but a long reduction is split along the reduction (grid z): each slice writes its partial
// product into scratch memory, and sgemm_sum_splits_f32 adds the slices in order, so the result stays
// deterministic. Conv2DBackpropFilter, a product of that shape, shares the splitting and the scratch.
public sealed partial class CudaBackend
{
    /// <summary>Rows of C per block in every product kernel (BM of sgemm.cu).</summary>
    private const int GemmTileRows = 128;

    /// <summary>Products at most this wide take the 128 x 64 kernels (the _n64 ones).</summary>
    private const int NarrowGemm = 64;

    /// <summary>
    /// The threads a split product aims to have in flight: the tuning target's 132 SMs, each holding two
    /// 256-thread blocks (the register budget of an 8 x 8 micro-tile allows no more), twice over so that the
    /// last wave is not left to a few SMs.
    /// </summary>
    private const int SplitTargetThreads = 132 * 2 * 256 * 2;

    /// <summary>
    /// The shortest reduction slice: a slice writes and sgemm_sum_splits_f32 re-reads one partial tile, which
    /// costs about as much as 16 of its 8-deep steps, so shorter slices would spend more on traffic than they
    /// gain in parallelism.
    /// </summary>
    private const int MinSliceDepth = 256;

    /// <summary>Partial products are held to this many floats (64 MB) of scratch; a larger split gets fewer slices.</summary>
    private const long MaxPartialFloats = 1L << 24;

    // Indexed by (narrow ? 4 : 0) + (transposeA ? 2 : 0) + (transposeB ? 1 : 0).
    private static readonly string[] s_sgemmKernels =
    [
        "sgemm_nn_f32", "sgemm_nt_f32", "sgemm_tn_f32", "sgemm_tt_f32",
        "sgemm_nn_n64_f32", "sgemm_nt_n64_f32", "sgemm_tn_n64_f32", "sgemm_tt_n64_f32",
    ];

    private readonly Lock _scratchLock = new();
    private DevicePtr _scratch;
    private long _scratchBytes;

    /// <inheritdoc/>
    public void MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB, Tensor y)
    {
        RequireFloat32("MatMul", a, b, y);
        if (a.Rank != 2 || b.Rank != 2 || y.Rank != 2)
        {
            BatchMatMul(a, b, transposeA, transposeB, y);
            return;
        }
        int m = transposeA ? a.Shape[1] : a.Shape[0], k = transposeA ? a.Shape[0] : a.Shape[1];
        int kb = transposeB ? b.Shape[1] : b.Shape[0], n = transposeB ? b.Shape[0] : b.Shape[1];
        if (k != kb || y.Shape[0] != m || y.Shape[1] != n)
            throw new ShapeException(
                $"MatMul of {a.Shape}{(transposeA ? "ᵀ" : "")} and {b.Shape}{(transposeB ? "ᵀ" : "")} cannot fill a result of shape {y.Shape}.");
        if (y.Size == 0) return;

        bool narrow = n <= NarrowGemm;
        string kernel = s_sgemmKernels[(narrow ? 4 : 0) + (transposeA ? 2 : 0) + (transposeB ? 1 : 0)];
        int vec = Float4Flag(Ptr(a), transposeA ? m : k) | Float4Flag(Ptr(b), transposeB ? k : n) << 1;
        var (splits, chunk) = SplitReduction(GemmTiles(m, n, narrow), GemmThreads(narrow), k, y.Size);
        var grid = GemmGrid("MatMul", m, n, narrow, splits);
        if (splits == 1)
        {
            Launch(kernel, grid, GemmBlock(narrow), Ptr(a), Ptr(b), Ptr(y), m, n, k, chunk, vec | Float4Flag(Ptr(y), n) << 2);
            return;
        }
        lock (_scratchLock)
        {
            var partials = Scratch((long)splits * y.Size * sizeof(float));
            Launch(kernel, grid, GemmBlock(narrow), Ptr(a), Ptr(b), partials, m, n, k, chunk, vec | Float4Flag(partials, n) << 2);
            SumSlices(partials, splits, y);
        }
    }

    /// <summary>1 when float4 accesses are safe: the base 16-byte aligned and rows a multiple of 4 floats apart.</summary>
    private static int Float4Flag(DevicePtr p, int leadingDimension) => leadingDimension % 4 == 0 && p.Address % 16 == 0 ? 1 : 0;

    private static int GemmThreads(bool narrow) => narrow ? 128 : 256;

    private static Dim3 GemmBlock(bool narrow) => new((uint)GemmThreads(narrow));

    private static int GemmColumns(bool narrow) => narrow ? 64 : 128;

    private static long GemmTiles(int rows, int columns, bool narrow) =>
        (long)TilesOf(rows, GemmTileRows) * TilesOf(columns, GemmColumns(narrow));

    /// <summary>The blocks of a product of rows x columns in <paramref name="slices"/> slices (or stride phases).</summary>
    private static Dim3 GemmGrid(string primitive, int rows, int columns, bool narrow, int slices)
    {
        long x = TilesOf(rows, GemmTileRows), y = TilesOf(columns, GemmColumns(narrow));
        if (y > ushort.MaxValue || slices > ushort.MaxValue)
            throw new MissingKernelException(primitive, $"a grid of {x} x {y} x {slices} blocks exceeds CUDA's limits");
        return new Dim3((uint)x, (uint)y, (uint)slices);
    }

    private static int TilesOf(int extent, int tile) => (extent + tile - 1) / tile;

    /// <summary>
    /// How to cut a reduction of <paramref name="depth"/> into slices (the grid's z): their number and each
    /// one's depth, a multiple of the kernels' 8-deep step. One slice when the tiles alone fill the device or the
    /// reduction is too short to share.
    /// </summary>
    private static (int Slices, int Chunk) SplitReduction(long tiles, int threadsPerBlock, int depth, long outputs)
    {
        int whole = Math.Max(8, (depth + 7) / 8 * 8);
        long threads = tiles * threadsPerBlock;
        if (threads >= SplitTargetThreads || depth < 2 * MinSliceDepth) return (1, whole);
        long slices = Math.Min((SplitTargetThreads + threads - 1) / threads, depth / MinSliceDepth);
        slices = Math.Min(slices, Math.Min(MaxPartialFloats / Math.Max(outputs, 1), ushort.MaxValue));
        if (slices < 2) return (1, whole);
        int chunk = (int)((depth + slices - 1) / slices + 7) / 8 * 8;
        return ((depth + chunk - 1) / chunk, chunk);
    }

    /// <summary>y = the sum of <paramref name="slices"/> partial results of y's size, stored one after another.</summary>
    private void SumSlices(DevicePtr partials, int slices, Tensor y) =>
        Launch("sgemm_sum_splits_f32", BlocksFor(y.Size), new Dim3(ThreadsPerBlock), partials, slices, y.Size, Ptr(y));

    /// <summary>
    /// Device memory for partial products, kept from call to call so that a steady-state step allocates
    /// nothing; it only grows. Callers hold <see cref="_scratchLock"/> from the launch that fills it to the
    /// launch that reads it, so two threads' products cannot interleave in it.
    /// </summary>
    private DevicePtr Scratch(long bytes)
    {
        if (bytes <= _scratchBytes) return _scratch;
        if (_scratchBytes > 0)
        {
            // Launches already queued may still read the old block.
            Device.Synchronize();
            Device.Free(_scratch);
            _scratch = DevicePtr.Null;
            _scratchBytes = 0;
        }
        _scratch = Device.Allocate(bytes);
        _scratchBytes = bytes;
        return _scratch;
    }
}
