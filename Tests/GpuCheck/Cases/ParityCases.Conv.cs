namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    /// <summary>
    /// Conv2D and its two gradients, then the pools, on small odd images. The convolutions cover strides 1, 2
    /// and 3 (one wider than the filter, so that the input gradient has stride phases without taps and pixels
    /// no window reads), SAME, VALID and explicit padding, 1x1, 3x3 and 5x3 filters, 1, 3 and 5 channels (scalar
    /// gathers), multiples of 4 (float4 gathers), channel counts past 64 (the 128-wide tiles), and filter
    /// gradients whose reduction over the batch's pixels is long enough to be split into slices. Max pooling
    /// runs on inputs with many ties, where the first maximum in scan order must win and take the gradient, and
    /// on negative inputs, where a padded cell that counted as 0 would win.
    /// </summary>
    public static IEnumerable<ParityCase> Conv()
    {
        const string family = "Conv";
        (int N, int H, int W, int Cin, int KH, int KW, int SH, int SW, Padding Padding, int Cout, string Note)[] convs =
        [
            (2, 7, 9, 3, 3, 3, 1, 1, Padding.Same, 5, "3x3 stride 1 SAME"),
            (2, 7, 9, 5, 3, 3, 2, 2, Padding.Same, 3, "3x3 stride 2 SAME"),
            (3, 8, 7, 1, 3, 3, 2, 2, Padding.Valid, 1, "3x3 stride 2 VALID, one channel"),
            (2, 9, 10, 3, 5, 3, 3, 3, Padding.Same, 5, "5x3 stride 3 SAME, wider than the filter"),
            (2, 7, 9, 5, 1, 1, 2, 2, Padding.Valid, 3, "1x1 stride 2 VALID, skipped pixels"),
            (2, 5, 6, 1, 1, 1, 1, 1, Padding.Same, 5, "1x1 stride 1 SAME"),
            (2, 9, 8, 5, 5, 3, 1, 2, Padding.Valid, 1, "5x3 strides 1, 2 VALID"),
            (2, 6, 7, 3, 3, 3, 1, 3, Padding.Explicit(2, 0, 1, 3), 3, "3x3 strides 1, 3, explicit padding (2, 0, 1, 3)"),
            (2, 7, 9, 8, 3, 3, 1, 1, Padding.Same, 12, "3x3 stride 1 SAME, float4 channels"),
            (2, 7, 8, 4, 3, 3, 2, 2, Padding.Same, 72, "3x3 stride 2 SAME, Cout 72"),
            (1, 5, 6, 68, 3, 3, 1, 1, Padding.Same, 8, "3x3 stride 1 SAME, Cin 68"),
            (3, 16, 15, 3, 3, 3, 1, 1, Padding.Same, 5, "3x3 stride 1 SAME, 720 pixels"),
            (2, 16, 16, 8, 3, 3, 1, 1, Padding.Same, 8, "3x3 stride 1 SAME, float4 channels, 512 pixels"),
        ];
        int seed = 100;
        foreach (var c in convs)
        {
            var xShape = new Shape(c.N, c.H, c.W, c.Cin);
            var (window, outHeight, outWidth) = Window2D.Over(xShape, c.KH, c.KW, c.SH, c.SW, c.Padding, "filter");
            var yShape = new Shape(c.N, outHeight, outWidth, c.Cout);
            var filterShape = new Shape(c.KH, c.KW, c.Cin, c.Cout);
            var x = Kit.Random(xShape, seed++);
            var filter = Kit.Random(filterShape, seed++);
            var dout = Kit.Random(yShape, seed++);
            string what = $"{c.N}x{c.H}x{c.W}x{c.Cin} to {c.Cout}, {c.Note}";
            // Each product's reduction: the filter's cells, the taps of one stride phase (at most the filter's
            // cells) times Cout, and the batch's output pixels.
            int forwardDepth = c.KH * c.KW * c.Cin, inputDepth = c.KH * c.KW * c.Cout, filterDepth = c.N * outHeight * outWidth;
            yield return new(family, $"Conv2D {what}", be =>
            {
                var y = Kit.Out(be, yShape);
                be.Conv2D(Kit.On(be, x), Kit.On(be, filter), window, y);
                return [y];
            }, ReductionTolerance(forwardDepth));
            yield return new(family, $"Conv2DBackpropInput {what}", be =>
            {
                var dx = Kit.Out(be, xShape);
                be.Conv2DBackpropInput(Kit.On(be, dout), Kit.On(be, filter), window, dx);
                return [dx];
            }, ReductionTolerance(inputDepth));
            yield return new(family, $"Conv2DBackpropFilter {what}", be =>
            {
                var dW = Kit.Out(be, filterShape);
                be.Conv2DBackpropFilter(Kit.On(be, x), Kit.On(be, dout), window, dW);
                return [dW];
            }, ReductionTolerance(filterDepth));
        }

        (int N, int H, int W, int C, int KH, int KW, int SH, int SW, Padding Padding, string Note)[] pools =
        [
            (2, 7, 9, 3, 2, 2, 2, 2, Padding.Valid, "2x2 stride 2 VALID"),
            (2, 7, 8, 5, 3, 3, 2, 2, Padding.Same, "3x3 stride 2 SAME"),
            (2, 6, 7, 3, 3, 3, 1, 1, Padding.Same, "3x3 stride 1 SAME"),
            (1, 5, 9, 2, 2, 3, 3, 2, Padding.Same, "2x3 strides 3, 2 SAME"),
        ];
        foreach (var p in pools)
        {
            var xShape = new Shape(p.N, p.H, p.W, p.C);
            var (window, outHeight, outWidth) = Window2D.Over(xShape, p.KH, p.KW, p.SH, p.SW, p.Padding, "pooling window");
            var yShape = new Shape(p.N, outHeight, outWidth, p.C);
            string what = $"{p.N}x{p.H}x{p.W}x{p.C}, {p.Note}";
            var dout = Kit.Random(yShape, seed++);
            var d = Kit.Random(xShape, seed++);
            foreach (var (x, inputs) in new[]
                     {
                         (Kit.Random(xShape, seed++), "random"),
                         (SmallInts(xShape, seed++, 3), "ties"),
                         (Kit.Random(xShape, seed++, -2, -1), "negative"),
                     })
            {
                yield return new(family, $"MaxPool {what}, {inputs}", be =>
                {
                    var y = Kit.Out(be, yShape);
                    be.MaxPool(Kit.On(be, x), window, y);
                    return [y];
                });
                yield return new(family, $"MaxPoolGrad {what}, {inputs}", be =>
                {
                    var dx = Kit.Out(be, xShape);
                    be.MaxPoolGrad(Kit.On(be, x), Kit.On(be, dout), window, dx);
                    return [dx];
                });
                yield return new(family, $"MaxPoolGradGrad {what}, {inputs}", be =>
                {
                    var y = Kit.Out(be, yShape);
                    be.MaxPoolGradGrad(Kit.On(be, x), Kit.On(be, d), window, y);
                    return [y];
                });
            }
            var xAvg = Kit.Random(xShape, seed++);
            yield return new(family, $"AvgPool {what}", be =>
            {
                var y = Kit.Out(be, yShape);
                be.AvgPool(Kit.On(be, xAvg), window, y);
                return [y];
            });
            yield return new(family, $"AvgPoolGrad {what}", be =>
            {
                var dx = Kit.Out(be, xShape);
                be.AvgPoolGrad(Kit.On(be, dout), window, dx);
                return [dx];
            });
        }
    }

    /// <summary>Float32 integers in [0, distinct): few values, so that windows hold tied maxima.</summary>
    private static Tensor SmallInts(Shape shape, int seed, int distinct)
    {
        var ints = Kit.RandomInts(shape, seed, 0, distinct).Span<int>();
        var t = new Tensor(shape);
        var values = t.Span<float>();
        for (int i = 0; i < values.Length; i++) values[i] = ints[i];
        return t;
    }
}
