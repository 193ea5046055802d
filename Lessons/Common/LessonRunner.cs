using System.Reflection;
using System.Runtime.ExceptionServices;

namespace GraphDL.Lessons;

/// <summary>
/// A lesson of the catalogue: its name, its place in the lecture, the slide's title and whether it reads a
/// downloadable data set (<c>--data</c>).
/// </summary>
public sealed record LessonInfo(string Name, int Part, int Position, string Title, bool UsesData);

/// <summary>
/// Finds the lessons and runs a lesson's Program inside the calling process, as Tour and the tests do.
/// A lesson is every <c>GraphDL.Lessons.&lt;Name&gt;</c> assembly the running program was built with,
/// other than Common and Tour; each carries a <see cref="LessonAttribute"/> that orders it in the lecture.
/// In-process runs share one JIT warm-up and let a test read the lesson's result.json straight after.
/// </summary>
public static class LessonRunner
{
    private const string AssemblyPrefix = "GraphDL.Lessons.";

    /// <summary>The folders under Lessons/ that are not lessons: the lessons' kit and their runner.</summary>
    public static readonly IReadOnlyList<string> NotLessons = ["Common", "Tour"];

    private static readonly Lazy<IReadOnlyList<LessonInfo>> Catalogue = new(() => Order(LessonAssemblies()));

    /// <summary>Part 1 of the lecture, in the order of the slides.</summary>
    public static IReadOnlyList<LessonInfo> Part1 => [.. All.Where(l => l.Part == 1)];

    /// <summary>Part 2: convolutions, recurrent networks and the Keras-style layer API.</summary>
    public static IReadOnlyList<LessonInfo> Part2 => [.. All.Where(l => l.Part == 2)];

    /// <summary>Every lesson, in the order of the lecture.</summary>
    public static IReadOnlyList<LessonInfo> All => Catalogue.Value;

    /// <summary>
    /// The catalogue of the given lesson assemblies, ordered by part and position. An assembly without a
    /// <see cref="LessonAttribute"/>, or two lessons at the same place, is an error that names the assemblies.
    /// </summary>
    public static IReadOnlyList<LessonInfo> Order(IEnumerable<Assembly> lessons)
    {
        var catalogue = lessons.Select(assembly =>
        {
            string name = assembly.GetName().Name ?? "";
            var place = assembly.GetCustomAttribute<LessonAttribute>()
                        ?? throw new InvalidOperationException(
                            $"{name} has no [Lesson] attribute: set LessonPart and LessonPosition in its .csproj (Lessons/Directory.Build.targets turns them into the attribute).");
            return new LessonInfo(name.StartsWith(AssemblyPrefix, StringComparison.Ordinal) ? name[AssemblyPrefix.Length..] : name,
                place.Part, place.Position, place.Title, place.UsesData);
        }).OrderBy(l => l.Part).ThenBy(l => l.Position).ThenBy(l => l.Name, StringComparer.Ordinal).ToList();

        var clash = catalogue.GroupBy(l => (l.Part, l.Position)).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new InvalidOperationException(
                $"{string.Join(" and ", clash.Select(l => AssemblyPrefix + l.Name))} share part {clash.Key.Part}, position {clash.Key.Position}: " +
                "give each lesson its own LessonPosition in its .csproj.");
        return catalogue;
    }

    // The deps file's list, not a listing of the program's directory: a lesson folder deleted since the
    // last build leaves its dll behind there, and it must not come back to life in the catalogue.
    private static IEnumerable<Assembly> LessonAssemblies() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(name => name.StartsWith(AssemblyPrefix, StringComparison.Ordinal) && !NotLessons.Contains(name[AssemblyPrefix.Length..]))
            .Distinct(StringComparer.Ordinal)
            .Select(name => Assembly.Load(name));

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
