using System.CommandLine;
using System.CommandLine.Parsing;

namespace GraphDL.Board;

/// <summary>What the Board's command line asked for.</summary>
/// <param name="LogDir">The log folder to show (full path).</param>
/// <param name="Port">The port to serve on; 0 picks a free one.</param>
/// <param name="StaticDir">Where to write the static board, or null to serve.</param>
public sealed record BoardArguments(string LogDir, int Port, string? StaticDir);

/// <summary>
/// The Board's options as System.CommandLine parses them: <c>--logdir DIR [--port N] [--static DIR]</c>. A mistake
/// is told on standard error, one line per problem prefixed with <c>Board:</c>, with exit code 2; help goes to
/// standard output with exit code 0.
/// </summary>
public static class BoardCommandLine
{
    /// <summary>The exit code of a command line that could not be used.</summary>
    public const int MistakeExitCode = 2;

    /// <summary>The port the board serves on unless told otherwise (TensorBoard's, which learners know).</summary>
    public const int DefaultPort = 6006;

    private static readonly Option<DirectoryInfo> LogDirOption = new Option<DirectoryInfo>("--logdir")
    {
        Description = "the log folder to show: runs (folders with events.jsonl or graph.json) and lessons (folders with result.json)",
        HelpName = "DIR",
        Required = true,
    }.AcceptExistingOnly();

    private static readonly Option<int> PortOption = new("--port")
    {
        Description = $"the localhost port to serve on; 0 picks a free one (the address is printed as 'Board: http://127.0.0.1:PORT/')",
        HelpName = "N",
        DefaultValueFactory = _ => DefaultPort,
        CustomParser = ParsePort,
    };

    private static readonly Option<string?> StaticOption = new("--static")
    {
        Description = "write the board as files that open from file:// with no server into DIR, then exit",
        HelpName = "DIR",
    };

    private static readonly RootCommand Command = new("GraphDL Board: the graph, scalars, histograms, images, text and lesson figures of a log folder, in a browser.")
    {
        LogDirOption, PortOption, StaticOption,
    };

    /// <summary>
    /// The arguments <paramref name="args"/> asks for; when it asks for no board (help, or a mistake, which is
    /// printed), null with the exit code to end with.
    /// </summary>
    public static BoardArguments? Parse(string[] args, out int exitCode)
    {
        var parsed = Command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"Board: {error.Message}");
            Console.Error.WriteLine("Board: run it with --help to see the options.");
            exitCode = MistakeExitCode;
            return null;
        }
        // No action of our own is set, so an action here is the parser's answer to --help or --version.
        if (parsed.Action is not null)
        {
            exitCode = parsed.Invoke();
            return null;
        }
        exitCode = 0;
        return new BoardArguments(parsed.GetValue(LogDirOption)!.FullName, parsed.GetValue(PortOption), parsed.GetValue(StaticOption));
    }

    private static int ParsePort(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, out int port) && port is >= 0 and <= 65535) return port;
        result.AddError($"--port takes a port number from 0 to 65535, not '{text}'.");
        return 0;
    }
}
