namespace GraphDL.Lessons;

/// <summary>
/// A command line that does not start a run: a mistake (the message says what was wrong, then lists the options;
/// exit code 2) or a request for help (the message is the help; exit code 0). A program started on its own prints
/// it and exits with <see cref="ExitCode"/>; a lesson running inside Tour or a test throws it to its host instead.
/// </summary>
public sealed class LessonUsageException(string message, int exitCode = UsageCheck.MistakeExitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
