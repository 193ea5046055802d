using GraphDL.Summaries;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>
/// Reads back what a lesson logged for the board (<c>out/&lt;Lesson&gt;/board/</c>) with the engine's own reader, and
/// checks it the way the board will use it: the runs there are, a graph with the lesson's named nodes, one point per step.
/// </summary>
public static class BoardAssert
{
    /// <summary>The lesson's board folder.</summary>
    public static string BoardDir(string lesson) => Path.Combine(LessonHarness.OutRoot, lesson, "board");

    /// <summary>The names of the runs under the lesson's board folder ("" for the folder itself).</summary>
    public static string[] Runs(string lesson)
    {
        Assert.That(Directory.Exists(BoardDir(lesson)), Is.True, $"{lesson} left no board folder");
        return [.. EventLog.FindRuns(BoardDir(lesson))];
    }

    /// <summary>The run <paramref name="run"/> of the lesson's board, read back.</summary>
    public static EventLog Run(string lesson, string run = "") => EventLog.Read(Path.Combine(BoardDir(lesson), run));

    /// <summary>The run has a graph.json holding each node named in <paramref name="nodes"/>, of the kind given; returns the graph.</summary>
    public static GraphFile HasGraph(this EventLog run, params (string Name, NodeKind Kind)[] nodes)
    {
        Assert.That(run.Graph, Is.Not.Null, $"{run.Folder} has no graph.json");
        var byName = run.Graph!.Nodes.ToDictionary(n => n.Name);
        Assert.That(byName, Has.Count.EqualTo(run.Graph.Nodes.Count), $"{run.Folder}: node names are unique");
        foreach (var (name, kind) in nodes)
        {
            Assert.That(byName.ContainsKey(name), Is.True, $"{run.Folder}: the graph has no node '{name}'");
            Assert.That(byName[name].Kind, Is.EqualTo(kind), $"{run.Folder}: node '{name}'");
        }
        return run.Graph;
    }

    /// <summary>The scalars logged under <paramref name="tag"/> fall on exactly <paramref name="steps"/>, one point each, in order; returns their values.</summary>
    public static double[] HasScalars(this EventLog run, string tag, IEnumerable<long> steps)
    {
        var points = run.Scalars(tag).ToList();
        Assert.That(points.Select(p => p.Step), Is.EqualTo(steps), $"{run.Folder}: the steps of '{tag}'");
        return [.. points.Select(p => p.Value)];
    }

    /// <summary>
    /// The run has a profile of exactly one step, <paramref name="step"/>: every node in it ran once, and every one is a
    /// node of the run's graph.
    /// </summary>
    public static ProfileFile HasOneStepProfile(this EventLog run, long step)
    {
        Assert.That(run.Profile, Is.Not.Null, $"{run.Folder} has no profile.json");
        var profile = run.Profile!;
        Assert.That(profile.Step, Is.EqualTo(step), $"{run.Folder}: the profiled step");
        Assert.That(profile.Nodes, Is.Not.Empty, $"{run.Folder}: the profile names no node");
        Assert.That(profile.Nodes.Where(n => n.Value.Calls != 1).Select(n => n.Key), Is.Empty, $"{run.Folder}: nodes that did not run exactly once");
        var graphNodes = run.Graph!.Nodes.Select(n => n.Name).ToHashSet();
        Assert.That(profile.Nodes.Keys.Where(name => !graphNodes.Contains(name)), Is.Empty, $"{run.Folder}: profiled nodes missing from graph.json");
        return profile;
    }

    /// <summary>Steps first, first + 1, ..., last.</summary>
    public static IEnumerable<long> Steps(long first, long last, long every = 1)
    {
        for (long s = first; s <= last; s += every) yield return s;
    }
}
