using System.Numerics;
using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// Max pooling's fast paths, on SIMD vectors of the channels that NHWC keeps side by side. The forward pass folds
/// each window's cells into a vector of maxima with no call per cell. The gradient, when no input cell lies under two
/// windows (a stride at least as large as the window, as in a CNN's 2x2/2 pooling), writes every cell of dx once:
/// dout where the cell is its window's first maximum, zero elsewhere, chosen by a vector select. The general loops
/// (CpuBackend.Conv.cs) clear dx first and add dout in cell by cell, which overlapping windows need. Both paths give
/// the same bits. Vectors are loaded and stored without a bounds check each, after one check that the tensors hold
/// the whole geometry; a window inside the input finds its cells from a table of offsets, and a 2x2 one, the common
/// case, has its own written-out routine: with 2x2 windows of 16 or 32 channels, finding the cells, checking indices
/// and looping over four cells otherwise cost as much as the arithmetic.
/// </summary>
public sealed partial class CpuBackend
{
    /// <summary>
    /// Whether max pooling takes the vector paths in this file (the default) or the general loops; for the tests that
    /// compare them bit for bit and for a benchmark that times both in one process. Not to be changed while a session runs.
    /// </summary>
    internal static bool MaxPoolFastPaths = true;

    /// <summary>Each output pixel's channels a vector at a time: the window's first cell loaded, the others folded in by Max.</summary>
    /// <remarks>
    /// Vector.Max, T.Max and the general path's TensorPrimitives.Max agree on every input, NaN (which wins) and
    /// signed zeros (+0 above -0) included, so the paths agree bit for bit.
    /// </remarks>
    private readonly struct MaxPoolOnVectorsJob<T>(SlidingGeometry g, T[] x, T[] y) : IRangeJob where T : struct, INumber<T>
    {
        public void Run(int start, int end)
        {
            RequireWholeTensors(g, x, y);
            ReadOnlySpan<T> xs = x;
            Span<T> ys = y;
            ref T x0 = ref MemoryMarshal.GetArrayDataReference(x);
            ref T y0 = ref MemoryMarshal.GetArrayDataReference(y);
            int channels = g.InChannels, lanes = Vector<T>.Count;
            int windowCells = g.Window.Height * g.Window.Width;
            Span<int> offsets = windowCells <= 256 ? stackalloc int[256] : new int[windowCells];
            Span<int> relative = windowCells <= 256 ? stackalloc int[256] : new int[windowCells];
            relative = relative[..windowCells];
            g.WholeWindowOffsets(relative);
            bool twoByTwo = IsTwoByTwo<T>(g);
            int down = g.InWidth * channels;
            for (int n = start; n < end; n++)
                for (int i = 0; i < g.OutHeight; i++)
                    for (int j = 0; j < g.OutWidth; j++)
                    {
                        int pooled = g.OutputOffset(n, i, j);
                        if (twoByTwo && g.WholeWindowAt(n, i, j, out int first))
                        {
                            MaxOfTwoByTwo(ref x0, ref y0, first, down, pooled, channels);
                            continue;
                        }
                        var cells = offsets[..g.OffsetsUnder(n, i, j, offsets, relative)];
                        if (cells.IsEmpty) continue;
                        if (channels < lanes)
                        {
                            for (int k = 0; k < channels; k++)
                            {
                                T best = xs[cells[0] + k];
                                for (int cell = 1; cell < cells.Length; cell++) best = T.Max(best, xs[cells[cell] + k]);
                                ys[pooled + k] = best;
                            }
                            continue;
                        }
                        for (int k = 0; k < channels; k += lanes)
                        {
                            // The last vector ends at the last channel, overlapping the one before when the channels are
                            // not a multiple of the width: it writes the same maxima again, and no scalar tail is needed.
                            int at = Math.Min(k, channels - lanes);
                            var best = Vector.LoadUnsafe(ref x0, (nuint)(cells[0] + at));
                            for (int cell = 1; cell < cells.Length; cell++) best = Vector.Max(best, Vector.LoadUnsafe(ref x0, (nuint)(cells[cell] + at)));
                            best.StoreUnsafe(ref y0, (nuint)(pooled + at));
                        }
                    }
        }
    }

    /// <summary>
    /// Whether the jobs take their written-out 2x2 routines for windows inside the input: the window of nearly every
    /// CNN's pooling. Timed in turns against the loop over the table of cells (MnistCnn's poolings, caches warm, 2-core
    /// AMD EPYC at load 7-8, medians of 21): MaxPool 283 -> 166 and 103 -> 66 us, MaxPoolGrad 370 -> 256 and
    /// 131 -> 89 us. Channels narrower than a vector take the loop's element-by-element code.
    /// </summary>
    private static bool IsTwoByTwo<T>(in SlidingGeometry g) => g.Window.Height == 2 && g.Window.Width == 2 && g.InChannels >= Vector<T>.Count;

    /// <summary>The forward loop for a whole 2x2 window, written out: the four cells folded by Max in the loop's order.</summary>
    private static void MaxOfTwoByTwo<T>(ref T x0, ref T y0, int first, int down, int pooled, int channels) where T : struct, INumber<T>
    {
        for (int k = 0; k < channels; k += Vector<T>.Count)
        {
            int at = Math.Min(k, channels - Vector<T>.Count);
            nuint a = (nuint)(first + at), c = a + (nuint)down;
            var best = Vector.Max(Vector.LoadUnsafe(ref x0, a), Vector.LoadUnsafe(ref x0, a + (nuint)channels));
            best = Vector.Max(best, Vector.LoadUnsafe(ref x0, c));
            best = Vector.Max(best, Vector.LoadUnsafe(ref x0, c + (nuint)channels));
            best.StoreUnsafe(ref y0, (nuint)(pooled + at));
        }
    }

    /// <summary>
    /// Checks once that x and the pooled tensor hold the whole geometry, so that the jobs can load and store vectors
    /// without a bounds check each: every offset they form lies inside an image of x or a pooled image.
    /// </summary>
    private static void RequireWholeTensors<T>(in SlidingGeometry g, T[] x, T[] pooled)
    {
        long inputs = (long)g.Batch * g.InHeight * g.InWidth * g.InChannels, outputs = (long)g.Batch * g.OutHeight * g.OutWidth * g.OutChannels;
        if (x.Length < inputs || pooled.Length < outputs || g.OutChannels != g.InChannels)
            throw new ArgumentException($"Pooling {g} needs {inputs} inputs and {outputs} outputs of as many channels; got {x.Length} and {pooled.Length}.");
    }

    /// <summary>
    /// MaxPoolGrad over images [start, end) when no cell lies under two windows: every cell of dx is written exactly
    /// once, by its window or, for a cell under none (a gap between windows, a remainder VALID padding drops), as zero.
    /// The search is the general path's, strictly greater (the window's first maximum in cell order keeps the gradient).
    /// </summary>
    private readonly struct RouteToDisjointMaximaJob<T>(SlidingGeometry g, T[] x, T[] dout, T[] dx) : IRangeJob
        where T : struct, INumber<T>
    {
        public void Run(int start, int end)
        {
            RequireWholeTensors(g, x, dout);
            if (dx.Length < x.Length) throw new ArgumentException($"dx holds {dx.Length} elements, x {x.Length}.", nameof(dx));
            ReadOnlySpan<T> xs = x, dys = dout;
            Span<T> dxs = dx;
            ref T x0 = ref MemoryMarshal.GetArrayDataReference(x);
            ref T dout0 = ref MemoryMarshal.GetArrayDataReference(dout);
            ref T dx0 = ref MemoryMarshal.GetArrayDataReference(dx);
            int channels = g.InChannels, lanes = Vector<T>.Count;
            int windowCells = g.Window.Height * g.Window.Width;
            Span<int> offsets = windowCells <= 256 ? stackalloc int[256] : new int[windowCells];
            Span<int> relative = windowCells <= 256 ? stackalloc int[256] : new int[windowCells];
            relative = relative[..windowCells];
            g.WholeWindowOffsets(relative);
            bool tiled = g.DisjointWindowsCoverInput, twoByTwo = IsTwoByTwo<T>(g);
            int down = g.InWidth * channels;
            for (int n = start; n < end; n++)
            {
                if (!tiled) ClearCellsUnderNoWindow(g, dxs, n);
                for (int i = 0; i < g.OutHeight; i++)
                    for (int j = 0; j < g.OutWidth; j++)
                    {
                        int pooled = g.OutputOffset(n, i, j);
                        if (twoByTwo && g.WholeWindowAt(n, i, j, out int first))
                        {
                            RouteTwoByTwo(ref x0, ref dout0, ref dx0, first, down, pooled, channels);
                            continue;
                        }
                        var cells = offsets[..g.OffsetsUnder(n, i, j, offsets, relative)];
                        if (cells.IsEmpty) continue;
                        if (channels < lanes)
                        {
                            for (int k = 0; k < channels; k++) RouteOneChannel(xs, dys, dxs, cells, pooled, k);
                            continue;
                        }
                        for (int k = 0; k < channels; k += lanes)
                        {
                            // As in the forward pass, a last vector overlapping the one before writes the same values again.
                            int at = Math.Min(k, channels - lanes);
                            var best = Vector.LoadUnsafe(ref x0, (nuint)(cells[0] + at));
                            // Cell numbers counted in T itself, exact far beyond any window (2^24 cells in float32).
                            Vector<T> bestCell = Vector<T>.Zero, cellNumber = Vector<T>.Zero;
                            for (int cell = 1; cell < cells.Length; cell++)
                            {
                                cellNumber += Vector<T>.One;
                                var v = Vector.LoadUnsafe(ref x0, (nuint)(cells[cell] + at));
                                var greater = Vector.GreaterThan(v, best);
                                best = Vector.ConditionalSelect(greater, v, best);
                                bestCell = Vector.ConditionalSelect(greater, cellNumber, bestCell);
                            }
                            // The general path adds dout to a cleared dx, and 0 + (-0) is +0: adding zero here keeps the bits equal.
                            var routed = Vector.LoadUnsafe(ref dout0, (nuint)(pooled + at)) + Vector<T>.Zero;
                            cellNumber = Vector<T>.Zero;
                            for (int cell = 0; cell < cells.Length; cell++, cellNumber += Vector<T>.One)
                            {
                                var won = Vector.Equals(bestCell, cellNumber);
                                Vector.ConditionalSelect(won, routed, Vector<T>.Zero).StoreUnsafe(ref dx0, (nuint)(cells[cell] + at));
                            }
                        }
                    }
            }
        }

        /// <summary>
        /// The loop above for a whole 2x2 window, written out: its cells are first, first + channels, first + down and
        /// first + down + channels, searched and written in that order, with the same compares and selects.
        /// </summary>
        private static void RouteTwoByTwo(ref T x0, ref T dout0, ref T dx0, int first, int down, int pooled, int channels)
        {
            Vector<T> zero = Vector<T>.Zero, one = Vector<T>.One, two = one + one, three = two + one;
            for (int k = 0; k < channels; k += Vector<T>.Count)
            {
                int at = Math.Min(k, channels - Vector<T>.Count);
                nuint a = (nuint)(first + at), b = a + (nuint)channels, c = a + (nuint)down, d = c + (nuint)channels;
                var best = Vector.LoadUnsafe(ref x0, a);
                var v = Vector.LoadUnsafe(ref x0, b);
                var greater = Vector.GreaterThan(v, best);
                best = Vector.ConditionalSelect(greater, v, best);
                var bestCell = Vector.ConditionalSelect(greater, one, zero);
                v = Vector.LoadUnsafe(ref x0, c);
                greater = Vector.GreaterThan(v, best);
                best = Vector.ConditionalSelect(greater, v, best);
                bestCell = Vector.ConditionalSelect(greater, two, bestCell);
                v = Vector.LoadUnsafe(ref x0, d);
                bestCell = Vector.ConditionalSelect(Vector.GreaterThan(v, best), three, bestCell);
                var routed = Vector.LoadUnsafe(ref dout0, (nuint)(pooled + at)) + zero;
                Vector.ConditionalSelect(Vector.Equals(bestCell, zero), routed, zero).StoreUnsafe(ref dx0, a);
                Vector.ConditionalSelect(Vector.Equals(bestCell, one), routed, zero).StoreUnsafe(ref dx0, b);
                Vector.ConditionalSelect(Vector.Equals(bestCell, two), routed, zero).StoreUnsafe(ref dx0, c);
                Vector.ConditionalSelect(Vector.Equals(bestCell, three), routed, zero).StoreUnsafe(ref dx0, d);
            }
        }

        private static void RouteOneChannel(ReadOnlySpan<T> xs, ReadOnlySpan<T> dys, Span<T> dxs, ReadOnlySpan<int> cells, int pooled, int k)
        {
            T best = xs[cells[0] + k];
            int winner = 0;
            for (int cell = 1; cell < cells.Length; cell++)
            {
                T v = xs[cells[cell] + k];
                if (v > best) { best = v; winner = cell; }
            }
            T routed = dys[pooled + k] + T.Zero;
            for (int cell = 0; cell < cells.Length; cell++) dxs[cells[cell] + k] = cell == winner ? routed : T.Zero;
        }

        /// <summary>Zeros the cells of image n that no window reaches: the windows' own cells are written by the job.</summary>
        private static void ClearCellsUnderNoWindow(in SlidingGeometry g, Span<T> dxs, int n)
        {
            var w = g.Window;
            int channels = g.InChannels, rowLength = g.InWidth * channels;
            for (int r = 0; r < g.InHeight; r++)
            {
                var row = dxs.Slice(g.InputOffset(n, r, 0), rowLength);
                if (!UnderADisjointWindow(r, w.Height, w.StrideHeight, w.PadTop, g.OutHeight))
                {
                    row.Clear();
                    continue;
                }
                for (int c = 0; c < g.InWidth; c++)
                    if (!UnderADisjointWindow(c, w.Width, w.StrideWidth, w.PadLeft, g.OutWidth)) row.Slice(c * channels, channels).Clear();
            }
        }

        /// <summary>
        /// Whether row or column <paramref name="index"/> lies under a window along one axis; with a stride at least the
        /// window's size the only window that can hold it is the one its padded position falls in.
        /// </summary>
        private static bool UnderADisjointWindow(int index, int size, int stride, int padBefore, int windows)
        {
            int padded = index + padBefore;
            return padded / stride < windows && padded % stride < size;
        }
    }
}
