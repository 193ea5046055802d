using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// Convolutions whose windows are shallow (a first layer: one to a few input channels under a small filter), computed
/// directly instead of through im2col and a BLAS product. With one input channel, im2col copies 25 floats per output
/// pixel of a 5x5 filter into a columns matrix only 25 wide, for a product 16 wide that the BLAS runs at a fraction of
/// its speed. Here each output pixel's channels are SIMD vectors, and the window's cells add into them directly: cell
/// times the filter's row for that cell (HWIO keeps a cell's output channels side by side), eight pixels at a time so
/// that each filter row loaded serves eight of them. The filter gradient turns this around: eight filter cells at a
/// time sum input cell times dout over the pixels. Windows that hang over the border read a copy of the image with its
/// zeros around it, so the loops have no edges to test. The kernels are written once over the vector they compute with:
/// 512 bits where the machine has them (16 floats, MnistCnn's 16 filters in one vector), else <see cref="Vector{T}"/>.
/// On the two-core AMD EPYC this was measured on, the 512-bit kernels took about half the time of the 256-bit ones
/// (MnistCnn's first layer, batch 100, process CPU time: 0.67 against 1.30 ms forward, 0.62 against 1.23 ms filter
/// gradient; <c>Bench --conv-shallow-ab</c>'s two tables, one after the other in one process).
/// The batch is cut into the same <see cref="ImageGroups"/> groups as the im2col path, which the cores take in turn,
/// and the filter gradient's per-group sums are added in group order: the bits do not depend on which core ran what.
/// The sums run in another order than the BLAS's, so the two paths agree within float rounding, not bit for bit.
/// </summary>
public sealed partial class CpuBackend
{
    /// <summary>
    /// Whether shallow convolutions take this path (the default) or im2col's; for tests and <c>Bench
    /// --conv-shallow-ab</c>, which compare the two in one process. Not to be changed while a session runs.
    /// </summary>
    internal static bool ConvolveShallowDirectly = true;

    /// <summary>Where the direct path stops paying; <c>Bench --conv-shallow-ab</c> lifts them to time it past them.</summary>
    internal static ShallowLimits ShallowLimit = ShallowLimits.Measured;

    /// <summary>
    /// The most vector multiply-adds per output pixel (window cells × vectors of output channels) for which the direct
    /// path takes a convolution, for each width of vector it may compute with. Measured with <c>Bench --conv-shallow-ab
    /// 15</c> (batch 100, SAME, float32; process CPU time per call, im2col's over the direct path's, forward and filter
    /// gradient; two-core AMD EPYC with AVX-512, MKL, load average about 3). On 512-bit vectors the direct path was
    /// 1.2-4.7x faster up to 400 (MnistCnn's first layer, 5x5x1x16, 25: 3.3 and 4.3; 5x5x16x16, 400: 1.6 and 1.8;
    /// 5x5x8x32 on 14x14 images, 2 x 200: 1.2 and 1.1), even at 288 (3x3x16x32 on 14x14: 1.09 and 0.99), slower past
    /// it (MnistCnn's second layer, 800: 1.06 and 0.88; 3x3x32x64, 1,152: 0.91 and 0.81). On <see cref="Vector{T}"/>'s
    /// 256 bits it was 1.2-6.3x faster up to 200 (5x5x4x16: 1.24 and 1.31; 5x5x8x8: 1.9 and 2.0), even at 200-300
    /// (5x5x1x64: 1.16 and 0.94; 5x5x6x16: 1.04 and 1.03), slower past that (3x3x8x32 on 14x14, 288: 0.85 and 0.77;
    /// 5x5x16x16, 800: 0.89 and 0.92). Those 256-bit figures are the same machine's with its AVX-512 left unused; a
    /// machine without AVX-512 may place its limit elsewhere.
    /// </summary>
    internal readonly record struct ShallowLimits(int OnVectorT, int OnVector512)
    {
        public static ShallowLimits Measured => new(OnVectorT: 200, OnVector512: 400);

        public static ShallowLimits Lifted => new(int.MaxValue, int.MaxValue);
    }

    /// <summary>
    /// Floating-point operations from which the images are shared between the two cores: about 40 us of one core's work
    /// at the kernels' 90-110 GFLOP/s here, as long as the elementwise work from which CpuParallel measured that waking
    /// the second core pays.
    /// </summary>
    private const long ShallowSplitFlops = 4_000_000;

    /// <summary>
    /// Pixels (forward) or filter cells (filter gradient) one pass of the inner loop carries, each in its own SIMD
    /// accumulator: eight, with the operand they share and a broadcast, fill 10 of the 16 vector registers.
    /// </summary>
    private const int ShallowBlock = 8;

    /// <summary>Which of this file's kernels a convolution takes, if any.</summary>
    private enum ShallowKernel { None, OnVectorT, OnVector512 }

    /// <summary>
    /// The kernel for this convolution: the 512-bit one when the machine has such vectors and the output fills one,
    /// else <see cref="Vector{T}"/>'s when the output fills one of those (fewer channels would leave most of each
    /// vector's lanes idle); none past <see cref="ShallowLimit"/>, where im2col runs.
    /// </summary>
    private static ShallowKernel ShallowKernelFor<T>(in SlidingGeometry g) where T : struct
    {
        if (!ConvolveShallowDirectly || g.Batch == 0 || g.Pixels == 0) return ShallowKernel.None;
        if (ShallowUsesVector512 && Vector512.IsHardwareAccelerated && g.OutChannels >= Vector512<T>.Count)
            return MultiplyAddsPerPixel(g, Vector512<T>.Count) <= ShallowLimit.OnVector512 ? ShallowKernel.OnVector512 : ShallowKernel.None;
        return Vector.IsHardwareAccelerated && g.OutChannels >= Vector<T>.Count
            && MultiplyAddsPerPixel(g, Vector<T>.Count) <= ShallowLimit.OnVectorT
                ? ShallowKernel.OnVectorT
                : ShallowKernel.None;
    }

    /// <summary>The vector multiply-adds that make one output pixel: one per window cell and vector of output channels.</summary>
    private static long MultiplyAddsPerPixel(in SlidingGeometry g, int lanes) => (long)g.Depth * ((g.OutChannels + lanes - 1) / lanes);

    /// <summary>Whether a convolution of these shapes and dtype takes the direct path; for tests.</summary>
    internal static bool ConvolvesShallowDirectly(Shape input, Shape output, Window2D window, DType dtype)
    {
        var g = SlidingGeometry.Of(input, output, window);
        return dtype switch
        {
            DType.Float32 => ShallowKernelFor<float>(g) != ShallowKernel.None,
            DType.Float64 => ShallowKernelFor<double>(g) != ShallowKernel.None,
            _ => false,
        };
    }

    /// <summary>
    /// Whether the direct path computes with 512-bit vectors (<see cref="Vector512{T}"/>) where the machine has them and
    /// the output has a vector's worth of channels (16 floats, 8 doubles), rather than <see cref="Vector{T}"/>'s 256
    /// bits. For tests, which run the <see cref="Vector{T}"/> kernels on such a machine too, and for <c>Bench</c>.
    /// </summary>
    internal static bool ShallowUsesVector512 = true;

    private static void ConvolveShallow<T>(ShallowKernel kernel, ConvPass pass, in SlidingGeometry g, T[] input, T[] second, T[] result)
        where T : unmanaged, INumber<T>
    {
        if (kernel == ShallowKernel.OnVector512) ConvolveShallow<T, Vector512<T>, Lanes512<T>>(pass, g, input, second, result);
        else ConvolveShallow<T, Vector<T>, LanesOfVector<T>>(pass, g, input, second, result);
    }

    private static void ConvolveShallow<T, TVector, TLanes>(ConvPass pass, in SlidingGeometry g, T[] input, T[] second, T[] result)
        where T : unmanaged, INumber<T>
        where TVector : struct
        where TLanes : struct, IShallowLanes<T, TVector>
    {
        var images = ShallowImages.Of(g);
        int perGroup = ImagesPerGroup(g.Batch), groups = (g.Batch + perGroup - 1) / perGroup;
        T[] bordered = images.Bordered ? Scratch<T>.Columns(groups * images.ImageSize) : [];
        // The first group's filter gradient goes straight into dW; the others' into partial sums added after.
        int partialLength = g.Depth * g.OutChannels;
        T[] partials = pass == ConvPass.FilterGradient && groups > 1 ? Scratch<T>.Block((groups - 1) * partialLength) : [];
        var job = new ShallowConvJob<T, TVector, TLanes>(pass, g, images, perGroup, input, second, result, bordered, partials);
        long flops = 2L * g.Batch * g.Pixels * g.Depth * g.OutChannels;
        if (flops >= ShallowSplitFlops) CpuParallel.RunChunks(job, g.Batch, perGroup);
        else
            for (int first = 0; first < g.Batch; first += perGroup) job.Run(first, Math.Min(g.Batch, first + perGroup));
        if (pass == ConvPass.FilterGradient) AddGroupSums(result, partials, groups, partialLength);
    }

    /// <summary>
    /// The SIMD vector a shallow kernel computes with, as static members so that the kernels are written once for
    /// <see cref="Vector{T}"/> and <see cref="Vector512{T}"/> and compiled for each with the calls inlined.
    /// </summary>
    private unsafe interface IShallowLanes<T, TVector> where T : unmanaged
    {
        static abstract int Count { get; }

        static abstract TVector Load(T* source);

        static abstract void Store(TVector value, T* destination);

        /// <summary>sum + x · w, with *x in every lane.</summary>
        static abstract TVector MultiplyAdd(TVector sum, T* x, TVector w);

        /// <summary>Adds the lanes of <paramref name="value"/> from <paramref name="firstLane"/> on into the vector at <paramref name="destination"/>.</summary>
        static abstract void AddFromLane(TVector value, nint firstLane, T* destination);
    }

    private readonly unsafe struct LanesOfVector<T> : IShallowLanes<T, Vector<T>> where T : unmanaged, INumber<T>
    {
        public static int Count => Vector<T>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<T> Load(T* source) => Vector.Load(source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector<T> value, T* destination) => value.Store(destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<T> MultiplyAdd(Vector<T> sum, T* x, Vector<T> w) => sum + new Vector<T>(*x) * w;

        public static void AddFromLane(Vector<T> value, nint firstLane, T* destination)
        {
            var lanes = Vector.GreaterThanOrEqual(Vector<T>.Indices, new Vector<T>(T.CreateTruncating(firstLane)));
            (Vector.Load(destination) + (value & lanes)).Store(destination);
        }
    }

    private readonly unsafe struct Lanes512<T> : IShallowLanes<T, Vector512<T>> where T : unmanaged, INumber<T>
    {
        public static int Count => Vector512<T>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Load(T* source) => Vector512.Load(source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<T> value, T* destination) => value.Store(destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> MultiplyAdd(Vector512<T> sum, T* x, Vector512<T> w) => sum + Vector512.Create(*x) * w;

        public static void AddFromLane(Vector512<T> value, nint firstLane, T* destination)
        {
            var lanes = Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(firstLane)));
            (Vector512.Load(destination) + (value & lanes)).Store(destination);
        }
    }

    /// <summary>
    /// Where the direct path reads an image: x itself when every window lies inside it, else a copy with the
    /// padding's zeros around it, exactly as large as the windows reach: (OH - 1)·SH + KH rows of (OW - 1)·SW + KW
    /// cells, the input's row r at row r + PadTop and its column c at column c + PadLeft.
    /// </summary>
    private readonly record struct ShallowImages(bool Bordered, int Height, int Width, int Channels)
    {
        public static ShallowImages Of(in SlidingGeometry g)
        {
            var w = g.Window;
            int height = (g.OutHeight - 1) * w.StrideHeight + w.Height, width = (g.OutWidth - 1) * w.StrideWidth + w.Width;
            bool bordered = w.PadTop > 0 || w.PadLeft > 0 || height > g.InHeight || width > g.InWidth;
            return bordered ? new(true, height, width, g.InChannels) : new(false, g.InHeight, g.InWidth, g.InChannels);
        }

        public int RowLength => Width * Channels;

        public int ImageSize => Height * RowLength;
    }

    /// <summary>
    /// One pass of a shallow convolution over one group of images, [start, end) of the batch: <c>Input</c> is x,
    /// <c>Second</c> the filter (forward) or dout (filter gradient), <c>Result</c> y or dW.
    /// </summary>
    private readonly struct ShallowConvJob<T, TVector, TLanes>(ConvPass pass, SlidingGeometry g, ShallowImages images, int perGroup,
        T[] input, T[] second, T[] result, T[] bordered, T[] partials) : IRangeJob
        where T : unmanaged, INumber<T>
        where TVector : struct
        where TLanes : struct, IShallowLanes<T, TVector>
    {
        public unsafe void Run(int start, int end)
        {
            int group = start / perGroup, depth = g.Depth, outChannels = g.OutChannels;
            fixed (T* x = input, other = second, results = result, borders = bordered, sums = partials)
            {
                // The group's bordered image: its borders are cleared once and stay zero, each image filling the middle.
                T* border = borders + (long)group * images.ImageSize;
                if (images.Bordered) new Span<T>(border, images.ImageSize).Clear();
                T* sum = group == 0 ? results : sums + (long)(group - 1) * depth * outChannels;
                if (pass == ConvPass.FilterGradient) new Span<T>(sum, depth * outChannels).Clear();
                long inputSize = (long)g.InHeight * g.InWidth * g.InChannels, outputSize = (long)g.Pixels * outChannels;
                for (int n = start; n < end; n++)
                {
                    T* image = x + n * inputSize;
                    if (images.Bordered)
                    {
                        CopyIntoBorder(image, border);
                        image = border;
                    }
                    if (pass == ConvPass.Forward) Forward(image, other, results + n * outputSize);
                    else AddFilterGradient(image, other + n * outputSize, sum);
                }
            }
        }

        private unsafe void CopyIntoBorder(T* image, T* border)
        {
            var w = g.Window;
            int rows = Math.Min(g.InHeight, images.Height - w.PadTop), cells = Math.Min(g.InWidth, images.Width - w.PadLeft);
            if (rows <= 0 || cells <= 0) return;
            int rowLength = g.InWidth * g.InChannels, length = cells * g.InChannels;
            for (int r = 0; r < rows; r++)
                new ReadOnlySpan<T>(image + (long)r * rowLength, length).CopyTo(
                    new Span<T>(border + (long)(r + w.PadTop) * images.RowLength + w.PadLeft * g.InChannels, length));
        }

        /// <summary>
        /// One image's output, eight pixels at a time: y[pixel, k..] = Σ over the window's cells x[cell] · W[cell, k..].
        /// The last block repeats the image's last pixel where it runs short, and the last vector of channels ends at
        /// the last channel, overlapping the one before when the count is not a multiple of the vector's: a pixel or a
        /// channel computed twice is computed the same way twice, so writing it twice does no harm.
        /// </summary>
        private unsafe void Forward(T* image, T* filter, T* y)
        {
            // Loop bounds and steps as native-sized locals: fields read through `this` and ints widened to addresses
            // on every pass cost the inner loops an instruction or two each, beside eight multiply-adds.
            var w = g.Window;
            int lanes = TLanes.Count, pixels = g.Pixels, outWidth = g.OutWidth, filterHeight = w.Height;
            nint outChannels = g.OutChannels, windowRow = w.Width * g.InChannels, rowLength = images.RowLength;
            nint pixelStep = w.StrideWidth * g.InChannels, rowStep = w.StrideHeight * rowLength;
            nint* at = stackalloc nint[ShallowBlock];     // where each pixel's window begins in the image
            T** target = stackalloc T*[ShallowBlock];     // where its output channels go
            // The output row and column of pixel `first`, stepped along rather than divided out (eight divisions a
            // block cost as much as a fifth of a 5x5 window's multiply-adds).
            int row = 0, column = 0;
            for (int first = 0; first < pixels; first += ShallowBlock)
            {
                for (int p = 0; p < ShallowBlock; p++)
                {
                    if (first + p >= pixels)
                    {
                        at[p] = at[p - 1];
                        target[p] = target[p - 1];
                        continue;
                    }
                    at[p] = row * rowStep + column * pixelStep;
                    target[p] = y + (first + p) * outChannels;
                    if (++column == outWidth)
                    {
                        column = 0;
                        row++;
                    }
                }
                nint a0 = at[0], a1 = at[1], a2 = at[2], a3 = at[3], a4 = at[4], a5 = at[5], a6 = at[6], a7 = at[7];
                for (nint k = 0; ; k += lanes)
                {
                    k = Math.Min(k, outChannels - lanes);
                    TVector y0 = default, y1 = default, y2 = default, y3 = default, y4 = default, y5 = default, y6 = default, y7 = default;
                    T* weights = filter + k;
                    for (int di = 0; di < filterHeight; di++)
                    {
                        T* cell = image + di * rowLength, rowEnd = cell + windowRow;
                        for (; cell < rowEnd; cell++, weights += outChannels)
                        {
                            var weight = TLanes.Load(weights);
                            y0 = TLanes.MultiplyAdd(y0, cell + a0, weight);
                            y1 = TLanes.MultiplyAdd(y1, cell + a1, weight);
                            y2 = TLanes.MultiplyAdd(y2, cell + a2, weight);
                            y3 = TLanes.MultiplyAdd(y3, cell + a3, weight);
                            y4 = TLanes.MultiplyAdd(y4, cell + a4, weight);
                            y5 = TLanes.MultiplyAdd(y5, cell + a5, weight);
                            y6 = TLanes.MultiplyAdd(y6, cell + a6, weight);
                            y7 = TLanes.MultiplyAdd(y7, cell + a7, weight);
                        }
                    }
                    TLanes.Store(y0, target[0] + k);
                    TLanes.Store(y1, target[1] + k);
                    TLanes.Store(y2, target[2] + k);
                    TLanes.Store(y3, target[3] + k);
                    TLanes.Store(y4, target[4] + k);
                    TLanes.Store(y5, target[5] + k);
                    TLanes.Store(y6, target[6] + k);
                    TLanes.Store(y7, target[7] + k);
                    if (k + lanes == outChannels) break;
                }
            }
        }

        /// <summary>
        /// Adds one image's share of the filter gradient to <paramref name="sum"/>, eight filter cells at a time:
        /// dW[cell, k..] += Σ over the pixels x[the pixel's window at cell] · dout[pixel, k..]. The last block of cells
        /// repeats the last cell where it runs short, and only the cells it owns are added; the last vector of channels
        /// ends at the last channel, and adds only the lanes the vectors before it did not.
        /// </summary>
        private unsafe void AddFilterGradient(T* image, T* dout, T* sum)
        {
            var w = g.Window;
            int lanes = TLanes.Count, depth = g.Depth, outHeight = g.OutHeight;
            nint outChannels = g.OutChannels, windowRow = w.Width * g.InChannels, rowLength = images.RowLength;
            nint pixelStep = w.StrideWidth * g.InChannels, rowStep = w.StrideHeight * rowLength, rowOfWindows = g.OutWidth * pixelStep;
            nint* at = stackalloc nint[ShallowBlock];     // where each filter cell lies in a window
            for (int first = 0; first < depth; first += ShallowBlock)
            {
                int count = Math.Min(ShallowBlock, depth - first);
                for (int p = 0; p < ShallowBlock; p++)
                {
                    int cell = first + Math.Min(p, count - 1);
                    at[p] = cell / windowRow * rowLength + cell % windowRow;
                }
                nint a0 = at[0], a1 = at[1], a2 = at[2], a3 = at[3], a4 = at[4], a5 = at[5], a6 = at[6], a7 = at[7];
                for (nint k = 0, done = 0; ; k += lanes)
                {
                    k = Math.Min(k, outChannels - lanes);
                    TVector d0 = default, d1 = default, d2 = default, d3 = default, d4 = default, d5 = default, d6 = default, d7 = default;
                    T* gradient = dout + k;
                    for (int i = 0; i < outHeight; i++)
                    {
                        T* window = image + i * rowStep, rowEnd = window + rowOfWindows;
                        for (; window < rowEnd; window += pixelStep, gradient += outChannels)
                        {
                            var dy = TLanes.Load(gradient);
                            d0 = TLanes.MultiplyAdd(d0, window + a0, dy);
                            d1 = TLanes.MultiplyAdd(d1, window + a1, dy);
                            d2 = TLanes.MultiplyAdd(d2, window + a2, dy);
                            d3 = TLanes.MultiplyAdd(d3, window + a3, dy);
                            d4 = TLanes.MultiplyAdd(d4, window + a4, dy);
                            d5 = TLanes.MultiplyAdd(d5, window + a5, dy);
                            d6 = TLanes.MultiplyAdd(d6, window + a6, dy);
                            d7 = TLanes.MultiplyAdd(d7, window + a7, dy);
                        }
                    }
                    // Lanes below `done - k` belong to the vector before, which overlaps this one.
                    nint fresh = done - k;
                    T* target = sum + first * outChannels + k;
                    TLanes.AddFromLane(d0, fresh, target);
                    if (count > 1) TLanes.AddFromLane(d1, fresh, target + outChannels);
                    if (count > 2) TLanes.AddFromLane(d2, fresh, target + 2 * outChannels);
                    if (count > 3) TLanes.AddFromLane(d3, fresh, target + 3 * outChannels);
                    if (count > 4) TLanes.AddFromLane(d4, fresh, target + 4 * outChannels);
                    if (count > 5) TLanes.AddFromLane(d5, fresh, target + 5 * outChannels);
                    if (count > 6) TLanes.AddFromLane(d6, fresh, target + 6 * outChannels);
                    if (count > 7) TLanes.AddFromLane(d7, fresh, target + 7 * outChannels);
                    done = k + lanes;
                    if (done == outChannels) break;
                }
            }
        }
    }
}
