using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>Conv1D against a plain loop over the formula of tf.nn.conv1d, for VALID, SAME and explicit padding and strides 1 to 3, and its shape errors.</summary>
public class Conv1DTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        (int Width, int Filter, int Stride, string Padding)[] cases =
        [
            (7, 3, 1, "valid"), (7, 3, 2, "valid"), (8, 3, 3, "valid"),
            (7, 3, 1, "same"), (7, 3, 2, "same"), (8, 4, 2, "same"), (6, 2, 3, "same"),
            (6, 3, 2, "explicit"),
        ];
        foreach (var (width, filter, stride, padding) in cases)
            yield return new TestCaseData(width, filter, stride, padding).SetName($"Conv1D_{padding}_w{width}_k{filter}_s{stride}");
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesALoopOverTheFormula(int width, int filterWidth, int stride, string paddingName)
    {
        const int batch = 2, inChannels = 3, outChannels = 2;
        var rng = new Random(4);
        var x = new double[batch, width, inChannels];
        var w = new double[filterWidth, inChannels, outChannels];
        Fill(x, rng);
        Fill(w, rng);

        // TF's rules: VALID fits the filter only where it lies inside; SAME gives ceil(width / stride) outputs
        // with the padding split evenly and the odd one on the right.
        var (padding, outWidth, left) = paddingName switch
        {
            "valid" => (Padding.Valid, (width - filterWidth) / stride + 1, 0),
            "same" => (Padding.Same, (width + stride - 1) / stride,
                Math.Max(((width + stride - 1) / stride - 1) * stride + filterWidth - width, 0) / 2),
            _ => (Padding.Explicit(0, 0, 2, 1), (width + 3 - filterWidth) / stride + 1, 2),
        };
        var g = new Graph();
        var y = new Session(g).Run(g.Conv1D(g.Constant(x), g.Constant(w), stride, padding));
        Assert.That(y.Shape, Is.EqualTo(new Shape(batch, outWidth, outChannels)));
        var values = y.ToDoubles();
        for (int n = 0; n < batch; n++)
            for (int j = 0; j < outWidth; j++)
                for (int k = 0; k < outChannels; k++)
                {
                    double expected = 0;
                    for (int dj = 0; dj < filterWidth; dj++)
                    {
                        int at = j * stride + dj - left;
                        if (at < 0 || at >= width) continue;
                        for (int c = 0; c < inChannels; c++) expected += x[n, at, c] * w[dj, c, k];
                    }
                    Assert.That(values[(n * outWidth + j) * outChannels + k], Is.EqualTo(expected).Within(1e-12), $"({n}, {j}, {k})");
                }
    }

    [Test]
    public void AnInputOfTheWrongRankNamesBothShapes()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2, 5, 4, 3), "images");
        var w = g.Placeholder(DType.Float32, new Shape(3, 3, 2), "filter");
        var e = Assert.Throws<ShapeException>(() => g.Conv1D(x, w));
        Assert.That(e!.Message, Is.EqualTo(
            "Conv1D needs an input of rank 3 (batch, width, in channels) and a filter of rank 3 (width, in channels, out channels), " +
            "got 'images' (2, 5, 4, 3) and 'filter' (3, 3, 2)."));
    }

    [Test]
    public void ChannelsThatDisagreeFailWithBothShapes()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2, 5, 4), "x");
        var w = g.Placeholder(DType.Float32, new Shape(3, 3, 2), "w");
        var e = Assert.Throws<ShapeException>(() => g.Conv1D(x, w));
        Assert.That(e!.Message, Is.EqualTo("Conv1D: the input 'x' (2, 5, 4) has 4 channels but the filter 'w' (3, 3, 2) expects 3."));
    }

    private static void Fill(Array a, Random rng)
    {
        var index = new int[a.Rank];
        for (int i = 0; i < a.Length; i++)
        {
            for (int axis = a.Rank - 1, rest = i; axis >= 0; rest /= a.GetLength(axis), axis--) index[axis] = rest % a.GetLength(axis);
            a.SetValue(rng.NextDouble() * 2 - 1, index);
        }
    }
}
