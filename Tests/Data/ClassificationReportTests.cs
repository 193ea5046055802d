using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class ClassificationReportTests
{
    [Test]
    public void ConfusionMatrixMatchesSklearnsDocExample()
    {
        // sklearn.metrics.confusion_matrix's docstring example.
        int[,] matrix = ClassificationReport.ConfusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]);
        Assert.That(matrix, Is.EqualTo(new[,] { { 2, 0, 0 }, { 0, 0, 1 }, { 1, 0, 2 } }));
    }

    [Test]
    public void ReportMatchesSklearnsDocExample()
    {
        // sklearn.metrics.classification_report's docstring example, character for character.
        var report = ClassificationReport.Compute([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], ["class 0", "class 1", "class 2"]);
        const string expected =
            "              precision    recall  f1-score   support\n" +
            "\n" +
            "     class 0       0.50      1.00      0.67         1\n" +
            "     class 1       0.00      0.00      0.00         1\n" +
            "     class 2       1.00      0.67      0.80         3\n" +
            "\n" +
            "    accuracy                           0.60         5\n" +
            "   macro avg       0.50      0.56      0.49         5\n" +
            "weighted avg       0.70      0.60      0.61         5\n";
        Assert.That(report.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void ScoresAreTheHandComputedFractions()
    {
        var report = ClassificationReport.Compute([0, 1, 2, 2, 2], [0, 0, 2, 2, 1]);
        Assert.That(report.Classes.Select(c => c.Name), Is.EqualTo(new[] { "0", "1", "2" }));
        Assert.That(report.Classes[0].Precision, Is.EqualTo(0.5));
        Assert.That(report.Classes[2].Recall, Is.EqualTo(2.0 / 3).Within(1e-15));
        Assert.That(report.Classes[2].F1, Is.EqualTo(0.8).Within(1e-15));
        Assert.That(report.Classes.Select(c => c.Support), Is.EqualTo(new[] { 1, 1, 3 }));
        Assert.That(report.Accuracy, Is.EqualTo(0.6));
        Assert.That(report.MacroAverage.Recall, Is.EqualTo((1 + 0 + 2.0 / 3) / 3).Within(1e-15));
        Assert.That(report.WeightedAverage.F1, Is.EqualTo((2.0 / 3 + 3 * 0.8) / 5).Within(1e-15));
    }

    [Test]
    public void MoreDigitsWidenTheNumbers()
    {
        var report = ClassificationReport.Compute([0, 1, 1], [0, 1, 0], digits: 4).ToString();
        Assert.That(report, Does.Contain("           0     0.5000    1.0000    0.6667         1\n"));
    }

    [Test]
    public void MismatchedInputsAreErrors()
    {
        Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([0, 1], [0]));
        var e = Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([0, 1, 2], [0, 1, 1], ["a", "b"]));
        Assert.That(e!.Message, Does.Contain("Number of classes, 3, does not match size of target_names, 2"));
    }

    [Test]
    public void CrossTabCountsPairsWithMarginsAndPrintsAsPandas()
    {
        var table = CrossTab.Compute([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]);
        Assert.That(table.RowLabels, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(table[1, 1], Is.EqualTo(2));
        Assert.That(table.RowTotals, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(table.ColumnTotals, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(table.Total, Is.EqualTo(5));
        Assert.That(table.ToString(), Is.EqualTo(
            "col_0  0  1  All\n" +
            "row_0\n" +
            "0      1  1    2\n" +
            "1      1  2    3\n" +
            "All    2  3    5"));
    }

    [Test]
    public void CrossTabHasAColumnOnlyForPredictedValuesThatOccur()
    {
        var table = CrossTab.Compute([0, 1, 2], [0, 0, 2]);
        Assert.That(table.ColumnLabels, Is.EqualTo(new[] { 0, 2 }));
        Assert.That(table.RowLabels, Is.EqualTo(new[] { 0, 1, 2 }));
    }
}
