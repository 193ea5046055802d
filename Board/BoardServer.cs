using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GraphDL.Board;

/// <summary>
/// The live board: Kestrel on 127.0.0.1 serving the page and a small JSON API over a log folder, read anew on every
/// request so that what a training program appends shows up at the page's next poll.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>/</c>, <c>/index.html</c>, <c>/run.html?run=NAME</c>, <c>/lesson.html?lesson=NAME</c>: the pages.</item>
/// <item><c>/board-data/index.js</c>: the index as a script, the same file the static board writes.</item>
/// <item><c>/api/runs</c>: the lessons and runs; <c>/api/run?run=NAME</c>: a run's graph, profile and events;
/// <c>/api/events?run=NAME&amp;after=N</c>: its events from number N on, and the next N.</item>
/// <item><c>/files/PATH</c>: a file of the log folder (the pictures).</item>
/// </list>
/// </remarks>
public sealed class BoardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BoardServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The board's address, such as <c>http://127.0.0.1:6006/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Starts serving <paramref name="logdir"/> on <paramref name="port"/> (0 picks a free one).</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="logdir"/> does not exist.</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<BoardServer> StartAsync(string logdir, int port)
    {
        string root = Path.GetFullPath(logdir);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"The log folder {root} does not exist.");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        // Before routing, so that the pages' catch-all route does not claim the log folder's files.
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root), RequestPath = "/files" });
        app.UseRouting();
        MapPages(app);
        MapApi(app, root);
        await app.StartAsync();
        // With port 0 Kestrel binds a free port; the address it reports after starting carries the port it got.
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BoardServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Serves until the process is asked to stop (Ctrl+C).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Stops serving.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void MapPages(WebApplication app)
    {
        var contentTypes = new FileExtensionContentTypeProvider();
        app.MapGet("/", () => Asset("index.html", contentTypes));
        app.MapGet("/{**path}", (string path) => Asset(path, contentTypes));
    }

    private static IResult Asset(string path, FileExtensionContentTypeProvider contentTypes)
    {
        var stream = BoardAssets.Open(path);
        if (stream is null) return Results.NotFound($"The board has no page or asset '{path}'.");
        return Results.Stream(stream, contentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream");
    }

    private static void MapApi(WebApplication app, string root)
    {
        app.MapGet("/board-data/index.js", () =>
            Results.Text(StaticBoard.IndexScript(BoardData.Index(root), live: true, filesBase: "files/"), "text/javascript"));
        app.MapGet("/api/runs", () => Json(BoardData.Index(root)));
        app.MapGet("/api/run", (string run) =>
            FindRun(root, run) is { } found ? Json(BoardData.Run(found)) : UnknownRun(root, run));
        app.MapGet("/api/events", (string run, int? after) =>
        {
            if (FindRun(root, run) is not { } found) return UnknownRun(root, run);
            try
            {
                return Json(BoardData.Events(found, after ?? 0));
            }
            catch (InvalidDataException e)
            {
                return Results.Json(new JsonObject { ["error"] = e.Message }, statusCode: StatusCodes.Status500InternalServerError);
            }
        });
    }

    private static RunFolder? FindRun(string root, string name) =>
        LogFolder.Scan(root).Runs.FirstOrDefault(r => r.Name == name);

    private static IResult UnknownRun(string root, string name) =>
        Results.Json(new JsonObject { ["error"] = $"The log folder {root} has no run '{name}'." }, statusCode: StatusCodes.Status404NotFound);

    private static IResult Json(JsonObject data) => Results.Text(data.ToJsonString(), "application/json");
}
