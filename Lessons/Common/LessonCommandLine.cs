using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace GraphDL.Lessons;

/// <summary>What a lesson's command line asked for: the defaults filled in and every value checked.</summary>
/// <param name="Steps">Training steps (or epochs).</param>
/// <param name="Seed">The graph seed.</param>
/// <param name="OutRoot">The directory under which the lesson's own folder goes.</param>
/// <param name="DataDir">The data set's directory, or null for its default cache.</param>
/// <param name="Device">The backend every session of the lesson runs on.</param>
public sealed record LessonArguments(int Steps, int Seed, string OutRoot, string? DataDir, IBackend Device);

/// <summary>
/// A lesson's options as System.CommandLine parses them: <c>--steps N --seed N --out DIR --device NAME</c>, and
/// <c>--data DIR</c> only for a lesson that reads a downloadable data set (its <see cref="LessonAttribute"/> says so).
/// </summary>
public sealed class LessonCommandLine
{
    private readonly string _name;
    private readonly RootCommand _command;
    private readonly Option<int> _steps;
    private readonly Option<int> _seed;
    private readonly Option<string> _out = SharedOptions.Out();
    private readonly Option<string?> _device = SharedOptions.Device();
    private readonly Option<string?>? _data;

    /// <param name="name">The lesson's name, which starts every message and the usage line.</param>
    /// <param name="title">What the slide calls it.</param>
    /// <param name="slideSteps">The slide's number of training steps: the default for <c>--steps</c>.</param>
    /// <param name="seed">The default for <c>--seed</c>.</param>
    /// <param name="usesData">Whether the lesson takes <c>--data</c>.</param>
    public LessonCommandLine(string name, string title, int slideSteps, int seed, bool usesData)
    {
        _name = name;
        _steps = Count("--steps", allowZero: false, slideSteps, "training steps; fewer than the slide's make a short run that skips what only the full run reaches");
        _seed = Count("--seed", allowZero: true, seed, "the graph seed");
        _command = new RootCommand($"{name}: {title}. Checks its figures against the slide and writes <out>/{name}/result.json and its pictures.")
        {
            HelpName = name,
        };
        _command.Options.Add(_steps);
        _command.Options.Add(_seed);
        _command.Options.Add(_out);
        _command.Options.Add(_device);
        if (usesData)
        {
            _data = SharedOptions.Data();
            _command.Options.Add(_data);
        }
    }

    /// <summary>The values <paramref name="args"/> asks for.</summary>
    /// <exception cref="LessonUsageException">A mistake in <paramref name="args"/>, or a request for help.</exception>
    public LessonArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = UsageCheck.Parse(_command, _name, args);
        return new LessonArguments(
            parsed.GetValue(_steps),
            parsed.GetValue(_seed),
            parsed.GetValue(_out)!,
            _data is null ? null : parsed.GetValue(_data),
            Devices.Get(parsed.GetValue(_device) ?? "cpu"));
    }

    // Thousands separators are welcome (--steps 2,500,001, as the slides print it); signs and decimals are not.
    private static Option<int> Count(string name, bool allowZero, int defaultValue, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseCount(result, name, allowZero),
    };

    private static int ParseCount(ArgumentResult result, string name, bool allowZero)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out int n) && (n > 0 || allowZero && n == 0))
            return n;
        result.AddError($"{name} expects a {(allowZero ? "non-negative" : "positive")} integer, got '{text}'.");
        return 0;
    }
}
