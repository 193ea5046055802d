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
        // Seed 003's weights, (out, in) as the slide writes them: 4 inputs, 6 hidden units, 2 outputs.
        Assert.That(result.Figure("seed 003 RNN: U (4 inputs -> 6 hidden), kernel transposed").Ours, Is.EqualTo("6x4"));
        Assert.That(result.Figure("seed 003 RNN: V (6 hidden -> 2 outputs), Dense kernel transposed").Ours, Is.EqualTo("2x6"));
        Assert.That(result.Figure("seed 003 RNN: W (6 hidden -> 6 hidden), recurrent kernel").Ours, Is.EqualTo("6x6"));
        Assert.That(result.Figure("seed 003 RNN: parameters with biases").Ours, Is.EqualTo(6.0 * 4 + 6 * 6 + 6 + 2 * 6 + 2));

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
