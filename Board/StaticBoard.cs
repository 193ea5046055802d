using System.Text.Json.Nodes;

namespace GraphDL.Board;

/// <summary>
/// The board as files that a browser opens from file:// with no server. A browser will not fetch() JSON from
/// file://, so the data travels as scripts that set <c>window.boardData</c>: <c>board-data/index.js</c>, which every
/// page loads, and <c>board-data/run-N.js</c>, one per run, which the page adds when it shows that run.
/// </summary>
public static class StaticBoard
{
    /// <summary>The folder, relative to the pages, that holds the data scripts.</summary>
    public const string DataFolder = "board-data";

    /// <summary>
    /// Writes the pages of <paramref name="logdir"/>'s board into <paramref name="outDir"/>. The pictures are linked
    /// where they lie when <paramref name="outDir"/> is the log folder itself, and copied under <c>files/</c> otherwise.
    /// </summary>
    /// <returns>The index page's path.</returns>
    public static string Write(string logdir, string outDir)
    {
        string root = Path.GetFullPath(logdir);
        string output = Path.GetFullPath(outDir);
        bool inPlace = Path.TrimEndingDirectorySeparator(root) == Path.TrimEndingDirectorySeparator(output);
        string filesBase = inPlace ? "" : "files/";
        // One scan for the index and the data files, so that a run a program adds meanwhile cannot shift them apart.
        var (runs, lessons) = LogFolder.Scan(root);
        var index = BoardData.Index(runs, lessons);
        Directory.CreateDirectory(Path.Combine(output, DataFolder));

        foreach (string asset in BoardAssets.Paths)
        {
            string target = Path.Combine(output, asset.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = BoardAssets.Open(asset)!;
            using var file = File.Create(target);
            source.CopyTo(file);
        }

        var runEntries = index["runs"]!.AsArray();
        for (int i = 0; i < runs.Count; i++)
        {
            string script = $"{DataFolder}/run-{i}.js";
            runEntries[i]!["data"] = script;
            var data = BoardData.Run(runs[i]);
            File.WriteAllText(Path.Combine(output, script), RunScript(data));
            if (!inPlace) CopyImages(runs[i], data, root, output);
        }
        if (!inPlace)
            foreach (var lesson in lessons)
                foreach (string picture in lesson.Pictures)
                    CopyFile(Path.Combine(lesson.Folder, picture), root, output);

        File.WriteAllText(Path.Combine(output, DataFolder, "index.js"), IndexScript(index, live: false, filesBase));
        return Path.Combine(output, "index.html");
    }

    /// <summary>The script that hands the page the index: where the pictures are and whether to poll for more.</summary>
    /// <param name="index">What <see cref="BoardData.Index(string)"/> made.</param>
    /// <param name="live">Whether a server answers the API, so that the page polls it for new events.</param>
    /// <param name="filesBase">The prefix that makes a path relative to the log folder into a URL relative to the page.</param>
    public static string IndexScript(JsonObject index, bool live, string filesBase)
    {
        var settings = new JsonObject { ["live"] = live, ["filesBase"] = filesBase, ["index"] = index };
        return $"window.boardData = Object.assign(window.boardData || {{}}, {settings.ToJsonString()});\n";
    }

    private static string RunScript(JsonObject run) =>
        $"window.boardData = window.boardData || {{}};\n(window.boardData.runs = window.boardData.runs || {{}})[{JsonValue.Create(run["name"]!.GetValue<string>()).ToJsonString()}] = {run.ToJsonString()};\n";

    // The image events' PNGs, which lie in the run's folder at the path the event names.
    private static void CopyImages(RunFolder run, JsonObject data, string root, string output)
    {
        if (data["events"] is not JsonArray events) return;
        foreach (var image in events.OfType<JsonObject>().Where(e => e["kind"]?.GetValue<string>() == "image"))
            if (image["file"] is JsonValue value && value.TryGetValue(out string? file))
                CopyFile(Path.Combine(run.Folder, file.Replace('/', Path.DirectorySeparatorChar)), root, output);
    }

    private static void CopyFile(string source, string root, string output)
    {
        string full = Path.GetFullPath(source);
        // An image event's path is the writer's to choose; only files inside the log folder are copied out.
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full)) return;
        string target = Path.Combine(output, "files", Path.GetRelativePath(root, full));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(full, target, overwrite: true);
    }
}
