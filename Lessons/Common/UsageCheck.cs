using System.CommandLine;

namespace GraphDL.Lessons;

/// <summary>
/// What the lessons and Tour do with a command line that System.CommandLine has parsed: go on when it is good,
/// otherwise answer it. Help (and the parser's other built-in answers, such as <c>--version</c>) goes to standard
/// output with exit code 0; a mistake goes to standard error, one line per problem prefixed by the program's
/// name and a pointer to <c>--help</c>, with exit code 2, the usual code for a bad command line. Both travel as a
/// <see cref="LessonUsageException"/>, because a lesson inside Tour or a test must not end the whole process.
/// </summary>
public static class UsageCheck
{
    /// <summary>The exit code of a command line that could not be used.</summary>
    public const int MistakeExitCode = 2;

    /// <summary>
    /// The parse of <paramref name="args"/> against <paramref name="command"/> when it asks for a run.
    /// </summary>
    /// <exception cref="LessonUsageException">The command line asked for help, or it has mistakes.</exception>
    public static ParseResult Parse(Command command, string program, IReadOnlyList<string> args)
    {
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
            throw new LessonUsageException(
                string.Join("\n", parsed.Errors.Select(e => $"{program}: {e.Message}")) + $"\n{program}: run it with --help to see the options.");
        // No action of our own is set, so an action here is the parser's answer to --help, --version or a directive.
        if (parsed.Action is not null)
            throw new LessonUsageException(Capture(parsed).TrimEnd(), exitCode: 0);
        return parsed;
    }

    /// <summary>Prints the answer to a command line that does not start a run and returns the process's exit code.</summary>
    public static int Answer(LessonUsageException usage)
    {
        (usage.ExitCode == 0 ? Console.Out : Console.Error).WriteLine(usage.Message);
        return usage.ExitCode;
    }

    private static string Capture(ParseResult parsed)
    {
        var output = new StringWriter();
        parsed.Invoke(new InvocationConfiguration { Output = output, Error = output });
        return output.ToString();
    }
}
