using GraphDL.Backends.Cpu;
using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// Max pooling's vector paths (CpuBackend.MaxPooling.cs) against the general loops they stand in for, bit for bit:
/// windows that tile the input, leave rows and columns under no window, hang over padding or leave gaps between
/// them; channel counts that are not multiples of a SIMD vector's width; both float types. The inputs are drawn from
/// a few integers (ties in almost every window, decided by the first maximum), with signed zeros and NaNs, and dout
/// holds signed zeros too, which a path that wrote dout without adding it to zero would pass on as -0.
/// </summary>
public class MaxPoolFastPathTests
{
    private static readonly (int[] Input, int[] Window, int[] Strides, Padding Padding, string What)[] Geometries =
    [
        ([3, 8, 10], [2, 2], [2, 2], Padding.Valid, "2x2/2 tiling the input"),
        ([2, 9, 7], [2, 2], [2, 2], Padding.Valid, "2x2/2 VALID on odd sizes, the last row and column under no window"),
        ([2, 9, 7], [2, 2], [2, 2], Padding.Same, "2x2/2 SAME on odd sizes, short windows at the end"),
        ([2, 10, 11], [3, 3], [3, 3], Padding.Same, "3x3/3 SAME, padding on both sides"),
        ([2, 11, 9], [2, 3], [3, 4], Padding.Valid, "strides beyond the window, gaps between windows"),
        ([2, 7, 8], [3, 2], [3, 2], Padding.Explicit(1, 2, 1, 0), "explicit padding"),
        ([2, 5, 6], [1, 1], [1, 1], Padding.Valid, "1x1 windows"),
        ([2, 9, 8], [3, 3], [2, 2], Padding.Same, "overlapping windows, which both take the general route"),
    ];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (input, window, strides, padding, what) in Geometries)
            foreach (int channels in new[] { 1, 3, 16, 32, 37 })
                foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                    yield return new TestCaseData(input, window, strides, padding, channels, dtype)
                        .SetArgDisplayNames($"{what}, {channels} channels, {dtype}");
    }

    [TestCaseSource(nameof(Cases))]
    public void TheFastPathsGiveTheGeneralPathsBits(int[] input, int[] window, int[] strides, Padding padding, int channels, DType dtype)
    {
        var xShape = new Shape(input[0], input[1], input[2], channels);
        var (w, outHeight, outWidth) = Window2D.Over(xShape, window[0], window[1], strides[0], strides[1], padding, "pooling window");
        var pooledShape = new Shape(input[0], outHeight, outWidth, channels);
        var x = FewValues(xShape, dtype, seed: channels * 31 + input[1]);
        var dout = Gradient(pooledShape, dtype, seed: channels * 17 + input[2]);

        var fast = Pool(x, dout, w, fast: true);
        var general = Pool(x, dout, w, fast: false);
        Assert.That(Bits(fast.Y), Is.EqualTo(Bits(general.Y)), "MaxPool");
        Assert.That(Bits(fast.Dx), Is.EqualTo(Bits(general.Dx)), "MaxPoolGrad");
        Assert.That(fast.Dx.ToDoubles().Count(v => v != 0), Is.GreaterThan(0), "some gradient reaches x");
    }

    [TestCase(28, 16, Description = "MnistCnn's first pooling")]
    [TestCase(14, 32, Description = "MnistCnn's second pooling")]
    public void AtMnistCnnsSizesSplitBetweenTheCoresTheFastPathsGiveTheGeneralPathsBits(int size, int channels)
    {
        var xShape = new Shape(100, size, size, channels);
        var (w, outHeight, outWidth) = Window2D.Over(xShape, 2, 2, 2, 2, Padding.Same, "pooling window");
        var x = FewValues(xShape, DType.Float32, seed: size);
        var dout = Gradient(new Shape(100, outHeight, outWidth, channels), DType.Float32, seed: channels);
        Assert.That(x.Size, Is.GreaterThanOrEqualTo(CpuParallel.MinimumLength), "large enough for the two cores to share the images");

        var fast = Pool(x, dout, w, fast: true);
        var general = Pool(x, dout, w, fast: false);
        Assert.That(Bits(fast.Y), Is.EqualTo(Bits(general.Y)), "MaxPool");
        Assert.That(Bits(fast.Dx), Is.EqualTo(Bits(general.Dx)), "MaxPoolGrad");
    }

    [Test]
    public void TiesGoToTheWindowsFirstMaximumAndCellsUnderNoWindowGetZero()
    {
        // One image, one channel, 3x3 pooled 2x2/2 VALID: one window, the last row and column under none.
        var x = Tensor.FromFlat(new float[] { 5, 5, 9, 5, 5, 9, 9, 9, 9 }, new Shape(1, 3, 3, 1));
        var dout = Tensor.FromFlat(new float[] { 2 }, new Shape(1, 1, 1, 1));
        var (w, _, _) = Window2D.Over(x.Shape, 2, 2, 2, 2, Padding.Valid, "pooling window");
        var (y, dx) = Pool(x, dout, w, fast: true);
        Assert.That(y.ToDoubles(), Is.EqualTo(new double[] { 5 }));
        Assert.That(dx.ToDoubles(), Is.EqualTo(new double[] { 2, 0, 0, 0, 0, 0, 0, 0, 0 }));
    }

    /// <summary>MaxPool and MaxPoolGrad on one path, into results filled with a value neither writes, so a cell left unwritten shows.</summary>
    private static (Tensor Y, Tensor Dx) Pool(Tensor x, Tensor dout, Window2D window, bool fast)
    {
        var be = CpuBackend.Instance;
        bool was = CpuBackend.MaxPoolFastPaths;
        try
        {
            CpuBackend.MaxPoolFastPaths = fast;
            var y = Filled(dout.Shape, x.DType);
            var dx = Filled(x.Shape, x.DType);
            be.MaxPool(x, window, y);
            be.MaxPoolGrad(x, dout, window, dx);
            return (y, dx);
        }
        finally
        {
            CpuBackend.MaxPoolFastPaths = was;
        }
    }

    /// <summary>Values from {-2, -1, -0, +0, 1, 2}, one in fifty NaN.</summary>
    private static Tensor FewValues(Shape shape, DType dtype, int seed)
    {
        var random = new Random(seed);
        double[] choices = [-2, -1, -0.0, 0, 1, 2];
        return Of([.. Enumerable.Range(0, shape.Size).Select(_ => random.Next(50) == 0 ? double.NaN : choices[random.Next(choices.Length)])],
            shape, dtype);
    }

    /// <summary>A gradient of random values, one in five of them -0.</summary>
    private static Tensor Gradient(Shape shape, DType dtype, int seed)
    {
        var random = new Random(seed);
        return Of([.. Enumerable.Range(0, shape.Size).Select(_ => random.Next(5) == 0 ? -0.0 : random.NextDouble() * 2 - 1)], shape, dtype);
    }

    private static Tensor Filled(Shape shape, DType dtype) => Of(Enumerable.Repeat(12345.0, shape.Size).ToArray(), shape, dtype);

    private static Tensor Of(double[] values, Shape shape, DType dtype) => dtype == DType.Float64
        ? Tensor.FromFlat(values, shape)
        : Tensor.FromFlat(values.Select(v => (float)v).ToArray(), shape);

    private static long[] Bits(Tensor t) => t.DType == DType.Float64
        ? [.. t.ReadOnlySpan<double>().ToArray().Select(BitConverter.DoubleToInt64Bits)]
        : [.. t.ReadOnlySpan<float>().ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v))];
}
