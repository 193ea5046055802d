using GraphDL.Lessons;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

public class MnistSingleLayerTests
{
    [Test]
    public void FullRunReproducesTheSlide()
    {
        var result = LessonHarness.RunAndExpectPass("MnistSingleLayer");
        Assert.That(result.Steps, Is.EqualTo(1_001));

        // Zero weights: every digit gets probability 1/10 on the first batch.
        Assert.That((double)result.Figure("step 0 loss").Ours!, Is.EqualTo(Math.Log(10)).Within(1e-5));
        Assert.That(result.Figure("test accuracy").Passed, Is.True);
        Assert.That((double)result.Figure("test accuracy").Ours!, Is.InRange(0.910, 0.930));
        Assert.That(result.Figure("first ten test labels").Ours, Is.EqualTo("[7 2 1 0 4 1 4 9 5 9]"));

        // Not judged by the lesson: a model of 92% should read at least eight of these ten digits.
        string predictions = (string)result.Figure("first ten predictions").Ours!;
        int[] predicted = [.. predictions.Trim('[', ']').Split(' ').Select(int.Parse)];
        int[] labels = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9];
        Assert.That(predicted, Has.Length.EqualTo(10));
        Assert.That(predicted.Zip(labels).Count(p => p.First == p.Second), Is.GreaterThanOrEqualTo(8), predictions);

        FigureAssert.IsFigure(LessonHarness.OutFile("MnistSingleLayer", "loss.png"), 800, 600);
        FigureAssert.IsFigure(LessonHarness.OutFile("MnistSingleLayer", "predictions.png"), 960, 560);
    }
}
