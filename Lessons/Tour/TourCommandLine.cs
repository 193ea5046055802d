using System.CommandLine;
using System.CommandLine.Parsing;

namespace GraphDL.Lessons;

/// <summary>What Tour's command line asked for, every value checked.</summary>
/// <param name="Lessons">The lessons to run or list, in the order of the lecture.</param>
/// <param name="OutRoot">The directory under which each lesson writes its folder.</param>
/// <param name="DataDir">The data set's directory for the lessons that read one, or null for the shared cache.</param>
/// <param name="Device">The device every lesson runs on, or null for the lessons' default (the CPU).</param>
/// <param name="List">Print the lessons instead of running them.</param>
/// <param name="Info">Print what GraphDL finds on this machine instead of running the lessons.</param>
internal sealed record TourArguments(IReadOnlyList<LessonInfo> Lessons, string OutRoot, string? DataDir, string? Device, bool List, bool Info);

/// <summary>
/// Tour's options as System.CommandLine parses them: <c>--only A,B --out DIR --data DIR --device NAME</c> for a run,
/// <c>--list</c> and <c>--info</c> for the questions it answers without running anything.
/// </summary>
internal static class TourCommandLine
{
    private static readonly Option<IReadOnlyList<LessonInfo>?> Only = new("--only")
    {
        Description = "run (or list) only these lessons, by name, comma-separated: --only Iris,MnistCnn",
        HelpName = "A,B",
        CustomParser = ChosenLessons,
    };

    private static readonly Option<string> Out = SharedOptions.Out();
    private static readonly Option<string?> Data = SharedOptions.Data();
    private static readonly Option<string?> Device = SharedOptions.Device();

    private static readonly Option<bool> List = new("--list")
    {
        Description = "print the lessons in the order of the lecture (part, position, name, the slide's title, whether it reads --data) and exit",
    };

    private static readonly Option<bool> Info = new("--info")
    {
        Description = "print what GraphDL finds on this machine (runtime, CPU, BLAS, GPU, NVRTC, kernel emulator, caches) and exit",
    };

    private static readonly RootCommand Command = new(
        "Tour: every lesson in the order of the slides, in this process, then one table of every figure the slides print next to ours.")
    {
        HelpName = "Tour",
        Options = { Only, Out, Data, Device, List, Info },
    };

    /// <summary>The values <paramref name="args"/> asks for.</summary>
    /// <exception cref="LessonUsageException">A mistake in <paramref name="args"/>, or a request for help.</exception>
    public static TourArguments Parse(string[] args)
    {
        var parsed = UsageCheck.Parse(Command, "Tour", args);
        return new TourArguments(parsed.GetValue(Only) ?? LessonRunner.All, parsed.GetValue(Out)!, parsed.GetValue(Data),
            parsed.GetValue(Device), parsed.GetValue(List), parsed.GetValue(Info));
    }

    private static IReadOnlyList<LessonInfo>? ChosenLessons(ArgumentResult result)
    {
        var names = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = names.Where(n => !LessonRunner.All.Any(l => string.Equals(l.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (names.Count == 0 || unknown.Count > 0)
        {
            result.AddError($"--only: {(names.Count == 0 ? "name at least one lesson" : $"no lesson named {string.Join(", ", unknown)}")}. " +
                            $"Lessons: {string.Join(", ", LessonRunner.All.Select(l => l.Name))}.");
            return null;
        }
        return [.. LessonRunner.All.Where(l => names.Contains(l.Name))];
    }
}
