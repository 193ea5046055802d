using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace GraphDL.Lessons;

/// <summary>
/// One run of a lesson: the options it was started with (<c>--steps</c>, <c>--seed</c>, <c>--out</c>,
/// <c>--data</c>), the figures it checks against the slide, and the <c>out/&lt;Lesson&gt;/result.json</c> it
/// leaves behind. A lesson's Program.cs starts one, builds and trains its graph in plain sight, checks
/// its figures and ends with <c>return lesson.Finish();</c>, which is 0 only when every checked figure matched.
/// What it logs for the board goes under <c>out/&lt;Lesson&gt;/board/</c> (Lesson.Board.cs).
/// </summary>
public sealed partial class Lesson
{
    private readonly List<Figure> _figures = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The lesson's name, as in <c>Lessons/&lt;Name&gt;</c> and <c>out/&lt;Name&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>How many training steps (or epochs) to run: the slide's count unless <c>--steps</c> says otherwise.</summary>
    public int Steps { get; }

    /// <summary>The full run's step count: the slide's, or the lesson's choice where the slide gives none.</summary>
    public int SlideSteps { get; }

    /// <summary>
    /// True when the run trains as long as the slide did; figures that only the full run can reach
    /// are checked then and reported as skipped otherwise.
    /// </summary>
    public bool FullRun => Steps >= SlideSteps;

    /// <summary>The graph seed (<c>--seed</c>).</summary>
    public int Seed { get; }

    /// <summary>Where this lesson writes result.json and its pictures: <c>&lt;--out&gt;/&lt;Name&gt;</c>.</summary>
    public string OutDir { get; }

    /// <summary>The data directory given with <c>--data</c>, or null for the data set's default cache.</summary>
    public string? DataDir { get; }

    /// <summary>Figures checked so far; Tour and the tests read the same list back from result.json.</summary>
    public IReadOnlyList<Figure> Figures => _figures;

    private Lesson(string name, int steps, int slideSteps, int seed, string outRoot, string? dataDir)
    {
        Name = name;
        Steps = steps;
        SlideSteps = slideSteps;
        Seed = seed;
        OutDir = Path.GetFullPath(Path.Combine(outRoot, name));
        DataDir = dataDir;
        Directory.CreateDirectory(OutDir);
        ClearBoard();
    }

    /// <summary>
    /// Parses the lesson's options and prints its title. On a bad option it prints what is wrong and the options,
    /// then ends the process with exit code 2; on <c>--help</c> it prints the options and ends it with 0. When the
    /// lesson runs inside another program (Tour, a test) it throws <see cref="LessonUsageException"/> instead.
    /// </summary>
    /// <param name="name">The lesson's name.</param>
    /// <param name="args">The command line.</param>
    /// <param name="slideSteps">The slide's number of training steps; the default for <c>--steps</c>.</param>
    /// <param name="seed">The default for <c>--seed</c>.</param>
    /// <remarks>
    /// The slide's title, and whether the lesson accepts <c>--data</c>, come from its <see cref="LessonAttribute"/>,
    /// which its .csproj states, so that Tour can list the lessons without running them; never inlined, so that
    /// the calling assembly is the lesson.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Lesson Start(string name, string[] args, int slideSteps, int seed = 1)
    {
        Console.OutputEncoding = Encoding.UTF8;
        var lessonAssembly = Assembly.GetCallingAssembly();
        var place = lessonAssembly.GetCustomAttribute<LessonAttribute>();
        string title = place?.Title ?? name;
        try
        {
            var options = new LessonCommandLine(name, title, slideSteps, seed, place?.UsesData ?? false).Parse(args);
            // Every session the lesson creates runs there; set on each start so one lesson's choice does not leak into the next in Tour.
            Session.DefaultBackend = options.Device;
            var lesson = new Lesson(name, options.Steps, slideSteps, options.Seed, options.OutRoot, options.DataDir);
            Console.WriteLine($"== {name}: {title} ==");
            if (!lesson.FullRun)
                Console.WriteLine($"(a short run: {lesson.Steps:N0} of the full run's {slideSteps:N0} steps; figures only the full run reaches are skipped)");
            return lesson;
        }
        catch (LessonUsageException e) when (IsProcessEntry(lessonAssembly))
        {
            Environment.Exit(UsageCheck.Answer(e));
            throw;   // not reached
        }
    }

    private static bool IsProcessEntry(Assembly lessonAssembly) => Assembly.GetEntryAssembly() == lessonAssembly;

    /// <summary>The path of a file in this lesson's output directory.</summary>
    public string OutFile(string fileName) => Path.Combine(OutDir, fileName);

    /// <summary>Checks that <paramref name="ours"/> is within <paramref name="tolerance"/> of the slide's value.</summary>
    public bool Check(string figure, double slide, double ours, double tolerance) =>
        Record(new Figure(figure, slide, ours, tolerance, $"±{Format(tolerance)}", Math.Abs(ours - slide) <= tolerance));

    /// <summary>Checks that <paramref name="ours"/> lies in [min, max]; the slide's value is shown beside it.</summary>
    public bool CheckRange(string figure, double? slide, double ours, double min, double max) =>
        Record(new Figure(figure, slide, ours, null, $"in [{Format(min)}, {Format(max)}]", ours >= min && ours <= max));

    /// <summary>Checks that <paramref name="ours"/> is at least <paramref name="min"/>.</summary>
    public bool CheckAtLeast(string figure, double? slide, double ours, double min) =>
        Record(new Figure(figure, slide, ours, null, $">= {Format(min)}", ours >= min));

    /// <summary>Checks that <paramref name="ours"/> is at most <paramref name="max"/>.</summary>
    public bool CheckAtMost(string figure, double? slide, double ours, double max) =>
        Record(new Figure(figure, slide, ours, null, $"<= {Format(max)}", ours <= max));

    /// <summary>Checks an exact match: a printed array, a prediction string, a count.</summary>
    public bool CheckEqual<T>(string figure, T slide, T ours) where T : notnull =>
        Record(new Figure(figure, slide, ours, null, "exact", EqualityComparer<T>.Default.Equals(slide, ours)));

    /// <summary>Records a check whose rule the lesson applies itself, described in <paramref name="rule"/>.</summary>
    public bool CheckThat(string figure, object? slide, object ours, string rule, bool passed) =>
        Record(new Figure(figure, slide, ours, null, rule, passed));

    /// <summary>Records a measured figure that is shown, not judged (a wall time next to the slide's).</summary>
    public void Measure(string figure, object? slide, object ours) =>
        Record(new Figure(figure, slide, ours, null, "shown", null));

    /// <summary>Records a figure this run cannot reach (a short run), so it is visibly not checked.</summary>
    public void Skip(string figure, object? slide, string why) =>
        Record(new Figure(figure, slide, null, null, $"skipped: {why}", null));

    private bool Record(Figure figure)
    {
        _figures.Add(figure);
        string mark = figure.Passed switch { true => "✓", false => "✗", null => "·" };
        string slide = figure.Slide is null ? "" : $"slide {Format(figure.Slide)}, ";
        Console.WriteLine($"  {mark} {figure.Name}: {Format(figure.Ours)}  ({slide}{figure.Rule})");
        return figure.Passed != false;
    }

    /// <summary>A progress bar for a training loop; it draws only on a terminal and keeps printed lines above it.</summary>
    public ProgressBar Progress(long total, string label = "training") => new(label, total);

    /// <summary>True when the lesson checked at least one figure and every checked figure matched.</summary>
    public bool Passed => _figures.Any(f => f.Passed is not null) && _figures.All(f => f.Passed != false);

    /// <summary>Writes result.json, prints the verdict and returns the process exit code (0 = every check passed).</summary>
    public int Finish()
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        CloseBoard();
        var result = new LessonResult(Name, Passed, seconds, Steps, Seed, _figures);
        result.Save(OutFile("result.json"));
        int checkedCount = _figures.Count(f => f.Passed is not null);
        int matched = _figures.Count(f => f.Passed == true);
        Console.WriteLine($"{Name}: {matched} of {checkedCount} checked figures match the slide ({seconds:F1} s). {(Passed ? "PASS" : "FAIL")}");
        Console.WriteLine($"   results and pictures in {OutDir}");
        return Passed ? 0 : 1;
    }

    /// <summary>Numbers as a reader wants them: round ones plain, others to 7 significant digits.</summary>
    public static string Format(object? value) => value switch
    {
        null => "-",
        double d when double.IsNaN(d) || double.IsInfinity(d) => d.ToString(CultureInfo.InvariantCulture),
        double d when d == Math.Round(d) && Math.Abs(d) < 1e15 => d.ToString("0", CultureInfo.InvariantCulture),
        double d => d.ToString("G7", CultureInfo.InvariantCulture),
        float f => Format((double)f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
