using GraphDL.Backends.Cpu;
using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// Conv2D, MaxPool and AvgPool against direct loops written from TF's definitions (the gradients are checked
/// numerically in the op catalogue), the slides' worked examples, shape inference and its errors, and the
/// steady-state allocation of a CNN training step.
/// </summary>
public class ConvTests
{
    // ---- Reference implementations: the definitions, loop by loop, in double. ----

    /// <summary>A padding for the references, described independently of the engine's Padding.</summary>
    public sealed record Pad(string Kind, int Top = 0, int Bottom = 0, int Left = 0, int Right = 0)
    {
        public static Pad Valid => new("valid");
        public static Pad Same => new("same");

        public Padding ToEngine() => Kind switch
        {
            "valid" => Padding.Valid,
            "same" => Padding.Same,
            _ => Padding.Explicit(Top, Bottom, Left, Right),
        };

        /// <summary>TF's documented sizes: VALID ceil((in - k + 1) / s), SAME ceil(in / s) with the odd zero at the end.</summary>
        public (int Out, int Before) Along(int input, int window, int stride, bool vertical)
        {
            switch (Kind)
            {
                case "valid":
                    return ((int)Math.Ceiling((input - window + 1) / (double)stride), 0);
                case "same":
                    int output = (int)Math.Ceiling(input / (double)stride);
                    return (output, Math.Max((output - 1) * stride + window - input, 0) / 2);
                default:
                    int before = vertical ? Top : Left, after = vertical ? Bottom : Right;
                    return ((int)Math.Floor((input + before + after - window) / (double)stride) + 1, before);
            }
        }

        public override string ToString() => Kind == "explicit" ? $"explicit({Top},{Bottom},{Left},{Right})" : Kind;
    }

    internal static double[,,,] NaiveConv2D(double[,,,] x, double[,,,] w, int sh, int sw, Pad pad)
    {
        int n = x.GetLength(0), h = x.GetLength(1), wd = x.GetLength(2), cin = x.GetLength(3);
        int kh = w.GetLength(0), kw = w.GetLength(1), cout = w.GetLength(3);
        var (oh, top) = pad.Along(h, kh, sh, vertical: true);
        var (ow, left) = pad.Along(wd, kw, sw, vertical: false);
        var y = new double[n, oh, ow, cout];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int k = 0; k < cout; k++)
                    {
                        double sum = 0;
                        for (int di = 0; di < kh; di++)
                            for (int dj = 0; dj < kw; dj++)
                            {
                                int r = i * sh + di - top, c = j * sw + dj - left;
                                if (r < 0 || r >= h || c < 0 || c >= wd) continue;   // a padded zero
                                for (int ci = 0; ci < cin; ci++) sum += x[b, r, c, ci] * w[di, dj, ci, k];
                            }
                        y[b, i, j, k] = sum;
                    }
        return y;
    }

    /// <summary>d/dx and d/dW of Σ conv(x, W)·dy, by the chain rule on the definition.</summary>
    internal static (double[,,,] Dx, double[,,,] Dw) NaiveConv2DGradients(double[,,,] x, double[,,,] w, double[,,,] dy, int sh, int sw, Pad pad)
    {
        int n = x.GetLength(0), h = x.GetLength(1), wd = x.GetLength(2), cin = x.GetLength(3);
        int kh = w.GetLength(0), kw = w.GetLength(1), cout = w.GetLength(3);
        var (oh, top) = pad.Along(h, kh, sh, vertical: true);
        var (ow, left) = pad.Along(wd, kw, sw, vertical: false);
        var dx = new double[n, h, wd, cin];
        var dw = new double[kh, kw, cin, cout];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int k = 0; k < cout; k++)
                        for (int di = 0; di < kh; di++)
                            for (int dj = 0; dj < kw; dj++)
                            {
                                int r = i * sh + di - top, c = j * sw + dj - left;
                                if (r < 0 || r >= h || c < 0 || c >= wd) continue;
                                for (int ci = 0; ci < cin; ci++)
                                {
                                    dx[b, r, c, ci] += dy[b, i, j, k] * w[di, dj, ci, k];
                                    dw[di, dj, ci, k] += dy[b, i, j, k] * x[b, r, c, ci];
                                }
                            }
        return (dx, dw);
    }

    internal static double[,,,] NaivePool(double[,,,] x, int ph, int pw, int sh, int sw, Pad pad, bool max)
    {
        int n = x.GetLength(0), h = x.GetLength(1), wd = x.GetLength(2), ch = x.GetLength(3);
        var (oh, top) = pad.Along(h, ph, sh, vertical: true);
        var (ow, left) = pad.Along(wd, pw, sw, vertical: false);
        var y = new double[n, oh, ow, ch];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int k = 0; k < ch; k++)
                    {
                        var cells = new List<double>();
                        for (int di = 0; di < ph; di++)
                            for (int dj = 0; dj < pw; dj++)
                            {
                                int r = i * sh + di - top, c = j * sw + dj - left;
                                if (r >= 0 && r < h && c >= 0 && c < wd) cells.Add(x[b, r, c, k]);
                            }
                        y[b, i, j, k] = max ? cells.Max() : cells.Average();
                    }
        return y;
    }

    internal static double[,,,] Random4(int a, int b, int c, int d, int seed)
    {
        var random = new Random(seed);
        var t = new double[a, b, c, d];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
                for (int k = 0; k < c; k++)
                    for (int l = 0; l < d; l++)
                        t[i, j, k, l] = random.NextDouble() * 2 - 1;
        return t;
    }

    private static int[] DimsOf(Array a) => Enumerable.Range(0, a.Rank).Select(a.GetLength).ToArray();

    internal static double[] Flat(double[,,,] a) => a.Cast<double>().ToArray();

    internal static Tensor AsTensor(double[,,,] a, DType dtype)
    {
        var t = Tensor.FromArray(a);
        if (dtype == DType.Float64) return t;
        return Tensor.FromFlat(Flat(a).Select(v => (float)v).ToArray(), t.Shape);
    }

    /// <summary>Every element within 1e-6 of the largest expected magnitude: what float32 rounding leaves of sums of a few hundred products.</summary>
    internal static void AssertWithinScaledRounding(double[] ours, double[] expected, string what)
    {
        double scale = expected.Max(Math.Abs), worst = ours.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        Assert.That(worst, Is.LessThanOrEqualTo(1e-6 * scale), $"{what}: largest error {worst:G3} against a largest value of {scale:G3}");
    }

    /// <summary>
    /// The CPU backend's Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter on these operands, on whatever paths the
    /// caller has switched on, as doubles. The results start as garbage, so a cell a path forgets to write shows.
    /// </summary>
    internal static (double[] Y, double[] Dx, double[] DW) RunThreePasses(double[,,,] x, double[,,,] w, double[,,,] dy, Window2D window, DType dtype)
    {
        var be = CpuBackend.Instance;
        Tensor xt = AsTensor(x, dtype), wt = AsTensor(w, dtype), dyt = AsTensor(dy, dtype);
        var y = Filled(dyt.Shape, dtype);
        var dx = Filled(xt.Shape, dtype);
        var dW = Filled(wt.Shape, dtype);
        be.Conv2D(xt, wt, window, y);
        be.Conv2DBackpropInput(dyt, wt, window, dx);
        be.Conv2DBackpropFilter(xt, dyt, window, dW);
        return (y.ToDoubles(), dx.ToDoubles(), dW.ToDoubles());
    }

    /// <summary>A result tensor filled with garbage (1e6), so that a cell a primitive forgets to write shows.</summary>
    internal static Tensor Filled(Shape shape, DType dtype) =>
        dtype == DType.Float64
            ? Tensor.FromFlat(Enumerable.Repeat(1e6, shape.Size).ToArray(), shape)
            : Tensor.FromFlat(Enumerable.Repeat(1e6f, shape.Size).ToArray(), shape);

    internal static void AssertClose(double[] ours, double[] expected, double tolerance, string what)
    {
        Assert.That(ours, Has.Length.EqualTo(expected.Length), what + ": size");
        for (int i = 0; i < ours.Length; i++)
            Assert.That(ours[i], Is.EqualTo(expected[i]).Within(tolerance * (1 + Math.Abs(expected[i]))), $"{what}[{i}]");
    }

    // ---- Forward values. ----

    public static IEnumerable<TestCaseData> ConvCases()
    {
        // (batch, height, width, in channels), (filter height, width, out channels), strides, padding
        object[][] cases =
        [
            [new[] { 2, 5, 5, 1 }, new[] { 3, 3, 1 }, 1, 1, Pad.Valid],
            [new[] { 2, 7, 6, 3 }, new[] { 3, 3, 4 }, 2, 2, Pad.Same],
            [new[] { 1, 8, 8, 2 }, new[] { 5, 5, 3 }, 1, 1, Pad.Same],
            [new[] { 1, 6, 6, 2 }, new[] { 2, 2, 3 }, 1, 1, Pad.Same],
            [new[] { 3, 9, 7, 2 }, new[] { 2, 4, 3 }, 3, 2, Pad.Valid],
            [new[] { 1, 6, 5, 2 }, new[] { 2, 3, 2 }, 2, 1, new Pad("explicit", 1, 0, 2, 1)],
            [new[] { 2, 4, 4, 3 }, new[] { 4, 4, 2 }, 1, 1, Pad.Valid],
            [new[] { 2, 1, 1, 3 }, new[] { 1, 1, 5 }, 1, 1, Pad.Valid],
            [new[] { 2, 12, 10, 3 }, new[] { 3, 3, 4 }, 1, 1, new Pad("explicit", 2, 2, 2, 2)],
        ];
        foreach (var c in cases)
            foreach (var dtype in new[] { DType.Float64, DType.Float32 })
                yield return new TestCaseData(c[0], c[1], c[2], c[3], c[4], dtype);
    }

    [TestCaseSource(nameof(ConvCases))]
    public void Conv2DMatchesTheDirectDefinition(int[] input, int[] filter, int sh, int sw, Pad pad, DType dtype)
    {
        var x = Random4(input[0], input[1], input[2], input[3], seed: 1);
        var w = Random4(filter[0], filter[1], input[3], filter[2], seed: 2);
        var expected = NaiveConv2D(x, w, sh, sw, pad);

        var g = new Graph();
        var xp = g.Placeholder(dtype, new Shape(-1, input[1], input[2], input[3]), "x");
        var wp = g.Placeholder(dtype, new Shape(filter[0], filter[1], input[3], filter[2]), "W");
        var y = g.Conv2D(xp, wp, (sh, sw), pad.ToEngine());
        Assert.That(y.Shape, Is.EqualTo(new Shape([-1, .. DimsOf(expected)[1..]])), "shape inferred at build time");

        using var sess = new Session(g);
        var result = sess.Run(y, new FeedDict { [xp] = AsTensor(x, dtype), [wp] = AsTensor(w, dtype) });
        Assert.That(result.Shape, Is.EqualTo(new Shape(DimsOf(expected))));
        AssertClose(result.ToDoubles(), Flat(expected), dtype == DType.Float64 ? 1e-12 : 1e-5, "y");
    }

    [TestCase(2, Description = "the whole batch in one product")]
    [TestCase(5, Description = "in chunks, the last one short")]
    public void Conv2DAndItsGradientsMatchTheDefinitionInOneProductOrInChunks(int batch)
    {
        // 16x16x16 images and 5x5 filters: 102,400 im2col cells per image, so the CPU backend's budget of
        // 262,144 cells takes 2 images in one product and 5 images in chunks of 2, 2 and 1.
        var pad = Pad.Same;
        var x = Random4(batch, 16, 16, 16, seed: 3);
        var w = Random4(5, 5, 16, 3, seed: 4);
        var dy = Random4(batch, 16, 16, 3, seed: 5);
        var expected = NaiveConv2D(x, w, 1, 1, pad);
        var (expectedDx, expectedDw) = NaiveConv2DGradients(x, w, dy, 1, 1, pad);

        var g = new Graph();
        var xp = g.Placeholder(DType.Float64, new Shape(-1, 16, 16, 16), "x");
        var wp = g.Placeholder(DType.Float64, new Shape(5, 5, 16, 3), "W");
        var y = g.Conv2D(xp, wp, padding: Padding.Same);
        var grads = g.Gradients([g.ReduceSum(y * g.Constant(Tensor.FromArray(dy)))], [xp, wp]);
        using var sess = new Session(g);
        var r = sess.Run([y, grads[0]!.Value, grads[1]!.Value], new FeedDict { [xp] = Tensor.FromArray(x), [wp] = Tensor.FromArray(w) });
        AssertClose(r[0].ToDoubles(), Flat(expected), 1e-12, "y");
        AssertClose(r[1].ToDoubles(), Flat(expectedDx), 1e-12, "dx");
        AssertClose(r[2].ToDoubles(), Flat(expectedDw), 1e-12, "dW");
    }

    public static IEnumerable<TestCaseData> PoolCases()
    {
        // (batch, height, width, channels), (window height, width), strides, padding
        object[][] cases =
        [
            [new[] { 2, 4, 4, 3 }, 2, 2, 2, 2, Pad.Valid],
            [new[] { 1, 5, 5, 2 }, 2, 2, 2, 2, Pad.Valid],
            [new[] { 2, 5, 6, 3 }, 3, 3, 2, 2, Pad.Same],
            [new[] { 1, 7, 7, 1 }, 3, 3, 1, 1, Pad.Same],
            [new[] { 1, 5, 5, 2 }, 2, 3, 1, 2, new Pad("explicit", 1, 0, 2, 1)],
            [new[] { 2, 6, 9, 40 }, 3, 2, 3, 2, Pad.Valid],
        ];
        foreach (var c in cases)
            foreach (bool max in new[] { true, false })
                foreach (var dtype in new[] { DType.Float64, DType.Float32 })
                    yield return new TestCaseData(c[0], c[1], c[2], c[3], c[4], c[5], max, dtype);
    }

    [TestCaseSource(nameof(PoolCases))]
    public void PoolingMatchesTheDirectDefinition(int[] input, int ph, int pw, int sh, int sw, Pad pad, bool max, DType dtype)
    {
        var x = Random4(input[0], input[1], input[2], input[3], seed: 6);
        var expected = NaivePool(x, ph, pw, sh, sw, pad, max);

        var g = new Graph();
        var xp = g.Placeholder(dtype, new Shape(-1, input[1], input[2], input[3]), "x");
        var y = max ? g.MaxPool(xp, (ph, pw), (sh, sw), pad.ToEngine()) : g.AvgPool(xp, (ph, pw), (sh, sw), pad.ToEngine());
        Assert.That(y.Shape, Is.EqualTo(new Shape([-1, .. DimsOf(expected)[1..]])));

        using var sess = new Session(g);
        var result = sess.Run(y, new FeedDict { [xp] = AsTensor(x, dtype) });
        AssertClose(result.ToDoubles(), Flat(expected), dtype == DType.Float64 ? 1e-12 : 1e-6, max ? "max" : "average");
    }

    [Test]
    public void MaxPoolGivesATiedWindowsGradientToItsFirstMaximum()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, new Shape(1, 2, 2, 1), "x");
        var dx = g.Gradients([g.ReduceSum(g.MaxPool(x))], [x])[0]!.Value;
        using var sess = new Session(g);
        var result = sess.Run(dx, new FeedDict { [x] = Tensor.FromFlat(new[] { 3.0, 7, 7, 1 }, new Shape(1, 2, 2, 1)) });
        Assert.That(result.ToDoubles(), Is.EqualTo(new[] { 0.0, 1, 0, 0 }));
    }

    [Test]
    public void SecondDerivativesGoThroughTheGradientOps()
    {
        // The loss is the squared norm of dL/dW for a conv-maxpool-avgpool chain, so its gradient runs the
        // gradients of Conv2DBackpropInput, Conv2DBackpropFilter, MaxPoolGrad and AvgPoolGrad.
        NumericalGradientOracle.Check(new GradCase("conv-pool second derivative", [new Shape(2, 6, 6, 2), new Shape(3, 3, 2, 3)], (g, x) =>
        {
            var y = g.AvgPool(g.MaxPool(g.Conv2D(x[0], x[1], padding: Padding.Same), 2), 2, 1, Padding.Same);
            var dW = g.Gradients([g.ReduceSum(g.Square(y))], [x[1]])[0]!.Value;
            return g.ReduceSum(g.Square(dW));
        }));
    }

    // ---- The slides' worked examples. ----

    private static readonly float[,] SlideImage =
    {
        { 1, 1, 1, 0, 0 }, { 0, 1, 1, 1, 0 }, { 0, 0, 1, 1, 1 }, { 0, 0, 1, 1, 0 }, { 0, 1, 1, 0, 0 },
    };

    private static readonly float[,] SlideFilter = { { 1, 0, 1 }, { 0, 1, 0 }, { 1, 0, 1 } };

    private static float[,] RunOnImage(float[,] image, Func<Graph, Output, Output> build)
    {
        var g = new Graph();
        int h = image.GetLength(0), w = image.GetLength(1);
        var x = g.Placeholder(DType.Float32, new Shape(1, h, w, 1), "x");
        var y = build(g, x);
        using var sess = new Session(g);
        var result = sess.Run(y, new FeedDict { [x] = Tensor.FromArray(image).Reshaped(new Shape(1, h, w, 1)) });
        return result.Reshaped(new Shape(result.Shape[1], result.Shape[2])).ToArray2D<float>();
    }

    private static Output SlideFilterNode(Graph g) =>
        g.Constant(Tensor.FromArray(SlideFilter).Reshaped(new Shape(3, 3, 1, 1)));

    [Test]
    public void TheSlidesFiveByFiveImageConvolvedWithTheXFilter()
    {
        var valid = RunOnImage(SlideImage, (g, x) => g.Conv2D(x, SlideFilterNode(g)));
        Assert.That(valid, Is.EqualTo(new float[,] { { 4, 3, 4 }, { 2, 4, 3 }, { 2, 3, 4 } }));

        // With one ring of zeros (the slide's padding 1) the map keeps the image's 5x5 size.
        var padded = RunOnImage(SlideImage, (g, x) => g.Conv2D(x, SlideFilterNode(g), padding: Padding.Explicit(1)));
        Assert.That(padded, Is.EqualTo(new float[,]
        {
            { 2, 2, 3, 1, 1 }, { 1, 4, 3, 4, 1 }, { 1, 2, 4, 3, 3 }, { 1, 2, 3, 4, 1 }, { 0, 2, 2, 1, 1 },
        }));
        var same = RunOnImage(SlideImage, (g, x) => g.Conv2D(x, SlideFilterNode(g), padding: Padding.Same));
        Assert.That(same, Is.EqualTo(padded), "SAME pads a 3x3 filter by 1 on each side");
    }

    [Test]
    public void TheSlidesPoolingExample()
    {
        float[,] map = { { 1, 4, 8, 3 }, { 6, 9, 2, 1 }, { 11, 13, 6, 7 }, { 8, 19, 8, 2 } };
        Assert.That(RunOnImage(map, (g, x) => g.MaxPool(x, 2, 2)), Is.EqualTo(new float[,] { { 9, 8 }, { 19, 8 } }));
        Assert.That(RunOnImage(map, (g, x) => g.AvgPool(x, 2, 2)), Is.EqualTo(new float[,] { { 5, 3.5f }, { 12.75f, 5.75f } }));
    }

    // ---- Shapes. ----

    [TestCase(227, 227, 11, 4, 0, 55, 55)]
    [TestCase(64, 64, 7, 2, 0, 29, 29)]    // (64 - 7) / 2 + 1 = 29.5: the last half step does not fit, VALID floors
    [TestCase(32, 32, 5, 1, 2, 32, 32)]
    [TestCase(32, 64, 5, 1, 0, 28, 60)]
    [TestCase(64, 32, 3, 1, 1, 64, 32)]
    public void TheSlidesOutputSizeExercises(int height, int width, int filter, int stride, int padding, int outHeight, int outWidth)
    {
        Assert.That(Conv2D.OutputSize(height, filter, stride, padding), Is.EqualTo(outHeight));
        Assert.That(Conv2D.OutputSize(width, filter, stride, padding), Is.EqualTo(outWidth));
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, height, width, 3), "x");
        var w = g.Variable(Init.Zeros(filter, filter, 3, 8), "W");
        var y = g.Conv2D(x, w, stride, padding == 0 ? Padding.Valid : Padding.Explicit(padding));
        Assert.That(y.Shape, Is.EqualTo(new Shape(-1, outHeight, outWidth, 8)));
    }

    [Test]
    public void ShapesFlowThroughAConvNetWithAnUnknownBatch()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 28, 28, 1), "x");
        var h1 = g.MaxPool(g.Conv2D(x, g.Variable(Init.Zeros(5, 5, 1, 32), "W1"), padding: Padding.Same));
        var h2 = g.MaxPool(g.Conv2D(h1, g.Variable(Init.Zeros(5, 5, 32, 64), "W2"), padding: Padding.Same));
        var flat = g.Flatten(h2);
        Assert.That(h1.Shape, Is.EqualTo(new Shape(-1, 14, 14, 32)));
        Assert.That(h2.Shape, Is.EqualTo(new Shape(-1, 7, 7, 64)));
        Assert.That(flat.Shape, Is.EqualTo(new Shape(-1, 3136)));
        Assert.That(g.AvgPool(x, 3, 2, Padding.Same).Shape, Is.EqualTo(new Shape(-1, 14, 14, 1)));
        Assert.That(g.MaxPool(x, 3, 2).Shape, Is.EqualTo(new Shape(-1, 13, 13, 1)));
        Assert.That(g.Conv2D(x, g.Variable(Init.Zeros(3, 3, 1, 2), "W3"), (2, 1), Padding.Same).Shape, Is.EqualTo(new Shape(-1, 14, 28, 2)));
    }

    [Test]
    public void ShapeErrorsNameTheOpAndTheShapes()
    {
        var rank = Assert.Throws<ShapeException>(() =>
        {
            var g = new Graph();
            g.Conv2D(g.Placeholder(DType.Float32, new Shape(28, 28), "image"), g.Variable(Init.Zeros(5, 5, 1, 8), "W"));
        })!;
        Assert.That(rank.Message, Does.Contain("Conv2D").And.Contain("'image' Float32 (28, 28)").And.Contain("rank 4"));

        var channels = Assert.Throws<ShapeException>(() =>
        {
            var g = new Graph();
            g.Conv2D(g.Placeholder(DType.Float32, new Shape(-1, 28, 28, 3), "rgb"), g.Variable(Init.Zeros(5, 5, 1, 8), "W"));
        })!;
        Assert.That(channels.Message, Does.Contain("Conv2D").And.Contain("3 channels").And.Contain("(5, 5, 1, 8)"));

        var tooLarge = Assert.Throws<ShapeException>(() =>
        {
            var g = new Graph();
            g.Conv2D(g.Placeholder(DType.Float32, new Shape(-1, 4, 4, 1), "small"), g.Variable(Init.Zeros(5, 5, 1, 1), "W"));
        })!;
        Assert.That(tooLarge.Message, Does.Contain("Conv2D").And.Contain("5x5 filter does not fit").And.Contain("VALID"));

        var pool = Assert.Throws<ShapeException>(() =>
        {
            var g = new Graph();
            g.MaxPool(g.Placeholder(DType.Float32, new Shape(-1, 2, 2, 1), "x"), 3);
        })!;
        Assert.That(pool.Message, Does.Contain("MaxPool").And.Contain("3x3 pooling window does not fit"));

        var padding = Assert.Throws<ShapeException>(() =>
        {
            var g = new Graph();
            g.AvgPool(g.Placeholder(DType.Float32, new Shape(-1, 6, 6, 1), "x"), 2, padding: Padding.Explicit(2));
        })!;
        Assert.That(padding.Message, Does.Contain("AvgPool").And.Contain("smaller than the 2x2 window"));

        var stride = Assert.Throws<ShapeException>(() =>
        {
            var g = new Graph();
            g.Conv2D(g.Placeholder(DType.Float32, new Shape(-1, 6, 6, 1), "x"), g.Variable(Init.Zeros(3, 3, 1, 1), "W"), stride: 0);
        })!;
        Assert.That(stride.Message, Does.Contain("Strides must be positive"));

        var flatten = Assert.Throws<ShapeException>(() =>
        {
            var g = new Graph();
            g.Flatten(g.Placeholder(DType.Float32, new Shape(-1, -1, 4), "x"));
        })!;
        Assert.That(flatten.Message, Does.Contain("Flatten").And.Contain("(?, ?, 4)"));
    }

    [Test]
    public void AFailedBuildLeavesNoNode()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4, 4, 1), "x");
        var w = g.Variable(Init.Zeros(5, 5, 1, 1), "W");
        int before = g.Nodes.Count;
        Assert.Throws<ShapeException>(() => g.Conv2D(x, w));
        Assert.That(g.Nodes.Count, Is.EqualTo(before));
        Assert.That(g.Conv2D(x, w, padding: Padding.Same).Shape, Is.EqualTo(new Shape(-1, 4, 4, 1)), "SAME pads a small input");
    }

    // ---- A CNN training step in its steady state. ----

    [TestCase(3, true, Description = "whole batch in one product")]
    [TestCase(8, true, Description = "the first convolution in chunks")]
    [TestCase(8, false, Description = "the first convolution through im2col")]
    public void ASteadyStateCnnTrainingStepAllocatesNothing(int batch, bool shallowDirect)
    {
        bool wasDirect = CpuBackend.ConvolveShallowDirectly;
        CpuBackend.ConvolveShallowDirectly = shallowDirect;
        try
        {
            var input = new Shape(batch, 28, 28, 2);
            var (window, _, _) = Window2D.Over(input, 7, 7, 1, 1, Padding.Same, "filter");
            Assert.That(CpuBackend.ConvolvesShallowDirectly(input, new Shape(batch, 28, 28, 8), window, DType.Float32), Is.EqualTo(shallowDirect),
                "the first convolution's path");
            TrainAndCountAllocations(batch);
        }
        finally
        {
            CpuBackend.ConvolveShallowDirectly = wasDirect;
        }
    }

    private static void TrainAndCountAllocations(int batch)
    {
        var g = new Graph { Seed = 5 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 28, 28, 2), "x");
        var labels = g.Placeholder(DType.Float32, new Shape(-1, 3), "y");
        // 7x7x2 windows over 28x28 pixels: 98 cells deep, which the CPU backend's direct path for shallow windows
        // takes (CpuBackend.ConvShallow.cs) unless switched off. Through im2col they are 76,832 cells per image, 3 images
        // to a chunk of the managed BLAS's 262,144 cells, so 8 images go in chunks of 3, 3 and 2.
        var W1 = g.Variable(Init.TruncatedNormal([7, 7, 2, 8], stddev: 0.1), "W1");
        var b1 = g.Variable(Init.Constant(0.1, 8), "b1");
        var W2 = g.Variable(Init.TruncatedNormal([3, 3, 8, 6], stddev: 0.1), "W2");
        var W3 = g.Variable(Init.TruncatedNormal([6 * 6 * 6, 3], stddev: 0.1), "W3");
        var h1 = g.MaxPool(g.Relu(g.Conv2D(x, W1, padding: Padding.Same) + b1));           // (?, 14, 14, 8)
        var h2 = g.AvgPool(g.Relu(g.Conv2D(h1, W2, stride: 2)), 2, 1, Padding.Same);       // (?, 6, 6, 6)
        var logits = g.MatMul(g.Flatten(h2), W3);
        var loss = g.ReduceMean(g.SoftmaxCrossEntropyWithLogits(labels, logits));
        var train = new AdamOptimizer(0.01).Minimize(loss);

        var random = new Random(9);
        var pixels = new float[batch * 28 * 28 * 2];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)random.NextDouble();
        var oneHot = new float[batch * 3];
        for (int i = 0; i < batch; i++) oneHot[i * 3 + random.Next(3)] = 1;
        var feeds = new FeedDict
        {
            [x] = Tensor.FromFlat(pixels, new Shape(batch, 28, 28, 2)),
            [labels] = Tensor.FromFlat(oneHot, new Shape(batch, 3)),
        };

        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        float first = (float)sess.Run([train, loss], feeds)[1];
        for (int i = 0; i < 5; i++) sess.Run(train, feeds);   // warm-up: plans compile, buffers bind, code is jitted
        Assert.That(StepAllocations.FewestBytesInAWindow(() => sess.Run(train, feeds)), Is.Zero);
        Assert.That((float)sess.Run(loss, feeds), Is.LessThan(first), "the steps trained");
    }
}
