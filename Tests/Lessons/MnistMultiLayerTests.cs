using GraphDL.Lessons;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// A short run only: the full 3,001 steps take tens of seconds on two cores, so Tour checks those
/// figures; here the lesson must run, write its result and pictures, and say what it skipped.
/// </summary>
public class MnistMultiLayerTests
{
    [Test]
    public void ShortRunCompletesAndSkipsTheFullRunFigures()
    {
        var result = LessonHarness.RunAndExpectPass("MnistMultiLayer", "--steps", "60");
        Assert.That(result.Steps, Is.EqualTo(60));
        Assert.That(File.Exists(LessonHarness.OutFile("MnistMultiLayer", "result.json")), Is.True);

        Assert.That(result.Figure("first ten test labels").Passed, Is.True);
        foreach (string name in new[] { "test accuracy", "first ten predictions" })
        {
            var figure = result.Figure(name);
            Assert.That(figure.Passed, Is.Null, name);
            Assert.That(figure.Ours, Is.Null, name);
            Assert.That(figure.Rule, Does.StartWith("skipped"), name);
        }

        // Random weights of stddev 0.1 and biases of 0.1 start near, not at, ln 10.
        double firstLoss = (double)result.Figure("step 0 loss").Ours!;
        Assert.That(firstLoss, Is.InRange(1.5, 5.0));
        Assert.That((double)result.Figure("ms per training step").Ours!, Is.GreaterThan(0));

        FigureAssert.IsFigure(LessonHarness.OutFile("MnistMultiLayer", "curves.png"), 1200, 520);
    }

    [Test]
    public void OtherSeedOtherStart()
    {
        // The seed draws the initial weights and the batch order, so the first loss moves with it.
        var seven = LessonHarness.RunAndExpectPass("MnistMultiLayer", "--steps", "1", "--seed", "7");
        var eight = LessonHarness.RunAndExpectPass("MnistMultiLayer", "--steps", "1", "--seed", "8");
        Assert.That(eight.Figure("step 0 loss").Ours, Is.Not.EqualTo(seven.Figure("step 0 loss").Ours));
    }
}
