using GraphDL.Lessons;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// The paths on f(x, y) = x²/20 + y² always take their full 100 steps, so every path figure is checked
/// here; the MNIST part runs 100 of its 300 steps (the full run takes several seconds on two cores),
/// which leaves the "SGD is slowest" figure to Tour.
/// </summary>
public class OptimizersTests
{
    private static readonly string[] Optimizers = ["SGD", "Momentum", "AdaGrad", "RMSprop", "Adam"];

    [Test]
    public void PathsAndShortMnistRun()
    {
        var result = LessonHarness.RunAndExpectPass("Optimizers", "--steps", "100");
        Assert.That(result.Steps, Is.EqualTo(100));

        // Not taken from the lesson's own rule: gradient descent on this f has a closed form. With
        // ∂f/∂x = x/10 and ∂f/∂y = 2y, each step multiplies x by 1 - 0.095 and y by 1 - 1.9.
        double x = -7 * Math.Pow(1 - 0.095, 100), y = 2 * Math.Pow(1 - 1.9, 100);
        double sgdDistance = (double)result.Figure("SGD: distance from (0, 0) after 100 steps").Ours!;
        Assert.That(sgdDistance, Is.EqualTo(Math.Sqrt(x * x + y * y)).Within(1e-3).Percent);

        foreach (string name in Optimizers)
            Assert.That((double)result.Figure($"{name}: distance from (0, 0) after 100 steps").Ours!, Is.LessThanOrEqualTo(0.05), name);
        Assert.That(result.Figure("SGD: y sign changes in the first 30 steps (zig-zag)").Ours, Is.EqualTo(30));
        Assert.That((double)result.Figure("Momentum: farthest x past the minimum").Ours!, Is.GreaterThan(0));
        Assert.That((double)result.Figure("Adam: farthest x past the minimum").Ours!, Is.GreaterThan(0));

        // Same initial weights and batches: one step-0 loss for all, near ln 10 for ten classes.
        double firstLoss = double.Parse((string)result.Figure("step 0 loss, all five").Ours!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(firstLoss, Is.InRange(1.5, 4.0));
        foreach (string name in Optimizers)
        {
            Assert.That((double)result.Figure($"{name}: mean loss of the last 20 steps").Ours!, Is.LessThan(firstLoss), name);
            Assert.That((double)result.Figure($"{name}: test accuracy").Ours!, Is.InRange(0.2, 1.0), name);
        }

        var slowest = result.Figure("slowest optimizer (highest final loss)");
        Assert.That(slowest.Passed, Is.Null);
        Assert.That(slowest.Rule, Does.StartWith("skipped"));

        FigureAssert.IsFigure(LessonHarness.OutFile("Optimizers", "paths.png"), 1500, 860);
        FigureAssert.IsFigure(LessonHarness.OutFile("Optimizers", "mnist_loss.png"), 900, 600);
    }
}
