using NUnit.Framework;

namespace GraphDL.Tests.Bench;

/// <summary><c>Bench --mlp-ab</c>: the MLP step on the earlier and current paths in turns, and what it tells.</summary>
[NonParallelizable]
public class MlpInTurnsTests
{
    [Test]
    public void OneRoundTimesBothPointsBothWaysAndTellsTheirMediansAndRatio()
    {
        var (code, output, error) = BuiltProgram.Run("Bench", "GraphDL.Bench", "--mlp-ab", "1");
        Assert.That(code, Is.Zero, error);
        foreach (string point in (string[])["MLP step at batch 100, width 360", "MLP step at batch 256, width 4096"])
            Assert.That(error, Does.Contain($"{point}, 1 rounds of ").And.Contain("(A: earlier paths, B: current paths)"));
        Assert.That(error, Does.Match(@"wall ms per step: A median \d+\.\d+ \(min \d+\.\d+\), B median \d+\.\d+ \(min \d+\.\d+\); A / B per round: median \d+\.\d+"));
        Assert.That(error, Does.Not.Contain("LSTM"), "the language model runs only for the thread limit");
        Assert.That(output, Is.Empty, "nothing else was measured");
    }

    [Test]
    public void TheThreadLimitGoesWithTheComparisonOnly()
    {
        var (code, output, error) = BuiltProgram.Run("Bench", "GraphDL.Bench", "--ab-single-thread-below", "1000");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--ab-single-thread-below applies to --mlp-ab only."));
        Assert.That(output, Is.Empty, "nothing was measured");
    }
}
