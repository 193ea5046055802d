using GraphDL.Lessons;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

/// <summary>Runs a lesson in-process, the way Tour does, into a fresh output directory, and reads its result.json.</summary>
public static class LessonHarness
{
    public static string OutRoot => Path.Combine(TestContext.CurrentContext.WorkDirectory, "out", "lessons");

    /// <summary>Runs the lesson and asserts it exited 0 and wrote a passing result.json; returns that result.</summary>
    public static LessonResult RunAndExpectPass(string lesson, params string[] args)
    {
        var (code, result) = LessonRunner.Run(lesson, OutRoot, args);
        Assert.That(result, Is.Not.Null, $"{lesson} wrote no result.json");
        var failed = result!.Figures.Where(f => f.Passed == false).Select(f => $"{f.Name}: ours {Lesson.Format(f.Ours)}, slide {Lesson.Format(f.Slide)} ({f.Rule})");
        Assert.That(failed, Is.Empty, $"{lesson} missed figures");
        Assert.That(code, Is.EqualTo(0), $"{lesson} exit code");
        Assert.That(result.Passed, Is.True);
        return result;
    }

    /// <summary>The figure named <paramref name="name"/> of a result, failing the test when it is missing.</summary>
    public static Figure Figure(this LessonResult result, string name) =>
        result.Figures.FirstOrDefault(f => f.Name == name) ?? throw new AssertionException($"{result.Lesson} has no figure '{name}'; it has: {string.Join(", ", result.Figures.Select(f => f.Name))}");

    /// <summary>The path of a file the lesson wrote into its output directory.</summary>
    public static string OutFile(string lesson, string file) => Path.Combine(OutRoot, lesson, file);
}
