using GraphDL.Lessons;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

public class LinearFitTests
{
    private const double SlideW = 0.8749312625981284, SlideB = -26.7907861679542;

    // The least-squares line's mean squared error, worked out here from the data by hand.
    private static double OptimumCost()
    {
        double[] x = [32, 64, 96, 118, 126, 144, 152.5, 158];
        double[] y = [18, 24, 61.5, 49, 52, 105, 130.3, 125];
        return x.Zip(y).Average(p => Math.Pow(SlideW * p.First + SlideB - p.Second, 2));
    }

    [Test]
    public void ShortRunSolvesTheLineExactlyAndStartsGradientDescent()
    {
        var result = LessonHarness.RunAndExpectPass("LinearFit", "--steps", "3000");
        Assert.That(result.Steps, Is.EqualTo(3000));

        Assert.That(result.Figure("normal equation, printed").Ours, Is.EqualTo("[0.87493126 -26.79078617]"));
        Assert.That((double)result.Figure("normal equation a").Ours!, Is.EqualTo(SlideW).Within(1e-9));
        Assert.That((double)result.Figure("normal equation b").Ours!, Is.EqualTo(SlideB).Within(1e-9));
        Assert.That((double)result.Figure("polyfit w").Ours!, Is.EqualTo(SlideW).Within(1e-9));
        Assert.That((double)result.Figure("polyfit b").Ours!, Is.EqualTo(SlideB).Within(1e-9));

        // 3,000 steps cannot reach the slide's figure; no line can do better than the least-squares one.
        var final = result.Figure("final cost");
        Assert.That(final.Passed, Is.Null);
        Assert.That(final.Rule, Does.StartWith("skipped"));
        double cost = (double)result.Figure("cost after 3,000 steps").Ours!;
        Assert.That(OptimumCost(), Is.EqualTo(355.9414).Within(1e-4));
        Assert.That(cost, Is.GreaterThanOrEqualTo(OptimumCost() * (1 - 1e-6)));
        Assert.That(double.IsFinite(cost), Is.True);
        Assert.That(result.Figure("gradient descent wall time (s)").Slide, Is.EqualTo(418.0));

        foreach (string png in new[] { "fit.png", "cost.png" })
            Assert.That(new FileInfo(LessonHarness.OutFile("LinearFit", png)).Length, Is.GreaterThan(1000), png);
    }
}
