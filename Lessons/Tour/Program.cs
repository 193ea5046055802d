using System.Diagnostics;
using System.Text;
using GraphDL.Backends.Cpu.Blas;
using GraphDL.Board;
using GraphDL.Diagnostics;
using GraphDL.Lessons;
using Spectre.Console;

// Tour: every lesson in the order of the slides, then one table of every figure the slides
// print next to ours. `Tour --help` lists the options; --list and --info answer without running a lesson.

Console.OutputEncoding = Encoding.UTF8;   // the slides' titles and some figures are Korean
TourArguments tour;
try
{
    tour = TourCommandLine.Parse(args);
}
catch (LessonUsageException usage)
{
    return UsageCheck.Answer(usage);
}
if (tour.List) Console.Write(LessonList.Format(tour.Lessons));
if (tour.Info) Console.Write(MachineReport.Format(MachineReport.Gather()));
if (tour.List || tour.Info) return 0;

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
foreach (var lesson in tour.Lessons)
{
    string[] lessonArgs = [.. lesson.UsesData && tour.DataDir is not null ? ["--data", tour.DataDir] : (string[])[], .. tour.Device is not null ? ["--device", tour.Device] : (string[])[]];
    var clock = Stopwatch.StartNew();
    try
    {
        var (code, result) = LessonRunner.Run(lesson.Name, tour.OutRoot, lessonArgs);
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
AnsiConsole.MarkupLine($"{passed} of {runs.Count} lessons match their slides in {runs.Sum(r => r.Seconds):F1} s; results under {Markup.Escape(Path.GetFullPath(tour.OutRoot))}.");

// The board as pages that open without a server: the lessons' verdicts, then each lesson's figures, pictures, graph and curves.
string board = StaticBoard.Write(tour.OutRoot, tour.OutRoot);
AnsiConsole.MarkupLine($"Open {Markup.Escape(new Uri(board).AbsoluteUri)} to see every lesson's graph and curves (or: dotnet run --project Board -c Release -- --logdir {Markup.Escape(tour.OutRoot)}).");
return passed == runs.Count ? 0 : 1;
