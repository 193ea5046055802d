using GraphDL.Lessons;
using GraphDL.Summaries;
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

        // The board: a run per optimizer and task, so that the five share one chart per tag.
        Assert.That(BoardAssert.Runs("Optimizers"), Is.EquivalentTo(Optimizers.SelectMany(name => new[] { $"bowl/{name}", $"mnist/{name}" })));
        var firstLosses = new List<double>();
        foreach (string name in Optimizers)
        {
            var bowl = BoardAssert.Run("Optimizers", $"bowl/{name}");
            bowl.HasGraph(("x", NodeKind.Variable), ("y", NodeKind.Variable));
            // Every point of the path, the start included: (-7, 2), where f = 49/20 + 4.
            double[] pathX = bowl.HasScalars("bowl/x", BoardAssert.Steps(0, 100)), pathY = bowl.HasScalars("bowl/y", BoardAssert.Steps(0, 100));
            double[] f = bowl.HasScalars("bowl/f", BoardAssert.Steps(0, 100));
            Assert.That((pathX[0], pathY[0], f[0]), Is.EqualTo((-7.0, 2.0, 49.0 / 20 + 4)), name);
            Assert.That(Math.Sqrt(pathX[^1] * pathX[^1] + pathY[^1] * pathY[^1]), Is.EqualTo((double)result.Figure($"{name}: distance from (0, 0) after 100 steps").Ours!),
                $"{name}: the path's end is the one the lesson checked");

            var mnist = BoardAssert.Run("Optimizers", $"mnist/{name}");
            mnist.HasGraph(("x", NodeKind.Placeholder), ("y", NodeKind.Placeholder), ("W1", NodeKind.Variable), ("b1", NodeKind.Variable),
                ("W2", NodeKind.Variable), ("b2", NodeKind.Variable));
            double[] loss = mnist.HasScalars("mnist/loss", BoardAssert.Steps(0, 99));
            firstLosses.Add(loss[0]);
            double testAccuracy = mnist.HasScalars("mnist/test_accuracy", [99])[0];
            Assert.That(Math.Round(testAccuracy, 4), Is.EqualTo((double)result.Figure($"{name}: test accuracy").Ours!), $"{name}: result.json keeps 4 digits");
            mnist.HasOneStepProfile(step: 1);
        }
        // The same start: one step-0 loss for all five, the one the lesson printed (to its 7 digits).
        Assert.That(firstLosses.Distinct(), Has.Exactly(1).Items);
        Assert.That(firstLosses[0], Is.EqualTo(firstLoss).Within(5e-7 * firstLoss));
        // Plain gradient descent keeps no state; Adam keeps two slots per weight and its step counts: the board tells them apart.
        int OptimizerNodes(string name) => BoardAssert.Run("Optimizers", $"mnist/{name}").Graph!.Nodes.Count(n => n.Kind == NodeKind.Optimizer);
        Assert.That(OptimizerNodes("Adam"), Is.GreaterThan(OptimizerNodes("SGD")));
    }
}
