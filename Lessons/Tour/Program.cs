using System.Diagnostics;
using GraphDL.Backends.Cpu.Blas;
using GraphDL.Lessons;
using Spectre.Console;

// Tour: every lesson in the order of the slides, then one table of every figure the slides
// print next to ours. Options: --only A,B  --out DIR  --data DIR (MNIST's directory)  --device cpu|gpu|emulated.

string outRoot = "out";
string? dataDir = null;
string? device = null;
HashSet<string>? only = null;
for (int i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--out": outRoot = Value(); break;
        case "--data": dataDir = Value(); break;
        case "--device": device = Value(); break;
        case "--only": only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase); break;
        default:
            Console.Error.WriteLine($"Tour: unknown option '{args[i]}'.\nUsage: Tour [--only Lesson1,Lesson2] [--out DIR] [--data DIR] [--device cpu|gpu|emulated]");
            return 2;
    }
}

var lessons = LessonRunner.All.Where(l => only is null || only.Contains(l.Name)).ToList();
if (only is not null && lessons.Count != only.Count)
{
    var unknown = only.Except(LessonRunner.All.Select(l => l.Name), StringComparer.OrdinalIgnoreCase);
    Console.Error.WriteLine($"Tour: no lesson named {string.Join(", ", unknown)}. Lessons: {string.Join(", ", LessonRunner.All.Select(l => l.Name))}.");
    return 2;
}

// Which BLAS the lessons' matrix products run on, so that a slow run is explained before it starts. A GRAPHDL_BLAS
// that cannot be honoured stops the tour here, with its message, rather than failing every lesson alike.
try
{
    Console.WriteLine($"Matrix products on: {BlasProvider.Description}");
}
catch (BlasUnavailableException e)
{
    Console.Error.WriteLine($"Tour: {e.Message}");
    return 2;
}

var runs = new List<(LessonInfo Lesson, LessonResult? Result, string? Error, double Seconds)>();
foreach (var lesson in lessons)
{
    string[] lessonArgs = [.. lesson.UsesData && dataDir is not null ? ["--data", dataDir] : (string[])[], .. device is not null ? ["--device", device] : (string[])[]];
    var clock = Stopwatch.StartNew();
    try
    {
        var (code, result) = LessonRunner.Run(lesson.Name, outRoot, lessonArgs);
        runs.Add((lesson, result, result is null ? $"exit code {code}, no result.json" : null, clock.Elapsed.TotalSeconds));
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"{lesson.Name} failed: {e.GetType().Name}: {e.Message}");
        runs.Add((lesson, null, e.Message, clock.Elapsed.TotalSeconds));
    }
    Console.WriteLine();
}

// A redirected console reports 80 columns, too few for the figures' names: a log gets a wide table.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 180;
var table = new Table().Title("Slide conformance").Border(TableBorder.Rounded);
table.AddColumns("Lesson", "Figure", "Slide", "Ours", "Rule", "", "Seconds");
foreach (var (lesson, result, error, seconds) in runs)
{
    if (result is null)
    {
        table.AddRow(lesson.Name, Markup.Escape(error ?? ""), "", "", "", "[red]FAIL[/]", $"{seconds:F1}");
        continue;
    }
    for (int i = 0; i < result.Figures.Count; i++)
    {
        var f = result.Figures[i];
        string verdict = f.Passed switch { true => "[green]pass[/]", false => "[red]FAIL[/]", null => "[grey]-[/]" };
        table.AddRow(i == 0 ? lesson.Name : "", Markup.Escape(f.Name), Markup.Escape(Lesson.Format(f.Slide)),
            Markup.Escape(Lesson.Format(f.Ours)), Markup.Escape(f.Rule), verdict, i == 0 ? $"{result.Seconds:F1}" : "");
    }
    table.AddEmptyRow();
}
AnsiConsole.Write(table);

int passed = runs.Count(r => r.Result?.Passed == true);
AnsiConsole.MarkupLine($"{passed} of {runs.Count} lessons match their slides in {runs.Sum(r => r.Seconds):F1} s; results under {Markup.Escape(Path.GetFullPath(outRoot))}.");
return passed == runs.Count ? 0 : 1;
