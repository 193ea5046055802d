using System.Globalization;
using GraphDL.Data;
using GraphDL.Lessons;
using GraphDL.Summaries;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

public class IrisTests
{
    [Test]
    public void ShipsTheIrisDataSetAsTheSlideLoadsIt()
    {
        var iris = Datasets.Iris();
        Assert.That(iris.Header, Is.EqualTo(new[] { "sepal_length", "sepal_width", "petal_length", "petal_width", "species" }));
        Assert.That(iris.RowCount, Is.EqualTo(150));
        var species = iris.Classes("species");
        Assert.That(species.Names, Is.EqualTo(new[] { "setosa", "versicolor", "virginica" }));
        Assert.That(species.Labels.CountBy(l => l).Select(p => p.Value), Is.EqualTo(new[] { 50, 50, 50 }));
        // The two flowers that later versions of the data set corrected (samples 35 and 38, 1-based);
        // the slide's losses match these values and not the older ones.
        Assert.That(iris.Rows[34].Take(4), Is.EqualTo(new[] { "4.9", "3.1", "1.5", "0.2" }));
        Assert.That(iris.Rows[37].Take(4), Is.EqualTo(new[] { "4.9", "3.6", "1.4", "0.1" }));
        Assert.That(iris.Numbers("petal_length").Sum(), Is.EqualTo(563.7).Within(1e-9));
    }

    [Test]
    public void FullRunReproducesTheSlide()
    {
        var result = LessonHarness.RunAndExpectPass("Iris");
        Assert.That(result.Steps, Is.EqualTo(100_001));

        var slideLoss = new Dictionary<int, double>
        {
            [0] = 1.09861, [10_000] = 0.35752, [20_000] = 0.27034, [30_000] = 0.22396, [40_000] = 0.19488, [50_000] = 0.17486,
        };
        foreach (var (step, slide) in slideLoss)
        {
            var figure = result.Figure($"step {step} loss");
            Assert.That(figure.Passed, Is.True, figure.Name);
            Assert.That((double)figure.Ours!, Is.EqualTo(slide).Within(1e-4), figure.Name);
        }

        // float32's reduce_mean of 148 ones and 2 zeros.
        Assert.That((double)result.Figure("accuracy").Ours!, Is.EqualTo((double)(148f / 150f)).Within(1e-9));
        Assert.That(result.Figure("correct predictions").Ours, Is.EqualTo(148.0));
        Assert.That(result.Figure("crosstab row 0").Ours, Is.EqualTo("50 0 0 | 50"));
        Assert.That(result.Figure("crosstab row 1").Ours, Is.EqualTo("0 48 2 | 50"));
        Assert.That(result.Figure("crosstab row 2").Ours, Is.EqualTo("0 0 50 | 50"));
        Assert.That(result.Figure("crosstab row All").Ours, Is.EqualTo("50 48 52 | 150"));

        foreach (string png in new[] { "loss.png", "petals.png" })
            FigureAssert.IsFigure(LessonHarness.OutFile("Iris", png));
    }

    [Test]
    public void AShortRunChecksWhatItReachesAndSkipsTheRest()
    {
        var result = LessonHarness.RunAndExpectPass("Iris", "--steps", "10001");
        Assert.That(result.Figure("step 0 loss").Passed, Is.True);
        Assert.That(result.Figure("step 10000 loss").Passed, Is.True);
        foreach (string skipped in new[] { "step 20000 loss", "step 50000 loss", "correct predictions", "crosstab" })
        {
            var figure = result.Figure(skipped);
            Assert.That(figure.Passed, Is.Null, skipped);
            Assert.That(figure.Rule, Does.StartWith("skipped"), skipped);
        }
        // The accuracy is only shown: after a tenth of the training it is good but not yet the slide's.
        double accuracy = Convert.ToDouble(result.Figure("accuracy").Ours, CultureInfo.InvariantCulture);
        Assert.That(accuracy, Is.GreaterThan(0.9).And.LessThanOrEqualTo(1.0));

        // The board: one run, board/ itself, with the graph, the loss every 100 steps and the accuracy at the end.
        Assert.That(BoardAssert.Runs("Iris"), Is.EqualTo(new[] { "" }));
        var board = BoardAssert.Run("Iris");
        var graph = board.HasGraph(("x", NodeKind.Placeholder), ("y", NodeKind.Placeholder), ("W", NodeKind.Variable), ("b", NodeKind.Variable));
        Assert.That(graph.Nodes.Count(n => n.Kind == NodeKind.Gradient), Is.GreaterThan(0), "the gradient builder's nodes");
        Assert.That(graph.Nodes.Count(n => n.Kind == NodeKind.Optimizer), Is.GreaterThan(0), "gradient descent's updates");
        double[] loss = board.HasScalars("loss", BoardAssert.Steps(0, 10_000, every: 100));
        // The logged losses are the ones the lesson printed and checked, to the bit.
        Assert.That((float)loss[0], Is.EqualTo((float)(double)result.Figure("step 0 loss").Ours!));
        Assert.That((float)loss[^1], Is.EqualTo((float)(double)result.Figure("step 10000 loss").Ours!));
        // Both are float32 numbers; result.json may print a float in fewer digits than the double the board keeps.
        Assert.That((float)board.HasScalars("accuracy", [10_000])[0], Is.EqualTo((float)accuracy));
        // Step 1 ran the training op, so its profile holds the updates of W and b.
        var profile = board.HasOneStepProfile(step: 1);
        var updates = graph.Nodes.Where(n => n.Kind == NodeKind.Optimizer).Select(n => n.Name);
        Assert.That(profile.Nodes.Keys.Intersect(updates), Is.Not.Empty, "the profiled step updated the weights");
    }
}
