using GraphDL.Plots;
using NUnit.Framework;

namespace GraphDL.Tests.Plots;

public class TrainingCurvesTests
{
    [Test]
    public void PairsEachMetricWithItsValidationTwin()
    {
        var fig = TrainingCurves.Create(TestData.History());
        Assert.That(fig.Panels, Has.Count.EqualTo(2));
        var loss = (Plot)fig.Panels[0];
        var acc = (Plot)fig.Panels[1];
        Assert.That(loss.TitleText.Text, Is.EqualTo("Loss"));
        Assert.That(acc.TitleText.Text, Is.EqualTo("Accuracy"));
        Assert.That(loss.Plottables.SelectMany(p => p.LegendTexts).Select(t => t.Text), Is.EqualTo(new[] { "train", "validation" }));
    }

    [Test]
    public void UnpairedSeriesGetTheirOwnPanelAndLogScaleIsOptional()
    {
        var h = new Dictionary<string, IReadOnlyList<double>>
        {
            ["loss"] = [1.0, 0.1, 0.01],
            ["lr"] = [0.1, 0.05, 0.01],
            ["val_auc"] = [0.5, 0.7, 0.8],
        };
        var fig = TrainingCurves.Create(h, logScaleLoss: true);
        Assert.That(fig.Panels, Has.Count.EqualTo(3));
        Assert.That(((Plot)fig.Panels[0]).Axes.Left.IsLog, Is.True);
        Assert.That(((Plot)fig.Panels[1]).Axes.Left.IsLog, Is.False);
        var png = DecodedImage.FromPng(fig.GetImageBytes(900, 300));
        Assert.That(png.Width, Is.EqualTo(900));
        var logPanel = (Plot)fig.Panels[0];
        Assert.That(logPanel.LastRender!.Value.AxisLimits.Top, Is.LessThan(1), "the log panel's axis runs in decades: log10(1.0) = 0 is near its top");
    }

    [Test]
    public void SeriesCanLieAtTheStepsTheyWereTakenAtUnderTheirOwnNames()
    {
        var h = new Dictionary<string, IReadOnlyList<double>> { ["loss"] = [2.0, 0.5, 0.2], ["val_loss"] = [2.1, 0.6, 0.3] };
        var fig = TrainingCurves.Create(h, xLabel: "step", x: [0, 100, 200], trainName: "batches", validationName: "test");
        var series = ((Plot)fig.Panels[0]).Plottables.OfType<Scatter>().ToList();
        Assert.That(series.Select(p => p.Xs), Has.All.EqualTo(new[] { 0.0, 100, 200 }));
        Assert.That(series.SelectMany(p => p.LegendTexts).Select(t => t.Text), Is.EqualTo(new[] { "batches", "test" }));
        var e = Assert.Throws<ArgumentException>(() => TrainingCurves.Create(h, x: [0, 100]));
        Assert.That(e!.Message, Does.Contain("'loss' has 3 values for 2 x positions"));
    }
}
