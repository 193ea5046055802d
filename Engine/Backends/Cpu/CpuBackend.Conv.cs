using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using MathNet.Numerics.Providers.LinearAlgebra;
using BlasTranspose = MathNet.Numerics.Providers.LinearAlgebra.Transpose;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// Convolution as one matrix product (im2col): every output pixel's window of the input is copied into a row of a
/// "columns" matrix (rows: output pixels; columns: kh, kw, cin in the filter's order), so that
/// y (pixels × Cout) = columns (pixels × KH·KW·Cin) · filter (KH·KW·Cin × Cout) runs in the BLAS GEMM. The two
/// gradients are the same product turned around: dW = columnsᵀ · dout, and dx = col2im(dout · filterᵀ), which
/// adds each row back where its window came from. On a native BLAS the batch is shared between the cores in groups
/// of images (CpuBackend.ConvImageGroups.cs); the chunked loops here serve MathNet's managed provider and
/// <c>Bench --conv-ab</c>'s comparison. Shallow windows (a first layer's) skip im2col: their forward pass and filter
/// gradient are direct loops (CpuBackend.ConvShallow.cs). Pooling is a direct loop, vectorised over the channels that
/// NHWC keeps side by side, its images shared between the cores the same way; max pooling's fast paths are in
/// CpuBackend.MaxPooling.cs.
/// </summary>
public sealed partial class CpuBackend
{
    /// <summary>
    /// Images go through im2col a chunk at a time, the chunk's columns matrix held to about this many elements
    /// (1 MB of float32, within a core's L2 cache, so the GEMM reads what im2col has just written from the cache).
    /// Measured on the second layer of the deep-MNIST network (100 images of 14x14x32, 5x5x32x64 filters, three runs
    /// on a busy two-core machine): the forward pass and the two gradients took 29-52 ms each with this budget and
    /// 31-70 ms with 4M elements. A 10,000-image batch needs no more scratch than a 100-image one.
    /// </summary>
    private const int ColumnsBudget = 1 << 18;

    /// <inheritdoc/>
    public void Conv2D(Tensor x, Tensor filter, Window2D window, Tensor y)
    {
        switch (y.DType)
        {
            case DType.Float32: Conv2D<float>(x, filter, window, y); break;
            case DType.Float64: Conv2D<double>(x, filter, window, y); break;
            default: throw Unsupported("Conv2D", y.DType);
        }
    }

    /// <inheritdoc/>
    public void Conv2DBackpropInput(Tensor dout, Tensor filter, Window2D window, Tensor dx)
    {
        switch (dx.DType)
        {
            case DType.Float32: Conv2DBackpropInput<float>(dout, filter, window, dx); break;
            case DType.Float64: Conv2DBackpropInput<double>(dout, filter, window, dx); break;
            default: throw Unsupported("Conv2DBackpropInput", dx.DType);
        }
    }

    /// <inheritdoc/>
    public void Conv2DBackpropFilter(Tensor x, Tensor dout, Window2D window, Tensor dW)
    {
        switch (dW.DType)
        {
            case DType.Float32: Conv2DBackpropFilter<float>(x, dout, window, dW); break;
            case DType.Float64: Conv2DBackpropFilter<double>(x, dout, window, dW); break;
            default: throw Unsupported("Conv2DBackpropFilter", dW.DType);
        }
    }

    // Every chunk's product has the same size, the last chunk's missing images being rows of zeros: MathNet's
    // providers want a matrix's array to be exactly its size, and one size per layer keeps the scratch arrays few.

    private static void Conv2D<T>(Tensor x, Tensor filter, Window2D window, Tensor y) where T : unmanaged, INumber<T>
    {
        var g = SlidingGeometry.Of(x.Shape, y.Shape, window);
        if (ShallowKernelFor<T>(g) is var kernel and not ShallowKernel.None)
        {
            ConvolveShallow(kernel, ConvPass.Forward, g, x.Buffer<T>(), filter.Buffer<T>(), y.Buffer<T>());
            return;
        }
        if (ImageGroupsBlas(g) is { } blas)
        {
            RunInImageGroups(blas, ConvPass.Forward, g, x.Buffer<T>(), filter.Buffer<T>(), y.Buffer<T>());
            return;
        }
        int depth = g.Depth, outChannels = g.OutChannels, chunk = g.ImagesPerChunk, rows = chunk * g.Pixels;
        T[] xs = x.Buffer<T>(), ws = filter.Buffer<T>(), ys = y.Buffer<T>();
        T[] columns = Scratch<T>.Columns(rows * depth);
        // With the whole batch in one chunk the product lands in y itself; otherwise chunk by chunk through a block.
        T[] block = chunk == g.Batch ? ys : Scratch<T>.Block(rows * outChannels);
        for (int first = 0; first < g.Batch; first += chunk)
        {
            int images = Math.Min(chunk, g.Batch - first);
            Im2Col<T>(xs, g, first, images, columns);
            columns.AsSpan(images * g.Pixels * depth).Clear();
            // y (rows × Cout) = columns (rows × depth) · filter (depth × Cout)
            Gemm(columns, rows, depth, false, ws, depth, outChannels, false, block, accumulate: false);
            if (block != ys) Array.Copy(block, 0, ys, first * g.Pixels * outChannels, images * g.Pixels * outChannels);
        }
    }

    private static void Conv2DBackpropInput<T>(Tensor dout, Tensor filter, Window2D window, Tensor dx) where T : unmanaged, INumber<T>
    {
        var g = SlidingGeometry.Of(dx.Shape, dout.Shape, window);
        if (ImageGroupsBlas(g) is { } blas)
        {
            RunInImageGroups(blas, ConvPass.InputGradient, g, dout.Buffer<T>(), filter.Buffer<T>(), dx.Buffer<T>());
            return;
        }
        int depth = g.Depth, outChannels = g.OutChannels, chunk = g.ImagesPerChunk, rows = chunk * g.Pixels;
        T[] dys = dout.Buffer<T>(), ws = filter.Buffer<T>(), dxs = dx.Buffer<T>();
        T[] columns = Scratch<T>.Columns(rows * depth);
        T[] block = chunk == g.Batch ? dys : Scratch<T>.Block(rows * outChannels);
        Array.Clear(dxs);
        for (int first = 0; first < g.Batch; first += chunk)
        {
            int images = Math.Min(chunk, g.Batch - first);
            if (block != dys)
            {
                Array.Copy(dys, first * g.Pixels * outChannels, block, 0, images * g.Pixels * outChannels);
                block.AsSpan(images * g.Pixels * outChannels).Clear();
            }
            // dcolumns (rows × depth) = dout (rows × Cout) · filterᵀ (Cout × depth), then each row added back to dx
            Gemm(block, rows, outChannels, false, ws, depth, outChannels, true, columns, accumulate: false);
            Col2Im<T>(columns, g, first, images, dxs);
        }
    }

    private static void Conv2DBackpropFilter<T>(Tensor x, Tensor dout, Window2D window, Tensor dW) where T : unmanaged, INumber<T>
    {
        var g = SlidingGeometry.Of(x.Shape, dout.Shape, window);
        if (ShallowKernelFor<T>(g) is var kernel and not ShallowKernel.None)
        {
            ConvolveShallow(kernel, ConvPass.FilterGradient, g, x.Buffer<T>(), dout.Buffer<T>(), dW.Buffer<T>());
            return;
        }
        if (ImageGroupsBlas(g) is { } blas)
        {
            RunInImageGroups(blas, ConvPass.FilterGradient, g, x.Buffer<T>(), dout.Buffer<T>(), dW.Buffer<T>());
            return;
        }
        int depth = g.Depth, outChannels = g.OutChannels, chunk = g.ImagesPerChunk, rows = chunk * g.Pixels;
        T[] xs = x.Buffer<T>(), dys = dout.Buffer<T>(), dws = dW.Buffer<T>();
        if (g.Batch == 0) { Array.Clear(dws); return; }
        T[] columns = Scratch<T>.Columns(rows * depth);
        T[] block = chunk == g.Batch ? dys : Scratch<T>.Block(rows * outChannels);
        for (int first = 0; first < g.Batch; first += chunk)
        {
            int images = Math.Min(chunk, g.Batch - first);
            Im2Col<T>(xs, g, first, images, columns);
            columns.AsSpan(images * g.Pixels * depth).Clear();
            if (block != dys)
            {
                Array.Copy(dys, first * g.Pixels * outChannels, block, 0, images * g.Pixels * outChannels);
                block.AsSpan(images * g.Pixels * outChannels).Clear();
            }
            // dW (depth × Cout) += columnsᵀ (depth × rows) · dout (rows × Cout): the sum over the batch
            Gemm(columns, rows, depth, true, block, rows, outChannels, false, dws, accumulate: first > 0);
        }
    }

    /// <summary>
    /// Row-major c (m × n) = op(a) · op(b), or c += that when <paramref name="accumulate"/>, where a is stored as
    /// (aRows × aColumns) and b as (bRows × bColumns). The provider is column-major, so, as in MatMul, it computes
    /// cᵀ = op(b)ᵀ · op(a)ᵀ on the same buffers.
    /// </summary>
    private static void Gemm<T>(T[] a, int aRows, int aColumns, bool transposeA, T[] b, int bRows, int bColumns, bool transposeB,
        T[] c, bool accumulate)
    {
        var provider = LinearAlgebraControl.Provider;
        var ta = transposeA ? BlasTranspose.Transpose : BlasTranspose.DontTranspose;
        var tb = transposeB ? BlasTranspose.Transpose : BlasTranspose.DontTranspose;
        if (typeof(T) == typeof(float))
            provider.MatrixMultiplyWithUpdate(tb, ta, 1f, Unsafe.As<float[]>(b), bColumns, bRows,
                Unsafe.As<float[]>(a), aColumns, aRows, accumulate ? 1f : 0f, Unsafe.As<float[]>(c));
        else
            provider.MatrixMultiplyWithUpdate(tb, ta, 1d, Unsafe.As<double[]>(b), bColumns, bRows,
                Unsafe.As<double[]>(a), aColumns, aRows, accumulate ? 1d : 0d, Unsafe.As<double[]>(c));
    }

    /// <summary>
    /// Copies the window of every output pixel of images [first, first + images) into one row of
    /// <paramref name="columns"/>, zeros where the window hangs over the border. Along a window row the cells
    /// (kw, cin) are contiguous in NHWC, so the part inside the input is one copy.
    /// </summary>
    private static void Im2Col<T>(ReadOnlySpan<T> x, in SlidingGeometry g, int first, int images, Span<T> columns)
    {
        var w = g.Window;
        int channels = g.InChannels, windowRow = w.Width * channels, depth = g.Depth;
        int row = 0;
        for (int n = first; n < first + images; n++)
            for (int i = 0; i < g.OutHeight; i++)
            {
                int top = i * w.StrideHeight - w.PadTop;
                for (int j = 0; j < g.OutWidth; j++, row++)
                {
                    int left = j * w.StrideWidth - w.PadLeft;
                    int from = Math.Max(0, -left), to = Math.Min(w.Width, g.InWidth - left);
                    var windowCells = columns.Slice(row * depth, depth);
                    bool inside = from == 0 && to == w.Width;
                    for (int di = 0; di < w.Height; di++)
                    {
                        var cells = windowCells.Slice(di * windowRow, windowRow);
                        int r = top + di;
                        if (r < 0 || r >= g.InHeight || from >= to) { cells.Clear(); continue; }
                        var source = x.Slice(((n * g.InHeight + r) * g.InWidth + left + from) * channels, (to - from) * channels);
                        if (inside)
                        {
                            // Most windows lie inside the image: one copy per window row, inline when it is as short
                            // as a one-channel image's (a call costs more than five moves).
                            if (cells.Length <= 16) for (int t = 0; t < cells.Length; t++) cells[t] = source[t];
                            else source.CopyTo(cells);
                            continue;
                        }
                        cells[..(from * channels)].Clear();
                        source.CopyTo(cells[(from * channels)..]);
                        cells[(to * channels)..].Clear();
                    }
                }
            }
    }

    /// <summary>The transpose of <see cref="Im2Col"/>: adds every row's cells back into dx where they were read from.</summary>
    private static void Col2Im<T>(ReadOnlySpan<T> columns, in SlidingGeometry g, int first, int images, Span<T> dx) where T : INumber<T>
    {
        var w = g.Window;
        int channels = g.InChannels, windowRow = w.Width * channels, depth = g.Depth;
        int row = 0;
        for (int n = first; n < first + images; n++)
            for (int i = 0; i < g.OutHeight; i++)
            {
                int top = i * w.StrideHeight - w.PadTop;
                for (int j = 0; j < g.OutWidth; j++, row++)
                {
                    int left = j * w.StrideWidth - w.PadLeft;
                    int from = Math.Max(0, -left), to = Math.Min(w.Width, g.InWidth - left);
                    if (from >= to) continue;
                    var windowCells = columns.Slice(row * depth, depth);
                    for (int di = 0; di < w.Height; di++)
                    {
                        int r = top + di;
                        if (r < 0 || r >= g.InHeight) continue;
                        var source = windowCells.Slice(di * windowRow + from * channels, (to - from) * channels);
                        var target = dx.Slice(((n * g.InHeight + r) * g.InWidth + left + from) * channels, (to - from) * channels);
                        TensorPrimitives.Add(target, source, target);
                    }
                }
            }
    }

    /// <inheritdoc/>
    public void MaxPool(Tensor x, Window2D window, Tensor y)
    {
        switch (y.DType)
        {
            case DType.Float32: MaxPool<float>(x, window, y); break;
            case DType.Float64: MaxPool<double>(x, window, y); break;
            default: throw Unsupported("MaxPool", y.DType);
        }
    }

    /// <inheritdoc/>
    public void MaxPoolGrad(Tensor x, Tensor dout, Window2D window, Tensor dx)
    {
        switch (dx.DType)
        {
            case DType.Float32: MaxPoolGrad<float>(x, dout, window, dx); break;
            case DType.Float64: MaxPoolGrad<double>(x, dout, window, dx); break;
            default: throw Unsupported("MaxPoolGrad", dx.DType);
        }
    }

    /// <inheritdoc/>
    public void MaxPoolGradGrad(Tensor x, Tensor d, Window2D window, Tensor y)
    {
        switch (y.DType)
        {
            case DType.Float32: RouteThroughMaxima<float>(x, d, window, y, toMaxima: false); break;
            case DType.Float64: RouteThroughMaxima<double>(x, d, window, y, toMaxima: false); break;
            default: throw Unsupported("MaxPoolGradGrad", y.DType);
        }
    }

    /// <inheritdoc/>
    public void AvgPool(Tensor x, Window2D window, Tensor y)
    {
        switch (y.DType)
        {
            case DType.Float32: AvgPool<float>(x, window, y); break;
            case DType.Float64: AvgPool<double>(x, window, y); break;
            default: throw Unsupported("AvgPool", y.DType);
        }
    }

    /// <inheritdoc/>
    public void AvgPoolGrad(Tensor dout, Window2D window, Tensor dx)
    {
        switch (dx.DType)
        {
            case DType.Float32: AvgPoolGrad<float>(dout, window, dx); break;
            case DType.Float64: AvgPoolGrad<double>(dout, window, dx); break;
            default: throw Unsupported("AvgPoolGrad", dx.DType);
        }
    }

    /// <summary>
    /// Runs a pooling job over the batch's images, in <see cref="ImageGroups"/> groups that the two cores take in turn
    /// when the input is large enough to pay for waking the second (CpuParallel's threshold for elementwise work).
    /// </summary>
    private static void RunOverImages<TJob>(in TJob job, int batch, int inputSize) where TJob : struct, IRangeJob
    {
        if (batch == 0) return;
        if (inputSize >= CpuParallel.MinimumLength) CpuParallel.RunChunks(job, batch, ImagesPerGroup(batch));
        else job.Run(0, batch);
    }

    private static int ImagesPerGroup(int batch) => (batch + ImageGroups - 1) / ImageGroups;

    private static void MaxPool<T>(Tensor x, Window2D window, Tensor y) where T : struct, INumber<T>
    {
        var g = SlidingGeometry.Of(x.Shape, y.Shape, window);
        if (MaxPoolFastPaths) RunOverImages(new MaxPoolOnVectorsJob<T>(g, x.Buffer<T>(), y.Buffer<T>()), g.Batch, x.Size);
        else RunOverImages(new MaxPoolJob<T>(g, x.Buffer<T>(), y.Buffer<T>()), g.Batch, x.Size);
    }

    private static void MaxPoolGrad<T>(Tensor x, Tensor dout, Window2D window, Tensor dx) where T : struct, INumber<T>
    {
        var g = SlidingGeometry.Of(x.Shape, dout.Shape, window);
        if (MaxPoolFastPaths && g.WindowsAreDisjoint)
            RunOverImages(new RouteToDisjointMaximaJob<T>(g, x.Buffer<T>(), dout.Buffer<T>(), dx.Buffer<T>()), g.Batch, x.Size);
        else RouteThroughMaxima<T>(x, dout, window, dx, toMaxima: true);
    }

    /// <summary>Each output pixel's channels at once: the first cell of the window copied, the others folded in by Max.</summary>
    private readonly struct MaxPoolJob<T>(SlidingGeometry g, T[] x, T[] y) : IRangeJob where T : INumber<T>
    {
        public void Run(int start, int end)
        {
            ReadOnlySpan<T> xs = x;
            Span<T> ys = y;
            int channels = g.InChannels;
            for (int n = start; n < end; n++)
                for (int i = 0; i < g.OutHeight; i++)
                    for (int j = 0; j < g.OutWidth; j++)
                    {
                        var target = ys.Slice(g.OutputOffset(n, i, j), channels);
                        bool first = true;
                        foreach (int at in g.CellsUnder(n, i, j))
                        {
                            var cell = xs.Slice(at, channels);
                            if (first) cell.CopyTo(target);
                            else TensorPrimitives.Max(target, cell, target);
                            first = false;
                        }
                    }
        }
    }

    /// <summary>
    /// Finds, channel by channel, the first maximum of every window of x; then either adds dout there
    /// (<paramref name="toMaxima"/>: MaxPoolGrad, into an x-shaped result) or reads d from there (MaxPoolGradGrad,
    /// into a pooled-shaped result). MaxPoolGrad comes here when windows overlap, or with the fast paths switched off.
    /// </summary>
    private static void RouteThroughMaxima<T>(Tensor x, Tensor values, Window2D window, Tensor result, bool toMaxima)
        where T : struct, INumber<T>
    {
        var pooledShape = toMaxima ? values.Shape : result.Shape;
        var g = SlidingGeometry.Of(x.Shape, pooledShape, window);
        // Which cell of its window holds each channel's maximum, one row of channels for each group of images.
        int[] winners = Scratch<int>.ChannelRows(ImageGroups * g.InChannels);
        RunOverImages(new RouteThroughMaximaJob<T>(g, x.Buffer<T>(), values.Buffer<T>(), result.Buffer<T>(), toMaxima, winners, ImagesPerGroup(g.Batch)),
            g.Batch, x.Size);
    }

    /// <summary>
    /// <see cref="RouteThroughMaxima{T}"/> over images [start, end). The search runs on SIMD vectors of channels
    /// without branches (a compare and two selects per cell), which is what keeps it fast when the maxima fall at random.
    /// </summary>
    private readonly struct RouteThroughMaximaJob<T>(SlidingGeometry g, T[] x, T[] values, T[] result, bool toMaxima, int[] winners, int perGroup)
        : IRangeJob where T : struct, INumber<T>
    {
        public void Run(int start, int end)
        {
            ReadOnlySpan<T> xs = x, vs = values;
            Span<T> rs = result;
            int channels = g.InChannels, lanes = Vector<T>.Count;
            Span<int> winner = winners.AsSpan(start / perGroup * channels, channels);
            // Each window's cell offsets, listed once: WindowCells' indexer divides, which the search would do per vector.
            int windowCells = g.Window.Height * g.Window.Width;
            Span<int> offsets = windowCells <= 256 ? stackalloc int[256] : new int[windowCells];
            if (toMaxima)
            {
                int imageSize = g.InHeight * g.InWidth * channels;
                rs.Slice(start * imageSize, (end - start) * imageSize).Clear();
            }
            for (int n = start; n < end; n++)
                for (int i = 0; i < g.OutHeight; i++)
                    for (int j = 0; j < g.OutWidth; j++)
                    {
                        int count = g.OffsetsUnder(n, i, j, offsets);
                        var cells = offsets[..count];
                        int k = 0;
                        for (; k + lanes <= channels; k += lanes)
                        {
                            var best = new Vector<T>(xs.Slice(cells[0] + k));
                            var bestCell = Vector<T>.Zero;
                            for (int cell = 1; cell < count; cell++)
                            {
                                var v = new Vector<T>(xs.Slice(cells[cell] + k));
                                // Strictly greater: the first maximum keeps the gradient when values tie.
                                var greater = Vector.GreaterThan(v, best);
                                best = Vector.ConditionalSelect(greater, v, best);
                                bestCell = Vector.ConditionalSelect(greater, new Vector<T>(T.CreateTruncating(cell)), bestCell);
                            }
                            for (int lane = 0; lane < lanes; lane++) winner[k + lane] = int.CreateTruncating(bestCell[lane]);
                        }
                        for (; k < channels; k++)
                        {
                            T best = xs[cells[0] + k];
                            winner[k] = 0;
                            for (int cell = 1; cell < count; cell++)
                            {
                                T v = xs[cells[cell] + k];
                                if (v > best) { best = v; winner[k] = cell; }
                            }
                        }
                        int pooled = g.OutputOffset(n, i, j);
                        for (k = 0; k < channels; k++)
                        {
                            int at = cells[winner[k]] + k;
                            if (toMaxima) rs[at] += vs[pooled + k];
                            else rs[pooled + k] = vs[at];
                        }
                    }
        }
    }

    private static void AvgPool<T>(Tensor x, Window2D window, Tensor y) where T : INumber<T>
    {
        var g = SlidingGeometry.Of(x.Shape, y.Shape, window);
        ReadOnlySpan<T> xs = x.ReadOnlySpan<T>();
        Span<T> ys = y.Span<T>();
        int channels = g.InChannels;
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
                for (int j = 0; j < g.OutWidth; j++)
                {
                    var target = ys.Slice(g.OutputOffset(n, i, j), channels);
                    var cells = g.CellsUnder(n, i, j);
                    target.Clear();
                    foreach (int at in cells) TensorPrimitives.Add(target, xs.Slice(at, channels), target);
                    TensorPrimitives.Divide(target, T.CreateChecked(cells.Count), target);
                }
    }

    private static void AvgPoolGrad<T>(Tensor dout, Window2D window, Tensor dx) where T : INumber<T>
    {
        var g = SlidingGeometry.Of(dx.Shape, dout.Shape, window);
        ReadOnlySpan<T> dys = dout.ReadOnlySpan<T>();
        Span<T> dxs = dx.Span<T>();
        int channels = g.InChannels;
        Span<T> share = Scratch<T>.Channels(channels);
        dxs.Clear();
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutHeight; i++)
                for (int j = 0; j < g.OutWidth; j++)
                {
                    var cells = g.CellsUnder(n, i, j);
                    TensorPrimitives.Divide(dys.Slice(g.OutputOffset(n, i, j), channels), T.CreateChecked(cells.Count), share);
                    foreach (int at in cells)
                    {
                        var cell = dxs.Slice(at, channels);
                        TensorPrimitives.Add(cell, share, cell);
                    }
                }
    }

    /// <summary>The sizes of a window slid over an NHWC input (N, H, W, Cin) into an output (N, OH, OW, Cout).</summary>
    private readonly record struct SlidingGeometry(
        Window2D Window, int Batch, int InHeight, int InWidth, int InChannels, int OutHeight, int OutWidth, int OutChannels)
    {
        public static SlidingGeometry Of(Shape input, Shape output, Window2D window) =>
            new(window, input[0], input[1], input[2], input[3], output[1], output[2], output[3]);

        /// <summary>Output pixels per image.</summary>
        public int Pixels => OutHeight * OutWidth;

        /// <summary>Cells in one window across all input channels: a row of the im2col matrix.</summary>
        public int Depth => Window.Height * Window.Width * InChannels;

        /// <summary>
        /// Images per chunk: the whole batch when its columns fit in <see cref="ColumnsBudget"/>, else the batch split
        /// into the fewest chunks that fit, evenly, so the last chunk is nearly full.
        /// </summary>
        public int ImagesPerChunk
        {
            get
            {
                int most = Math.Max(1, ColumnsBudget / Math.Max(1, Pixels * Depth));
                if (Batch <= most) return Batch;
                int chunks = (Batch + most - 1) / most;
                return (Batch + chunks - 1) / chunks;
            }
        }

        public int InputOffset(int n, int row, int column) => ((n * InHeight + row) * InWidth + column) * InChannels;

        public int OutputOffset(int n, int i, int j) => ((n * OutHeight + i) * OutWidth + j) * OutChannels;

        /// <summary>Whether no input cell lies under two windows: the stride is at least the window's size along both axes.</summary>
        public bool WindowsAreDisjoint => Window.StrideHeight >= Window.Height && Window.StrideWidth >= Window.Width;

        /// <summary>
        /// Whether disjoint windows also leave no cell out: they follow each other without gaps (the stride is the
        /// window's size), from the first row and column on (padding comes before them), past the last row and column.
        /// </summary>
        public bool DisjointWindowsCoverInput =>
            Window.StrideHeight == Window.Height && Window.StrideWidth == Window.Width
            && OutHeight * Window.StrideHeight - Window.PadTop >= InHeight && OutWidth * Window.StrideWidth - Window.PadLeft >= InWidth;

        /// <summary>Writes the offsets of <see cref="CellsUnder"/>'s cells, in its order, into <paramref name="offsets"/>; returns how many.</summary>
        public int OffsetsUnder(int n, int i, int j, Span<int> offsets)
        {
            int count = 0;
            foreach (int at in CellsUnder(n, i, j)) offsets[count++] = at;
            return count;
        }

        /// <summary>
        /// Writes where each cell of a whole window lies from the window's first cell, row by row as
        /// <see cref="CellsUnder"/> lists them, into <paramref name="relative"/>; for <see cref="OffsetsUnder(int, int, int, Span{int}, ReadOnlySpan{int})"/>.
        /// </summary>
        public void WholeWindowOffsets(Span<int> relative)
        {
            int cell = 0;
            for (int di = 0; di < Window.Height; di++)
                for (int dj = 0; dj < Window.Width; dj++) relative[cell++] = (di * InWidth + dj) * InChannels;
        }

        /// <summary>
        /// <see cref="OffsetsUnder(int, int, int, Span{int})"/>, with a window that lies wholly inside the input (most
        /// of them) written from <paramref name="relative"/> (<see cref="WholeWindowOffsets"/>): pooling a small window
        /// spends as long on finding its cells as on its few vectors of channels.
        /// </summary>
        public int OffsetsUnder(int n, int i, int j, Span<int> offsets, ReadOnlySpan<int> relative)
        {
            if (!WholeWindowAt(n, i, j, out int first)) return OffsetsUnder(n, i, j, offsets);
            for (int cell = 0; cell < relative.Length; cell++) offsets[cell] = first + relative[cell];
            return relative.Length;
        }

        /// <summary>Whether the window of output pixel (i, j) of image n lies wholly inside the input; if so, where its first cell is.</summary>
        public bool WholeWindowAt(int n, int i, int j, out int first)
        {
            int top = i * Window.StrideHeight - Window.PadTop, left = j * Window.StrideWidth - Window.PadLeft;
            bool whole = top >= 0 && left >= 0 && top + Window.Height <= InHeight && left + Window.Width <= InWidth;
            first = whole ? InputOffset(n, top, left) : -1;
            return whole;
        }

        /// <summary>The input cells under the window of output pixel (i, j) of image n, padding left out.</summary>
        public WindowCells CellsUnder(int n, int i, int j)
        {
            int top = i * Window.StrideHeight - Window.PadTop, left = j * Window.StrideWidth - Window.PadLeft;
            int rowFrom = Math.Max(0, top), columnFrom = Math.Max(0, left);
            int rows = Math.Min(InHeight, top + Window.Height) - rowFrom, columns = Math.Min(InWidth, left + Window.Width) - columnFrom;
            return rows > 0 && columns > 0
                ? new WindowCells(InputOffset(n, rowFrom, columnFrom), rows, columns, InWidth * InChannels, InChannels)
                : default;
        }
    }

    /// <summary>
    /// The cells of one window that lie inside the input, row by row, as the offsets where each cell's channels
    /// begin: the pooling loops' one piece of bounds arithmetic. A struct with a struct enumerator, so walking a
    /// window allocates nothing; the indexer finds a cell by its number, as the max-pool gradient records it.
    /// </summary>
    private readonly struct WindowCells(int first, int rows, int columns, int rowStride, int cellStride)
    {
        public int Count => rows * columns;

        public int this[int cell] => first + cell / columns * rowStride + cell % columns * cellStride;

        public Enumerator GetEnumerator() => new(first, rows, columns, rowStride, cellStride);

        public struct Enumerator(int first, int rows, int columns, int rowStride, int cellStride)
        {
            private int _row, _column = -1;

            public readonly int Current => first + _row * rowStride + _column * cellStride;

            public bool MoveNext()
            {
                if (++_column == columns)
                {
                    _column = 0;
                    _row++;
                }
                return _row < rows;
            }
        }
    }

    /// <summary>
    /// Working memory that stays with the thread, so a training step in its steady state allocates nothing: im2col
    /// matrices (<see cref="Columns"/>) and blocks of rows the GEMM reads or writes when a batch goes in chunks
    /// (<see cref="Block"/>), each of exactly the length asked for, as the GEMM wants; and rows of channels for
    /// pooling (<see cref="Channels"/>), which only grow.
    /// </summary>
    private static class Scratch<T>
    {
        [ThreadStatic] private static RecentArrays<T>? t_columns;
        [ThreadStatic] private static RecentArrays<T>? t_blocks;
        [ThreadStatic] private static T[]? t_channels;

        public static T[] Columns(int length) => (t_columns ??= new()).Get(length);

        public static T[] Block(int length) => (t_blocks ??= new()).Get(length);

        public static Span<T> Channels(int length) => ChannelRows(length).AsSpan(0, length);

        /// <summary>The array behind <see cref="Channels"/>, at least <paramref name="length"/> long, for a job that splits it by rows.</summary>
        public static T[] ChannelRows(int length) => t_channels is { } a && a.Length >= length ? a : t_channels = new T[length];
    }

    /// <summary>
    /// The last few arrays handed out, by exact length, most recent first. A few cover a network's layers and the
    /// batch sizes of training and evaluation; a new length beyond that lets the oldest go.
    /// </summary>
    private sealed class RecentArrays<T>
    {
        private readonly T[][] _arrays = new T[6][];
        private int _count;

        public T[] Get(int length)
        {
            int found = -1;
            for (int i = 0; i < _count && found < 0; i++)
                if (_arrays[i].Length == length) found = i;
            T[] array;
            if (found >= 0) array = _arrays[found];
            else
            {
                array = new T[length];
                found = _count < _arrays.Length ? _count++ : _arrays.Length - 1;
            }
            Array.Copy(_arrays, 0, _arrays, 1, found);
            _arrays[0] = array;
            return array;
        }
    }
}
