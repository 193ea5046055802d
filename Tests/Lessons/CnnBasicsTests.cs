using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

public class CnnBasicsTests
{
    [Test]
    public void TheOutputSizesTheConvolutionAndThePoolingMatchTheSlides()
    {
        var result = LessonHarness.RunAndExpectPass("CnnBasics");

        // The five exercises, worked out here with the floor a VALID convolution takes.
        (int H, int W, int F, int S, int P)[] exercises = [(227, 227, 11, 4, 0), (64, 64, 7, 2, 0), (32, 32, 5, 1, 2), (32, 64, 5, 1, 0), (64, 32, 3, 1, 1)];
        for (int k = 0; k < exercises.Length; k++)
        {
            var (h, w, f, s, p) = exercises[k];
            string expected = $"{(h - f + 2 * p) / s + 1}x{(w - f + 2 * p) / s + 1}";
            Assert.That(result.Figure($"exercise {k + 1}: {h}x{w}, {f}x{f} filter, stride {s}, padding {p}").Ours, Is.EqualTo(expected));
        }
        Assert.That((double)result.Figure("exercise 2: the formula").Ours!, Is.EqualTo(29.5));

        Assert.That(result.Figure("5x5 image * 3x3 filter").Ours, Is.EqualTo("[[4,3,4],[2,4,3],[2,3,4]]"));
        Assert.That(result.Figure("padding 1: feature map").Ours, Is.EqualTo(PaddedMapByHand()));
        Assert.That(result.Figure("max pooling").Ours, Is.EqualTo("[[9,8],[19,8]]"));
        Assert.That(result.Figure("average pooling").Ours, Is.EqualTo("[[5,3.5],[12.75,5.75]]"));
        Assert.That(result.Figure("min pooling").Ours, Is.EqualTo(MinPooledByHand()));
        Assert.That(result.Figure("1x1 convolution: output of 100x100x60 through 20 filters").Ours, Is.EqualTo("100x100x20"));
        Assert.That(result.Figure("1x1 convolution: parameters").Ours, Is.EqualTo(1.0 * 1 * 60 * 20 + 20));

        FigureAssert.IsFigure(LessonHarness.OutFile("CnnBasics", "convolution.png"), 1600, 460);
        FigureAssert.IsFigure(LessonHarness.OutFile("CnnBasics", "pooling.png"), 1600, 460);
    }

    // The smallest value of each 2x2 window of the pooling example, stride 2.
    private static string MinPooledByHand()
    {
        int[,] pool = { { 1, 4, 8, 3 }, { 6, 9, 2, 1 }, { 11, 13, 6, 7 }, { 8, 19, 8, 2 } };
        var rows = Enumerable.Range(0, 2).Select(i => "[" + string.Join(",", Enumerable.Range(0, 2).Select(j =>
            Enumerable.Range(0, 4).Min(k => pool[2 * i + k / 2, 2 * j + k % 2]))) + "]");
        return "[" + string.Join(",", rows) + "]";
    }

    // The slide's image and filter with a ring of zeros, slid by hand.
    private static string PaddedMapByHand()
    {
        int[,] image = { { 1, 1, 1, 0, 0 }, { 0, 1, 1, 1, 0 }, { 0, 0, 1, 1, 1 }, { 0, 0, 1, 1, 0 }, { 0, 1, 1, 0, 0 } };
        int[,] filter = { { 1, 0, 1 }, { 0, 1, 0 }, { 1, 0, 1 } };
        int At(int r, int c) => r is >= 0 and < 5 && c is >= 0 and < 5 ? image[r, c] : 0;
        var rows = Enumerable.Range(0, 5).Select(i => "[" + string.Join(",", Enumerable.Range(0, 5).Select(j =>
            Enumerable.Range(0, 9).Sum(k => At(i + k / 3 - 1, j + k % 3 - 1) * filter[k / 3, k % 3]))) + "]");
        return "[" + string.Join(",", rows) + "]";
    }
}
