using System.Globalization;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

public class CharRnnHelloTests
{
    [Test]
    public void LearnsToPredictElloFromHell()
    {
        var result = LessonHarness.RunAndExpectPass("CharRnnHello");
        Assert.That(result.Steps, Is.EqualTo(200));
        Assert.That(result.Figure("prediction for \"hell\"").Ours, Is.EqualTo("ello"));
        Assert.That((double)result.Figure("final loss").Ours!, Is.LessThan(0.05));
        Assert.That(result.Figure("parameters (W_xh, W_hh, b_h, W_hy, b_y)").Ours, Is.EqualTo(40.0));
        Assert.That((double)result.Figure("SimpleRnnCell vs the loop, max |h difference|").Ours!, Is.LessThan(1e-6));

        foreach (string png in new[] { "loss.png", "probabilities.png" })
            FigureAssert.IsFigure(LessonHarness.OutFile("CharRnnHello", png));
    }

    [Test]
    public void TheSameSeedGivesTheSameRunAndAnotherSeedAnotherOne()
    {
        double FinalLoss(string seed) => Convert.ToDouble(
            LessonHarness.RunAndExpectPass("CharRnnHello", "--steps", "30", "--seed", seed).Figure("final loss").Ours, CultureInfo.InvariantCulture);
        double first = FinalLoss("3");
        Assert.That(FinalLoss("3"), Is.EqualTo(first));
        Assert.That(FinalLoss("4"), Is.Not.EqualTo(first));
    }
}
