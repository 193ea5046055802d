using GraphDL.Backends.Cpu;
using NUnit.Framework;
using static GraphDL.Tests.Engine.ConvTests;

namespace GraphDL.Tests.Engine;

using Pad = ConvTests.Pad;

/// <summary>
/// The CPU backend's convolution split across the cores by groups of images, against the direct definition: batch
/// sizes that leave groups short or single, steps of one image or of a whole group, strides and paddings, both
/// float types; and the chunked path it replaces on a native BLAS, which must agree with it. Max pooling and its
/// gradients, which share the images between the cores the same way.
/// </summary>
public class ConvImageGroupsTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        // (batch, height, width, in channels), (filter height, width, out channels), strides, padding, group budget
        object[][] cases =
        [
            [new[] { 1, 9, 9, 3 }, new[] { 3, 3, 4 }, 1, 1, Pad.Same, 1 << 16, "batch 1: one group"],
            [new[] { 5, 9, 9, 3 }, new[] { 3, 3, 4 }, 1, 1, Pad.Same, 1, "odd batch, one image per step"],
            [new[] { 13, 8, 7, 2 }, new[] { 5, 5, 3 }, 1, 1, Pad.Same, 3 * 8 * 7 * 50, "13 in groups of 4, 4, 4, 1, steps of 3 and a short one"],
            [new[] { 7, 11, 10, 2 }, new[] { 3, 3, 5 }, 2, 2, Pad.Same, 1 << 20, "strides 2, whole groups per step"],
            [new[] { 6, 9, 7, 3 }, new[] { 2, 4, 3 }, 3, 2, Pad.Valid, 1, "VALID, uneven strides"],
            [new[] { 3, 6, 5, 2 }, new[] { 2, 3, 2 }, 2, 1, new Pad("explicit", 1, 0, 2, 1), 1, "explicit padding"],
            [new[] { 9, 12, 12, 1 }, new[] { 5, 5, 16 }, 1, 1, Pad.Same, 1 << 16, "a first layer: one channel in, 16 out"],
        ];
        foreach (var c in cases)
            foreach (var dtype in new[] { DType.Float64, DType.Float32 })
                yield return new TestCaseData(c[0], c[1], c[2], c[3], c[4], c[5], dtype).SetArgDisplayNames(
                    $"{c[6]}, {dtype}");
    }

    [TestCaseSource(nameof(Cases))]
    public void TheConvolutionAndBothGradientsMatchTheDefinition(int[] input, int[] filter, int sh, int sw, Pad pad, int budget, DType dtype)
    {
        var x = Random4(input[0], input[1], input[2], input[3], seed: 11);
        var w = Random4(filter[0], filter[1], input[3], filter[2], seed: 12);
        var expected = NaiveConv2D(x, w, sh, sw, pad);
        var dy = Random4(expected.GetLength(0), expected.GetLength(1), expected.GetLength(2), expected.GetLength(3), seed: 13);
        var (expectedDx, expectedDw) = NaiveConv2DGradients(x, w, dy, sh, sw, pad);

        var (window, _, _) = Window2D.Over(new Shape(input), filter[0], filter[1], sh, sw, pad.ToEngine(), "filter");
        var (y, dx, dW) = RunBackend(x, w, dy, window, dtype, groups: true, budget);
        double tolerance = dtype == DType.Float64 ? 1e-12 : 1e-5;
        AssertClose(y, Flat(expected), tolerance, "y");
        AssertClose(dx, Flat(expectedDx), tolerance, "dx");
        AssertClose(dW, Flat(expectedDw), tolerance, "dW");
    }

    [Test]
    public void AtMnistCnnsSizeTheGroupsAndTheChunksAreBothWithinFloatRoundingOfTheDefinition()
    {
        // MnistCnn's second layer on a batch that splits into two cores' work, in float32 as it trains. A filter
        // gradient sums 1,960 products, so a cell near zero after cancellation carries the rounding of its large
        // terms: the error is measured against the largest value of each result.
        var x = Random4(10, 14, 14, 16, seed: 21);
        var w = Random4(5, 5, 16, 32, seed: 22);
        var dy = Random4(10, 14, 14, 32, seed: 23);
        var expected = Flat(NaiveConv2D(x, w, 1, 1, Pad.Same));
        var (expectedDx, expectedDw) = NaiveConv2DGradients(x, w, dy, 1, 1, Pad.Same);
        var (window, _, _) = Window2D.Over(new Shape(10, 14, 14, 16), 5, 5, 1, 1, Padding.Same, "filter");
        foreach (bool groups in new[] { true, false })
        {
            var (y, dx, dW) = RunBackend(x, w, dy, window, DType.Float32, groups, budget: 1 << 16);
            string path = groups ? "groups" : "chunks";
            AssertWithinScaledRounding(y, expected, $"{path}: y");
            AssertWithinScaledRounding(dx, Flat(expectedDx), $"{path}: dx");
            AssertWithinScaledRounding(dW, Flat(expectedDw), $"{path}: dW");
        }
    }

    [Test]
    public void RunningAGroupedConvolutionTwiceGivesTheSameBits()
    {
        // The filter gradient's group sums are added in group order, whichever core finished first.
        var x = Random4(12, 14, 14, 16, seed: 31);
        var w = Random4(5, 5, 16, 32, seed: 32);
        var dy = Random4(12, 14, 14, 32, seed: 33);
        var (window, _, _) = Window2D.Over(new Shape(12, 14, 14, 16), 5, 5, 1, 1, Padding.Same, "filter");
        var first = RunBackend(x, w, dy, window, DType.Float32, groups: true, budget: 1 << 16);
        for (int i = 0; i < 5; i++)
            Assert.That(RunBackend(x, w, dy, window, DType.Float32, groups: true, budget: 1 << 16).DW, Is.EqualTo(first.DW));
    }

    [TestCase(9, 32, 32, 16, 2, 2, "valid", Description = "MnistCnn's pooling shape, 9 images in groups of 3")]
    [TestCase(5, 47, 45, 13, 3, 2, "same", Description = "overlapping windows, a partial last row and column, channels not a vector's multiple")]
    public void MaxPoolingSplitByImagesMatchesTheDefinition(int batch, int height, int width, int channels, int size, int stride, string padding)
    {
        // Large enough (over CpuParallel.MinimumLength elements) for the two cores to share the images.
        var pad = new Pad(padding);
        var x = Random4(batch, height, width, channels, seed: 41);
        var expected = NaivePool(x, size, size, stride, stride, pad, max: true);
        var dy = Random4(expected.GetLength(0), expected.GetLength(1), expected.GetLength(2), expected.GetLength(3), seed: 42);
        var d = Random4(batch, height, width, channels, seed: 43);
        var (expectedDx, expectedDd) = NaiveMaxPoolRoutes(x, dy, d, size, stride, pad);

        var (window, _, _) = Window2D.Over(new Shape(batch, height, width, channels), size, size, stride, stride, pad.ToEngine(), "pooling window");
        var be = CpuBackend.Instance;
        Tensor xt = Tensor.FromArray(x), dyt = Tensor.FromArray(dy), dt = Tensor.FromArray(d);
        Assert.That(xt.Size, Is.GreaterThanOrEqualTo(CpuParallel.MinimumLength));
        var y = Filled(dyt.Shape, DType.Float64);
        var dx = Filled(xt.Shape, DType.Float64);
        var dd = Filled(dyt.Shape, DType.Float64);
        be.MaxPool(xt, window, y);
        be.MaxPoolGrad(xt, dyt, window, dx);
        be.MaxPoolGradGrad(xt, dt, window, dd);
        Assert.That(y.ToDoubles(), Is.EqualTo(Flat(expected)), "y");
        AssertClose(dx.ToDoubles(), Flat(expectedDx), 1e-12, "dx");
        Assert.That(dd.ToDoubles(), Is.EqualTo(Flat(expectedDd)), "the gradient's gradient");
    }

    /// <summary>
    /// Max pooling's two routes by TF's rule, each window's first maximum per channel: dout added back there (dx), and
    /// d read from there (the gradient of the gradient).
    /// </summary>
    private static (double[,,,] Dx, double[,,,] Dd) NaiveMaxPoolRoutes(double[,,,] x, double[,,,] dy, double[,,,] d, int size, int stride, Pad pad)
    {
        int n = x.GetLength(0), h = x.GetLength(1), wd = x.GetLength(2), ch = x.GetLength(3);
        var (oh, top) = pad.Along(h, size, stride, vertical: true);
        var (ow, left) = pad.Along(wd, size, stride, vertical: false);
        var dx = new double[n, h, wd, ch];
        var dd = new double[n, oh, ow, ch];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int k = 0; k < ch; k++)
                    {
                        (int R, int C) best = (-1, -1);
                        for (int di = 0; di < size; di++)
                            for (int dj = 0; dj < size; dj++)
                            {
                                int r = i * stride + di - top, c = j * stride + dj - left;
                                if (r < 0 || r >= h || c < 0 || c >= wd) continue;
                                if (best.R < 0 || x[b, r, c, k] > x[b, best.R, best.C, k]) best = (r, c);
                            }
                        dx[b, best.R, best.C, k] += dy[b, i, j, k];
                        dd[b, i, j, k] = d[b, best.R, best.C, k];
                    }
        return (dx, dd);
    }

    /// <summary>The three backend primitives on the given path, their results as doubles.</summary>
    private static (double[] Y, double[] Dx, double[] DW) RunBackend(double[,,,] x, double[,,,] w, double[,,,] dy, Window2D window,
        DType dtype, bool groups, int budget)
    {
        bool wasGroups = CpuBackend.ConvolveInImageGroups, wasDirect = CpuBackend.ConvolveShallowDirectly;
        int wasBudget = CpuBackend.GroupColumnsBudget;
        try
        {
            CpuBackend.ConvolveInImageGroups = groups;
            CpuBackend.GroupColumnsBudget = budget;
            // The shallow cases would take the direct path (ConvShallowTests), not the one these tests are about.
            CpuBackend.ConvolveShallowDirectly = false;
            return RunThreePasses(x, w, dy, window, dtype);
        }
        finally
        {
            CpuBackend.ConvolveInImageGroups = wasGroups;
            CpuBackend.GroupColumnsBudget = wasBudget;
            CpuBackend.ConvolveShallowDirectly = wasDirect;
        }
    }
}
