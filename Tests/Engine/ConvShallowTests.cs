using GraphDL.Backends.Cpu;
using NUnit.Framework;
using static GraphDL.Tests.Engine.ConvTests;

namespace GraphDL.Tests.Engine;

using Pad = ConvTests.Pad;

/// <summary>
/// The CPU backend's direct path for shallow convolutions (CpuBackend.ConvShallow.cs) against the direct definition
/// and against the im2col path it replaces: one to three input channels, output channels below, at and past a SIMD
/// vector's width, batches of one image and batches that do not fall into four even groups, strides, the three
/// paddings, windows that hang over every border, both float types. The forward pass and the filter gradient take the
/// direct path; the input gradient stays on im2col and is checked along with them.
/// </summary>
public class ConvShallowTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        // (batch, height, width, in channels), (filter height, width), strides, padding, what the case is for
        object[][] layouts =
        [
            [new[] { 1, 9, 9, 1 }, new[] { 5, 5 }, 1, 1, Pad.Same, "batch 1, SAME over every border"],
            [new[] { 7, 12, 11, 1 }, new[] { 5, 5 }, 1, 1, Pad.Same, "7 images in groups of 2, 2, 2, 1"],
            [new[] { 13, 10, 9, 2 }, new[] { 3, 3 }, 2, 2, Pad.Same, "13 images, strides 2, SAME's odd zero at the end"],
            [new[] { 5, 9, 8, 3 }, new[] { 3, 2 }, 2, 3, Pad.Valid, "VALID with rows and columns the strides leave out"],
            [new[] { 6, 8, 8, 3 }, new[] { 3, 3 }, 1, 1, Pad.Valid, "VALID, every window inside: x read in place"],
            [new[] { 3, 6, 5, 2 }, new[] { 2, 3 }, 2, 1, new Pad("explicit", 1, 0, 2, 1), "explicit padding"],
            [new[] { 2, 4, 4, 1 }, new[] { 2, 2 }, 1, 3, new Pad("explicit", 3, 1, 4, 0), "windows wholly in the padding"],
            [new[] { 2, 2, 3, 2 }, new[] { 1, 1 }, 1, 1, Pad.Valid, "fewer pixels and filter cells than a block of eight"],
        ];
        foreach (var l in layouts)
            foreach (int outChannels in new[] { 1, 5, 16, 17, 33 })
                foreach (var dtype in new[] { DType.Float64, DType.Float32 })
                    yield return new TestCaseData(l[0], l[1], outChannels, l[2], l[3], l[4], dtype)
                        .SetArgDisplayNames($"{l[5]}, {outChannels} out, {dtype}");
    }

    [TestCaseSource(nameof(Cases))]
    public void TheDirectPathMatchesTheDefinitionAndIm2Col(int[] input, int[] filter, int outChannels, int sh, int sw, Pad pad, DType dtype)
    {
        var x = Random4(input[0], input[1], input[2], input[3], seed: 51);
        var w = Random4(filter[0], filter[1], input[3], outChannels, seed: 52);
        var expected = NaiveConv2D(x, w, sh, sw, pad);
        var dy = Random4(expected.GetLength(0), expected.GetLength(1), expected.GetLength(2), expected.GetLength(3), seed: 53);
        var (expectedDx, expectedDw) = NaiveConv2DGradients(x, w, dy, sh, sw, pad);

        var (window, _, _) = Window2D.Over(new Shape(input), filter[0], filter[1], sh, sw, pad.ToEngine(), "filter");
        // The direct path with the widest vectors the machine has, and with Vector<T>'s alone.
        var widest = RunBackend(x, w, dy, window, dtype, direct: true);
        var vectorT = RunBackend(x, w, dy, window, dtype, direct: true, vector512: false);
        var im2col = RunBackend(x, w, dy, window, dtype, direct: false);
        double tolerance = dtype == DType.Float64 ? 1e-12 : 1e-5;
        foreach (var (path, results) in new[] { ("direct", widest), ("direct on Vector<T>", vectorT), ("im2col", im2col) })
        {
            AssertClose(results.Y, Flat(expected), tolerance, $"{path}: y");
            AssertClose(results.Dx, Flat(expectedDx), tolerance, $"{path}: dx");
            AssertClose(results.DW, Flat(expectedDw), tolerance, $"{path}: dW");
        }
        foreach (var (path, results) in new[] { ("direct", widest), ("direct on Vector<T>", vectorT) })
        {
            AssertClose(results.Y, im2col.Y, tolerance, $"y, {path} against im2col");
            AssertClose(results.DW, im2col.DW, tolerance, $"dW, {path} against im2col");
        }
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void ShallowWindowsTakeTheDirectPathFromOneVectorOfOutputChannels(DType dtype)
    {
        // What the cases above cover: 16, 17 and 33 output channels take the direct path (and 5 in float64 on 256-bit
        // vectors); fewer than a vector's lanes stay on im2col.
        int lanes = dtype == DType.Float64 ? System.Numerics.Vector<double>.Count : System.Numerics.Vector<float>.Count;
        var input = new Shape(4, 9, 9, 1);
        var (window, _, _) = Window2D.Over(input, 5, 5, 1, 1, Padding.Same, "filter");
        Assert.That(CpuBackend.ConvolvesShallowDirectly(input, new Shape(4, 9, 9, lanes), window, dtype), Is.True, $"{lanes} out");
        Assert.That(CpuBackend.ConvolvesShallowDirectly(input, new Shape(4, 9, 9, lanes - 1), window, dtype), Is.False, $"{lanes - 1} out");
    }

    [Test]
    public void ConvolutionsPastTheLimitStayOnIm2Col()
    {
        // The limit counts vector multiply-adds per output pixel: window cells (input channels, under 1x1 filters) times
        // vectors of output channels. Float32 outputs of one 512-bit vector take that kernel and its limit where the
        // machine has such vectors, Vector<T>'s elsewhere.
        bool wide = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
        int lanes = wide ? System.Runtime.Intrinsics.Vector512<float>.Count : System.Numerics.Vector<float>.Count;
        int limit = wide ? CpuBackend.ShallowLimit.OnVector512 : CpuBackend.ShallowLimit.OnVectorT;
        Assert.That(Direct(limit, lanes), Is.True, $"{limit} deep, one vector out");
        Assert.That(Direct(limit + 1, lanes), Is.False, $"{limit + 1} deep, one vector out");
        Assert.That(Direct(limit / 4, 4 * lanes), Is.True, $"{limit / 4} deep, four vectors out");
        Assert.That(Direct(limit / 4, 4 * lanes + 1), Is.False, $"{limit / 4} deep, four vectors and a channel out");

        static bool Direct(int inChannels, int outChannels)
        {
            var input = new Shape(4, 9, 9, inChannels);
            var (window, _, _) = Window2D.Over(input, 1, 1, 1, 1, Padding.Valid, "filter");
            return CpuBackend.ConvolvesShallowDirectly(input, new Shape(4, 9, 9, outChannels), window, DType.Float32);
        }
    }

    [Test]
    public void AtMnistCnnsFirstLayerTheDirectPathIsWithinFloatRoundingOfTheDefinition()
    {
        // MnistCnn's first layer on a batch large enough for the two cores to share, in float32 as it trains. A filter
        // gradient sums 7,840 products, so its error is measured against the largest value of the result, as
        // ConvImageGroupsTests measures the second layer's.
        var x = Random4(10, 28, 28, 1, seed: 61);
        var w = Random4(5, 5, 1, 16, seed: 62);
        var dy = Random4(10, 28, 28, 16, seed: 63);
        var expected = Flat(NaiveConv2D(x, w, 1, 1, Pad.Same));
        var (_, expectedDw) = NaiveConv2DGradients(x, w, dy, 1, 1, Pad.Same);
        var (window, _, _) = Window2D.Over(new Shape(10, 28, 28, 1), 5, 5, 1, 1, Padding.Same, "filter");
        Assert.That(CpuBackend.ConvolvesShallowDirectly(new Shape(10, 28, 28, 1), new Shape(10, 28, 28, 16), window, DType.Float32), Is.True);
        foreach (bool vector512 in new[] { true, false })
        {
            var (y, _, dW) = RunBackend(x, w, dy, window, DType.Float32, direct: true, vector512);
            AssertWithinScaledRounding(y, expected, $"y, 512-bit vectors allowed: {vector512}");
            AssertWithinScaledRounding(dW, Flat(expectedDw), $"dW, 512-bit vectors allowed: {vector512}");
        }
    }

    [Test]
    public void RunningTheDirectFilterGradientAgainGivesTheSameBits()
    {
        // 40 images of MnistCnn's first layer: four groups that the two cores share, their sums added in group order.
        var x = Random4(40, 28, 28, 1, seed: 71);
        var w = Random4(5, 5, 1, 16, seed: 72);
        var dy = Random4(40, 28, 28, 16, seed: 73);
        var (window, _, _) = Window2D.Over(new Shape(40, 28, 28, 1), 5, 5, 1, 1, Padding.Same, "filter");
        foreach (bool vector512 in new[] { true, false })
        {
            var first = RunBackend(x, w, dy, window, DType.Float32, direct: true, vector512);
            for (int i = 0; i < 5; i++)
            {
                var again = RunBackend(x, w, dy, window, DType.Float32, direct: true, vector512);
                Assert.That(again.DW, Is.EqualTo(first.DW), $"dW, 512-bit vectors allowed: {vector512}");
                Assert.That(again.Y, Is.EqualTo(first.Y), $"y, 512-bit vectors allowed: {vector512}");
            }
        }
    }

    /// <summary>The three backend primitives with the direct path on or off, their results as doubles.</summary>
    private static (double[] Y, double[] Dx, double[] DW) RunBackend(double[,,,] x, double[,,,] w, double[,,,] dy, Window2D window,
        DType dtype, bool direct, bool vector512 = true)
    {
        bool wasDirect = CpuBackend.ConvolveShallowDirectly, was512 = CpuBackend.ShallowUsesVector512;
        try
        {
            CpuBackend.ConvolveShallowDirectly = direct;
            CpuBackend.ShallowUsesVector512 = vector512;
            return RunThreePasses(x, w, dy, window, dtype);
        }
        finally
        {
            CpuBackend.ConvolveShallowDirectly = wasDirect;
            CpuBackend.ShallowUsesVector512 = was512;
        }
    }
}
