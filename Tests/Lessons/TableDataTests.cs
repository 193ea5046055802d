using GraphDL.Tests.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// The full run: both networks' 100 epochs on 398 rows take about two seconds, so the exercise's figures
/// (validation accuracy, the best checkpoint) are checked here, not only in Tour.
/// </summary>
public class TableDataTests
{
    [Test]
    public void RunsTheChurnPipelineOnTheBreastCancerTable()
    {
        var result = LessonHarness.RunAndExpectPass("TableData");

        Assert.That(result.Figure("30-64-64-32-1: total params").Ours, Is.EqualTo(30 * 64 + 64 + 64 * 64 + 64 + 64 * 32 + 32 + 32 + 1.0));
        Assert.That(result.Figure("dropout 30-128-64-32-1: total params").Ours, Is.EqualTo(30 * 128 + 128 + 128 * 64 + 64 + 64 * 32 + 32 + 32 + 1.0));
        Assert.That(result.Figure("train_test_split(test_size=0.3): test rows, ceil(0.3 x 569)").Ours, Is.EqualTo(171.0));

        // The exercise's bar, and the checkpoint: what was loaded back is the best epoch, not the last.
        Assert.That((double)result.Figure("best val_accuracy (the exercise's bar 0.8)").Ours!, Is.AtLeast(0.8));
        Assert.That(result.Figure("best_model.npz loaded: val_accuracy = the best epoch's").Passed, Is.True);
        Assert.That(result.Figure("ModelCheckpoint: the last save is the best epoch's (counted from 0)").Passed, Is.True);
        Assert.That(File.Exists(LessonHarness.OutFile("TableData", "best_model.npz")), Is.True);

        FigureAssert.IsFigure(LessonHarness.OutFile("TableData", "curves.png"));
        FigureAssert.IsFigure(LessonHarness.OutFile("TableData", "confusion.png"), 700, 560);
    }

    [Test]
    public void NumpyReadsTheBestModel()
    {
        Assume.That(PythonNumpy.Available(), Is.True, "python3 with numpy is not installed here");
        LessonHarness.RunAndExpectPass("TableData", "--steps", "2");
        string listing = PythonNumpy.Run("import numpy as np, sys; d = np.load(sys.argv[1]); "
            + "print(' '.join(f'{k}:{d[k].dtype}{list(d[k].shape)}' for k in d.files))", LessonHarness.OutFile("TableData", "best_model.npz"));
        Assert.That(listing.Trim(), Is.EqualTo("dense/kernel:float32[30, 64] dense/bias:float32[64] dense_1/kernel:float32[64, 64] dense_1/bias:float32[64] "
            + "dense_2/kernel:float32[64, 32] dense_2/bias:float32[32] dense_3/kernel:float32[32, 1] dense_3/bias:float32[1]"));
    }

    [Test]
    public void ShortRunSkipsTheAccuracyBarButChecksTheCheckpoint()
    {
        var result = LessonHarness.RunAndExpectPass("TableData", "--steps", "3");
        Assert.That(result.Steps, Is.EqualTo(3));
        Assert.That(result.Figure("best val_accuracy (the exercise's bar 0.8)").Passed, Is.Null);
        Assert.That(result.Figure("best_model.npz loaded: val_accuracy = the best epoch's").Passed, Is.True);
    }
}
