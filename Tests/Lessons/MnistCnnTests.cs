using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// A short run only: the full run trains for a few minutes on two cores, so Tour checks its accuracy; here the
/// lesson must build its network, train a little, write its result and pictures, and say what it skipped.
/// </summary>
public class MnistCnnTests
{
    [Test]
    public void ShortRunCompletesAndSkipsTheFullRunFigures()
    {
        var result = LessonHarness.RunAndExpectPass("MnistCnn", "--steps", "20");
        Assert.That(result.Steps, Is.EqualTo(20));
        Assert.That(File.Exists(LessonHarness.OutFile("MnistCnn", "result.json")), Is.True);

        Assert.That(result.Figure("h_pool2 shape").Ours, Is.EqualTo("(?, 7, 7, 32)"));
        var accuracy = result.Figure("test accuracy");
        Assert.That(accuracy.Passed, Is.Null);
        Assert.That(accuracy.Ours, Is.Null);
        Assert.That(accuracy.Rule, Does.StartWith("skipped"));

        // Glorot-initialised layers start near the loss of a uniform guess over ten digits, ln 10 = 2.30.
        Assert.That((double)result.Figure("step 0 loss").Ours!, Is.InRange(1.8, 3.0));
        Assert.That((double)result.Figure("ms per training step").Ours!, Is.GreaterThan(0));

        FigureAssert.IsFigure(LessonHarness.OutFile("MnistCnn", "conv1.png"), 1200, 640);
        FigureAssert.IsFigure(LessonHarness.OutFile("MnistCnn", "curves.png"), 1200, 520);
    }
}
