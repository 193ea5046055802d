using NUnit.Framework;

namespace GraphDL.Tests.Bench;

/// <summary>
/// <c>Bench --conv-ab</c> and <c>--conv-shallow-ab</c>: both convolution paths train the MNIST CNN in turns, and their
/// medians are told; the shallow comparison then times the layers of its table.
/// </summary>
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

    [Test]
    public void OneRoundOfTheShallowComparisonTimesTheStepAndTheLayers()
    {
        var (code, output, error) = BuiltProgram.Run("Bench", "GraphDL.Bench", "--conv-shallow-ab", "1");
        Assert.That(code, Is.Zero, error);
        Assert.That(error, Does.Match(@"round 1: direct \d+\.\d ms \(\d+\.\d ms CPU\), im2col \d+\.\d ms \(\d+\.\d ms CPU\)"));
        Assert.That(error, Does.Contain("wall time per step: direct median ").And.Contain("im2col / direct per round: median "));
        Assert.That(error, Does.Contain("process CPU time per step: direct median "));
        Assert.That(error, Does.Match(@"28x28, 5x5x1x16, 1 +25 \| +\d+\.\d{3} \(\d+\.\d{3}\) +\d+\.\d{3} \(\d+\.\d{3}\) +\d+\.\d{2} \(\d+\.\d{2}\) \|"),
            "MnistCnn's first layer in the table, both ops both ways");
        Assert.That(error, Does.Contain("14x14, 5x5x16x32, 1 "), "the table's last rows, past the limits");
        Assert.That(output, Is.Empty, "nothing else was measured");
    }
}
