using GraphDL.Keras;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// The short run CI can afford: one epoch (about 15 s on two cores) trains, checkpoints, restarts from the checkpoint
/// and samples at the three temperatures; the bars on the validation loss and the corpus words are the full run's (Tour).
/// </summary>
public class TextGenerationTests
{
    [Test]
    public void OneEpochCheckpointsResumesAndSamples()
    {
        var result = LessonHarness.RunAndExpectPass("TextGeneration", "--steps", "1");
        Assert.That(result.Steps, Is.EqualTo(1));
        Assert.That((double)result.Figure("corpus characters").Ours!, Is.GreaterThanOrEqualTo(500_000));
        Assert.That(result.Figure("resumed model's val_loss").Passed, Is.True);
        Assert.That(result.Figure("resumed optimizer iterations").Passed, Is.True);
        Assert.That(result.Figure("val_loss ≤ 0.6 × unigram").Passed, Is.Null, "only the full run is judged on it");
        // One epoch already beats the unigram baseline: the model learned something.
        Assert.That((double)result.Figure("val_loss (nats/char)").Ours!, Is.LessThan((double)result.Figure("unigram baseline (nats/char)").Ours!));

        string checkpoint = LessonHarness.OutFile("TextGeneration", Path.Combine("checkpoints", "ckpt_1.keras"));
        Assert.That(File.Exists(checkpoint), Is.True);
        Assert.That(Models.LoadModel(checkpoint).CountParams(), Is.EqualTo((long)(double)result.Figure("parameters").Ours!));

        string samples = File.ReadAllText(LessonHarness.OutFile("TextGeneration", "samples.txt"));
        foreach (string t in new[] { "0.2", "0.5", "1.0" })
            Assert.That(samples, Does.Contain($"--- temperature {t} ---\nHolmes "));
        FigureAssert.IsFigure(LessonHarness.OutFile("TextGeneration", "curves.png"));

        // Both fits logged to one board run through the TensorBoard callback: the one epoch, on training and validation data.
        Assert.That(BoardAssert.Runs("TextGeneration"), Is.EquivalentTo(new[] { "gru/train", "gru/validation" }));
        BoardAssert.Run("TextGeneration", "gru/train").HasScalars("epoch_loss", [0]);
        double validationLoss = BoardAssert.Run("TextGeneration", "gru/validation").HasScalars("epoch_loss", [0])[0];
        Assert.That(validationLoss, Is.EqualTo((double)result.Figure("val_loss (nats/char)").Ours!));
        Assert.That(BoardAssert.Run("TextGeneration", "gru/train").Graph!.Nodes.Count(n => n.Kind == GraphDL.Summaries.NodeKind.Variable), Is.GreaterThan(0));
    }
}
