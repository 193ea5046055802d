using System.Reflection;
using System.Runtime.ExceptionServices;

namespace GraphDL.Lessons;

/// <summary>A lesson of the catalogue: its name and whether it reads a downloadable data set (<c>--data</c>).</summary>
public sealed record LessonInfo(string Name, bool UsesData = false);

/// <summary>
/// Runs a lesson's Program inside the calling process, as Tour and the tests do: the lesson's assembly
/// (<c>GraphDL.Lessons.&lt;Name&gt;</c>) must be referenced by the caller. In-process runs share one JIT
/// warm-up and let a test read the lesson's result.json straight after.
/// </summary>
public static class LessonRunner
{
    /// <summary>Part 1 of the lecture, in the order of the slides.</summary>
    public static readonly IReadOnlyList<LessonInfo> Part1 =
    [
        new("AndOrXor"),
        new("LinearFit"),
        new("SoftmaxWithLoss"),
        new("Derivatives"),
        new("Iris"),
        new("MnistSingleLayer", UsesData: true),
        new("MnistMultiLayer", UsesData: true),
    ];

    /// <summary>Part 2: convolutions, recurrent networks and the Keras-style layer API.</summary>
    public static readonly IReadOnlyList<LessonInfo> Part2 =
    [
        new("CnnBasics"),
        new("ModelSummary"),
        new("MnistCnn", UsesData: true),
        new("CharRnnHello"),
        new("NextWordRnn"),
        new("TimeSeriesRnn"),
        new("Optimizers", UsesData: true),
        new("Dropout", UsesData: true),
    ];

    /// <summary>Every lesson, in the order of the lecture.</summary>
    public static IReadOnlyList<LessonInfo> All => [.. Part1, .. Part2];

    /// <summary>
    /// Runs lesson <paramref name="name"/> with <paramref name="args"/> and returns its exit code and the
    /// result.json it wrote under <paramref name="outRoot"/> (null when it wrote none, e.g. after a crash).
    /// An exception thrown by the lesson propagates unchanged.
    /// </summary>
    public static (int ExitCode, LessonResult? Result) Run(string name, string outRoot, params string[] args)
    {
        string resultPath = Path.Combine(outRoot, name, "result.json");
        if (File.Exists(resultPath)) File.Delete(resultPath);   // never report a previous run's verdict

        var entry = Assembly.Load($"GraphDL.Lessons.{name}").EntryPoint
                    ?? throw new InvalidOperationException($"Lesson {name} has no entry point.");
        string[] fullArgs = [.. args, "--out", outRoot];
        object? returned;
        var defaultBackend = Session.DefaultBackend;
        try
        {
            returned = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [fullArgs]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;   // not reached
        }
        finally
        {
            Session.DefaultBackend = defaultBackend;   // a lesson's --device must not outlive it in the host process
        }
        int code = returned switch
        {
            int i => i,
            Task<int> t => t.GetAwaiter().GetResult(),
            _ => 0,
        };
        return (code, File.Exists(resultPath) ? LessonResult.Load(resultPath) : null);
    }
}
