using GraphDL.Lessons;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// A short run only: the full 60 epochs, twice, take tens of seconds on two cores, so Tour checks the
/// overfitting figures; here three epochs must run, write their result and picture, and skip those.
/// </summary>
public class DropoutTests
{
    [Test]
    public void ShortRunCompletesAndSkipsTheFullRunFigures()
    {
        var result = LessonHarness.RunAndExpectPass("Dropout", "--steps", "3");
        Assert.That(result.Steps, Is.EqualTo(3));

        foreach (string name in new[] { "no dropout: train accuracy (last 10 epochs)", "train - validation gap, no dropout vs dropout", "validation loss, no dropout vs dropout" })
        {
            var figure = result.Figure(name);
            Assert.That(figure.Passed, Is.Null, name);
            Assert.That(figure.Rule, Does.StartWith("skipped"), name);
        }
        Assert.That(result.Figure("dropout network, two evaluations with keepProb 1.0").Passed, Is.True);

        // Three epochs on 1,000 images already read most validation digits...
        double plainValidation = (double)result.Figure("no dropout: validation accuracy (last 10 epochs)").Ours!;
        double dropoutValidation = (double)result.Figure("dropout: validation accuracy (last 10 epochs)").Ours!;
        Assert.That(plainValidation, Is.InRange(0.6, 1.0));
        Assert.That(dropoutValidation, Is.InRange(0.5, 1.0));

        // ...and dropout, by training a different thinned network at every step, fits the training
        // images more slowly than the plain network does (train accuracy = gap + validation accuracy).
        double plainTrain = (double)result.Figure("no dropout: train - validation accuracy (last 10 epochs)").Ours! + plainValidation;
        double dropoutTrain = (double)result.Figure("dropout: train - validation accuracy (last 10 epochs)").Ours! + dropoutValidation;
        Assert.That(dropoutTrain, Is.LessThan(plainTrain));

        FigureAssert.IsFigure(LessonHarness.OutFile("Dropout", "curves.png"), 1300, 560);
    }
}
