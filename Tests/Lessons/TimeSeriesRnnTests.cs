using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

public class TimeSeriesRnnTests
{
    [Test]
    public void TheRnnForecastsFarBetterThanTheLastValueButNotBetterThanTheNoise()
    {
        var result = LessonHarness.RunAndExpectPass("TimeSeriesRnn");
        Assert.That(result.Steps, Is.EqualTo(1000));

        double naive = (double)result.Figure("naive (last value) test MSE").Ours!;
        double rnn = (double)result.Figure("RNN test MSE").Ours!;
        Assert.That(rnn / naive, Is.LessThanOrEqualTo(0.25));
        Assert.That((double)result.Figure("RNN / naive test MSE").Ours!, Is.EqualTo(rnn / naive).Within(1e-6));
        // The uniform noise of width 0.1 has variance 0.1² / 12 that no forecast can remove: an MSE below it
        // would mean the target leaked into the input.
        Assert.That(rnn, Is.GreaterThan(0.1 * 0.1 / 12));

        foreach (string png in new[] { "prediction.png", "loss.png" })
            FigureAssert.IsFigure(LessonHarness.OutFile("TimeSeriesRnn", png));
    }
}
