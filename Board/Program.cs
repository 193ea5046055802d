using GraphDL.Board;

if (BoardCommandLine.Parse(args, out int exitCode) is not { } options) return exitCode;

try
{
    if (options.StaticDir is { } staticDir)
    {
        string page = StaticBoard.Write(options.LogDir, staticDir);
        Console.WriteLine($"Board: wrote {page}");
        return 0;
    }
    await using var server = await BoardServer.StartAsync(options.LogDir, options.Port);
    // Tests and scripts read this line to find a board started on --port 0.
    Console.WriteLine($"Board: {server.Url}");
    Console.WriteLine($"Board: showing {options.LogDir}; press Ctrl+C to stop.");
    await server.WaitForShutdownAsync();
    return 0;
}
catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
{
    Console.Error.WriteLine($"Board: port {options.Port} is taken; pass --port N, or --port 0 for a free one.");
    return 1;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
{
    // A folder that cannot be written, a file that cannot be read: the message names it.
    Console.Error.WriteLine($"Board: {e.Message}");
    return 1;
}
