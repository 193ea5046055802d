using GraphDL.Tests.Plots;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

public class AndOrXorTests
{
    [Test]
    public void ThePerceptronLearnsAndAndOrButNotXorWhichTheMlpLearns()
    {
        var result = LessonHarness.RunAndExpectPass("AndOrXor");
        Assert.That(result.Steps, Is.EqualTo(5000));

        Assert.That(result.Figure("perceptron learns AND: correct of 4").Ours, Is.EqualTo(4.0));
        Assert.That(result.Figure("perceptron learns OR: correct of 4").Ours, Is.EqualTo(4.0));
        Assert.That((double)result.Figure("perceptron on XOR: best correct of 4 over 100 epochs").Ours!, Is.LessThan(4.0));

        // The slide's table for the hand-set network, row by row: y1 y2 | ŷ | XOR.
        Assert.That(result.Figure("hand-set XOR network, x = 00: y1 y2 | ŷ | XOR").Ours, Is.EqualTo("0 1 | 0 | 0"));
        Assert.That(result.Figure("hand-set XOR network, x = 01: y1 y2 | ŷ | XOR").Ours, Is.EqualTo("0 0 | 1 | 1"));
        Assert.That(result.Figure("hand-set XOR network, x = 10: y1 y2 | ŷ | XOR").Ours, Is.EqualTo("0 0 | 1 | 1"));
        Assert.That(result.Figure("hand-set XOR network, x = 11: y1 y2 | ŷ | XOR").Ours, Is.EqualTo("1 0 | 0 | 0"));

        Assert.That(result.Figure("2-4-1 MLP learns XOR: correct of 4").Ours, Is.EqualTo(4.0));

        var png = FigureAssert.IsFigure(LessonHarness.OutFile("AndOrXor", "decision_regions.png"), 1000, 1000);
        foreach (int k in new[] { 0, 1 })
        {
            var region = GraphDL.Plots.Palette.Get(k).Lighten(0.6);
            Assert.That(png.Pixels(0, 0, png.Width, png.Height).Count(p => DecodedImage.Distance(p.C, region) <= 3), Is.GreaterThan(20_000),
                $"four panels of filled regions: class {k}'s colour covers part of them");
        }
    }

    [Test]
    public void AShortRunSkipsTheMlpVerdictButStillChecksThePerceptronAndTheTable()
    {
        var result = LessonHarness.RunAndExpectPass("AndOrXor", "--steps", "50");
        var mlp = result.Figure("2-4-1 MLP learns XOR: correct of 4");
        Assert.That(mlp.Passed, Is.Null);
        Assert.That(mlp.Rule, Does.StartWith("skipped"));
        Assert.That(result.Figure("perceptron learns AND: correct of 4").Passed, Is.True);
        Assert.That(result.Figure("hand-set XOR network, x = 11: y1 y2 | ŷ | XOR").Passed, Is.True);
    }
}
