using NUnit.Framework;

namespace GraphDL.Tests.Bench;

/// <summary><c>Bench --conv-ab</c>: both convolution paths train the MNIST CNN in turns, and their medians are told.</summary>
[NonParallelizable]
public class ConvPathsAbTests
{
    [Test]
    public void OneRoundTimesBothPathsAndTellsTheirMediansAndRatio()
    {
        var (code, output, error) = BuiltProgram.Run("Bench", "GraphDL.Bench", "--conv-ab", "1");
        Assert.That(code, Is.Zero, error);
        Assert.That(error, Does.Match(@"round 1: groups \d+\.\d ms \(\d+\.\d ms CPU\), chunks \d+\.\d ms \(\d+\.\d ms CPU\)"));
        Assert.That(error, Does.Contain("wall time per step: groups median ").And.Contain("chunks / groups per round: median "));
        Assert.That(error, Does.Contain("process CPU time per step: groups median "));
        Assert.That(output, Is.Empty, "nothing else was measured");
    }
}
