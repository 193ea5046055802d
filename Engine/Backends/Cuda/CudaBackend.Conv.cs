using System.Runtime.InteropServices;

namespace GraphDL.Backends.Cuda;

// Kernels/conv.cu and Kernels/pool.cu. The convolutions are implicit GEMMs on sgemm.cu's tiles (see
// CudaBackend.MatMul.cs for the tile and split choices): the forward pass over (output pixels x Cout), the input
// gradient over (input pixels x Cin) one stride phase per grid z, the filter gradient over (KH*KW*Cin x Cout)
// with the output pixels as its reduction, split when that leaves too few tiles. Pooling runs a thread per
// element of its result, the gradients gathering rather than scattering, so nothing needs atomics.
public sealed partial class CudaBackend
{
    /// <summary>conv_window of conv.cu and pool_window of pool.cu, field for field.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct ConvWindow
    {
        public readonly int Batch, Height, Width, InChannels;
        public readonly int OutHeight, OutWidth, OutChannels;
        public readonly int KernelHeight, KernelWidth;
        public readonly int StrideHeight, StrideWidth;
        public readonly int PadTop, PadLeft;

        /// <summary>
        /// The geometry of <paramref name="window"/> slid over <paramref name="input"/> (N, H, W, Cin) into
        /// <paramref name="output"/> (N, OH, OW, Cout); the kernels index by these sizes, so they are checked here.
        /// </summary>
        public ConvWindow(string primitive, Shape input, Shape output, Window2D window)
        {
            if (input.Rank != 4 || output.Rank != 4 || input[0] != output[0])
                throw new ShapeException($"{primitive} slides a window from an NHWC tensor into another of the same batch, got {input} and {output}.");
            if (window.Height < 1 || window.Width < 1 || window.StrideHeight < 1 || window.StrideWidth < 1)
                throw new ShapeException($"{primitive} needs a window and strides of at least 1, got {window}.");
            (Batch, Height, Width, InChannels) = (input[0], input[1], input[2], input[3]);
            (OutHeight, OutWidth, OutChannels) = (output[1], output[2], output[3]);
            (KernelHeight, KernelWidth, StrideHeight, StrideWidth) = (window.Height, window.Width, window.StrideHeight, window.StrideWidth);
            (PadTop, PadLeft) = (window.PadTop, window.PadLeft);
        }

        /// <summary>The output pixels of the batch: the rows of the forward product.</summary>
        public int OutPixels => Batch * OutHeight * OutWidth;

        /// <summary>KH * KW * Cin: the filter's rows as a matrix.</summary>
        public int Depth => KernelHeight * KernelWidth * InChannels;

        public void RequireFilter(string primitive, Shape filter)
        {
            if (filter.Rank != 4 || filter[0] != KernelHeight || filter[1] != KernelWidth || filter[2] != InChannels || filter[3] != OutChannels)
                throw new ShapeException(
                    $"{primitive} with a {KernelHeight}x{KernelWidth} window from {InChannels} to {OutChannels} channels needs a filter of shape ({KernelHeight}, {KernelWidth}, {InChannels}, {OutChannels}), got {filter}.");
        }

        public void RequireSameChannels(string primitive)
        {
            if (InChannels != OutChannels)
                throw new ShapeException($"{primitive} keeps the channels, but goes from {InChannels} to {OutChannels}.");
        }
    }

    /// <inheritdoc/>
    public void Conv2D(Tensor x, Tensor filter, Window2D window, Tensor y)
    {
        RequireFloat32("Conv2D", x, filter, y);
        var g = new ConvWindow("Conv2D", x.Shape, y.Shape, window);
        g.RequireFilter("Conv2D", filter.Shape);
        if (y.Size == 0) return;
        bool narrow = g.OutChannels <= NarrowGemm;
        int vec = Float4Flag(Ptr(x), g.InChannels) | Float4Flag(Ptr(filter), g.OutChannels) << 1 | Float4Flag(Ptr(y), g.OutChannels) << 2;
        Launch(narrow ? "conv2d_n64_f32" : "conv2d_f32", GemmGrid("Conv2D", g.OutPixels, g.OutChannels, narrow, 1), GemmBlock(narrow),
            Ptr(x), Ptr(filter), Ptr(y), g, vec);
    }

    /// <inheritdoc/>
    public void Conv2DBackpropInput(Tensor dout, Tensor filter, Window2D window, Tensor dx)
    {
        RequireFloat32("Conv2DBackpropInput", dout, filter, dx);
        var g = new ConvWindow("Conv2DBackpropInput", dx.Shape, dout.Shape, window);
        g.RequireFilter("Conv2DBackpropInput", filter.Shape);
        if (dx.Size == 0) return;
        // One grid z per stride phase; the grid's x fits phase (0, 0), which has the most pixels.
        int phases = g.StrideHeight * g.StrideWidth;
        int phaseRows = g.Batch * TilesOf(g.Height, g.StrideHeight) * TilesOf(g.Width, g.StrideWidth);
        bool narrow = g.InChannels <= NarrowGemm;
        // dout and filter share the float4 switch: both are read four output channels at a time.
        int vec = Float4Flag(Ptr(dout), g.OutChannels) & Float4Flag(Ptr(filter), g.OutChannels) | Float4Flag(Ptr(dx), g.InChannels) << 2;
        Launch(narrow ? "conv2d_backprop_input_n64_f32" : "conv2d_backprop_input_f32",
            GemmGrid("Conv2DBackpropInput", phaseRows, g.InChannels, narrow, phases), GemmBlock(narrow), Ptr(dout), Ptr(filter), Ptr(dx), g, vec);
    }

    /// <inheritdoc/>
    public void Conv2DBackpropFilter(Tensor x, Tensor dout, Window2D window, Tensor dW)
    {
        RequireFloat32("Conv2DBackpropFilter", x, dout, dW);
        var g = new ConvWindow("Conv2DBackpropFilter", x.Shape, dout.Shape, window);
        g.RequireFilter("Conv2DBackpropFilter", dW.Shape);
        if (dW.Size == 0) return;
        bool narrow = g.OutChannels <= NarrowGemm;
        string kernel = narrow ? "conv2d_backprop_filter_n64_f32" : "conv2d_backprop_filter_f32";
        int vec = Float4Flag(Ptr(x), g.InChannels) | Float4Flag(Ptr(dout), g.OutChannels) << 1;
        var (slices, chunk) = SplitReduction(GemmTiles(g.Depth, g.OutChannels, narrow), GemmThreads(narrow), g.OutPixels, dW.Size);
        var grid = GemmGrid("Conv2DBackpropFilter", g.Depth, g.OutChannels, narrow, slices);
        if (slices == 1)
        {
            Launch(kernel, grid, GemmBlock(narrow), Ptr(x), Ptr(dout), Ptr(dW), g, chunk, vec | Float4Flag(Ptr(dW), g.OutChannels) << 2);
            return;
        }
        lock (_scratchLock)
        {
            var partials = Scratch((long)slices * dW.Size * sizeof(float));
            Launch(kernel, grid, GemmBlock(narrow), Ptr(x), Ptr(dout), partials, g, chunk, vec | Float4Flag(partials, g.OutChannels) << 2);
            SumSlices(partials, slices, dW);
        }
    }

    /// <inheritdoc/>
    public void MaxPool(Tensor x, Window2D window, Tensor y)
    {
        var g = Pooling("MaxPool", x, y, window);
        if (y.Size == 0) return;
        Launch("max_pool_f32", BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), g);
    }

    /// <inheritdoc/>
    public void MaxPoolGrad(Tensor x, Tensor dout, Window2D window, Tensor dx)
    {
        RequireFloat32("MaxPoolGrad", dx);
        var g = Pooling("MaxPoolGrad", x, dout, window);
        RequirePoolShape("MaxPoolGrad", dx, x.Shape);
        if (dx.Size == 0) return;
        Launch("max_pool_grad_f32", BlocksFor(dx.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(dout), Ptr(dx), g);
    }

    /// <inheritdoc/>
    public void MaxPoolGradGrad(Tensor x, Tensor d, Window2D window, Tensor y)
    {
        RequireFloat32("MaxPoolGradGrad", d);
        var g = Pooling("MaxPoolGradGrad", x, y, window);
        RequirePoolShape("MaxPoolGradGrad", d, x.Shape);
        if (y.Size == 0) return;
        Launch("max_pool_grad_grad_f32", BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(d), Ptr(y), g);
    }

    /// <inheritdoc/>
    public void AvgPool(Tensor x, Window2D window, Tensor y)
    {
        var g = Pooling("AvgPool", x, y, window);
        if (y.Size == 0) return;
        Launch("avg_pool_f32", BlocksFor(y.Size), new Dim3(ThreadsPerBlock), Ptr(x), Ptr(y), g);
    }

    /// <inheritdoc/>
    public void AvgPoolGrad(Tensor dout, Window2D window, Tensor dx)
    {
        var g = Pooling("AvgPoolGrad", dx, dout, window);
        if (dx.Size == 0) return;
        Launch("avg_pool_grad_f32", BlocksFor(dx.Size), new Dim3(ThreadsPerBlock), Ptr(dout), Ptr(dx), g);
    }

    /// <summary>The geometry of a pooling from <paramref name="input"/> into <paramref name="pooled"/>, both Float32 NHWC with the same channels.</summary>
    private static ConvWindow Pooling(string primitive, Tensor input, Tensor pooled, Window2D window)
    {
        RequireFloat32(primitive, input, pooled);
        var g = new ConvWindow(primitive, input.Shape, pooled.Shape, window);
        g.RequireSameChannels(primitive);
        return g;
    }

    private static void RequirePoolShape(string primitive, Tensor t, Shape shape)
    {
        if (t.Shape != shape) throw new ShapeException($"{primitive} needs a tensor of shape {shape}, got {t.Shape}.");
    }
}
