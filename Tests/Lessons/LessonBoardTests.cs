using GraphDL.Summaries;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// Every lesson logs for the board. The cheap ones run here (short runs where their own tests already take a short
/// one; a few seconds in all), each must leave the board runs it names, every one readable by the engine's reader, and at least one graph
/// whose inputs all name nodes of that graph; a board left by an earlier start must be gone.
/// </summary>
public class LessonBoardTests
{
    private static readonly TestCaseData[] CheapLessons =
    [
        new TestCaseData("SoftmaxWithLoss", Array.Empty<string>(), new[] { "" }),
        new TestCaseData("Derivatives", Array.Empty<string>(), new[] { "" }),
        new TestCaseData("CnnBasics", Array.Empty<string>(), new[]
        {
            "exercise1", "exercise2", "exercise3", "exercise4", "exercise5", "convolution", "convolution_padding1",
            "max_pool", "average_pool", "min_pool", "conv1x1",
        }),
        new TestCaseData("LinearFit", new[] { "--steps", "3000" }, new[] { "" }),
        new TestCaseData("CharRnnHello", new[] { "--steps", "30" }, new[] { "hello", "seed003" }),
        new TestCaseData("AndOrXor", new[] { "--steps", "50" }, new[] { "mlp", "perceptron/AND", "perceptron/OR", "perceptron/XOR" }),
    ];

    [TestCaseSource(nameof(CheapLessons))]
    public void LeavesItsBoardRunsWithAGraph(string lesson, string[] args, string[] runs)
    {
        // A run of an earlier start, which the board would otherwise show beside this one's.
        string stale = Path.Combine(BoardAssert.BoardDir(lesson), "stale");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, EventLog.EventsFile), """{"kind":"header","format":"graphdl-events","version":1,"created":"2026-01-01T00:00:00Z"}""" + "\n");

        LessonHarness.RunAndExpectPass(lesson, args);

        Assert.That(Directory.Exists(stale), Is.False, "the earlier start's run was removed");
        Assert.That(BoardAssert.Runs(lesson), Is.EquivalentTo(runs));
        var graphs = runs.Select(run => BoardAssert.Run(lesson, run)).Where(log => log.Graph is not null).Select(log => log.Graph!).ToList();
        Assert.That(graphs, Is.Not.Empty, $"{lesson} logged no graph");
        foreach (var graph in graphs)
        {
            var names = graph.Nodes.Select(n => n.Name).ToHashSet();
            var dangling = graph.Nodes.SelectMany(n => n.Inputs.Concat(n.ControlInputs)).Select(NodeName).Where(name => !names.Contains(name));
            Assert.That(dangling, Is.Empty, $"{lesson}: inputs that name no node of the graph");
        }
    }

    [Test]
    public void ATrainingLoopLogsOnePointPerStep()
    {
        LessonHarness.RunAndExpectPass("CharRnnHello", "--steps", "30");
        var hello = BoardAssert.Run("CharRnnHello", "hello");
        hello.HasGraph(("x", NodeKind.Placeholder), ("y", NodeKind.Placeholder), ("W_xh", NodeKind.Variable), ("W_hh", NodeKind.Variable),
            ("b_h", NodeKind.Variable), ("W_hy", NodeKind.Variable), ("b_y", NodeKind.Variable));
        double[] loss = hello.HasScalars("loss", BoardAssert.Steps(0, 29));
        Assert.That(loss[^1], Is.LessThan(loss[0]), "Adam lowers the loss");
        hello.HasOneStepProfile(step: 1);
    }

    // "name:1" is output 1 of node "name".
    private static string NodeName(string input)
    {
        int colon = input.LastIndexOf(':');
        return colon > 0 && int.TryParse(input.AsSpan(colon + 1), out _) ? input[..colon] : input;
    }
}
