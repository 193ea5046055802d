using GraphDL.Summaries;

namespace GraphDL.Lessons;

public sealed partial class Lesson
{
    private readonly Dictionary<string, FileWriter> _boardRuns = new(StringComparer.Ordinal);

    /// <summary>
    /// The lesson's log folder for the board, <c>&lt;OutDir&gt;/board</c>: each folder in it with an events.jsonl or a
    /// graph.json is a run. Removed when the lesson starts, so that a board never shows two runs of the lesson mixed.
    /// </summary>
    public string BoardDir => Path.Combine(OutDir, "board");

    /// <summary>
    /// The writer of the board run <paramref name="run"/> (<c>board/&lt;run&gt;</c>; '/' nests runs, as in "mnist/adam"),
    /// or of <c>board/</c> itself when <paramref name="run"/> is null: a lesson with one graph logs there, a lesson with
    /// several graphs or variants gives each a run of its own, with the same tags, so that the board draws them on one
    /// chart. The writer is made on first use, kept for the next call with the same name, and closed by <see cref="Finish"/>.
    /// </summary>
    public FileWriter Board(string? run = null)
    {
        string key = run ?? "";
        if (!_boardRuns.TryGetValue(key, out var writer))
            _boardRuns[key] = writer = new FileWriter(RunDir(run));
        return writer;
    }

    /// <summary>
    /// Keras's TensorBoard callback for a Fit of this lesson, writing the runs <c>board/&lt;run&gt;/train</c> and
    /// <c>board/&lt;run&gt;/validation</c>; the callback opens and closes its own writers.
    /// </summary>
    public Keras.TensorBoard TensorBoard(string run) => new(RunDir(run ?? throw new ArgumentNullException(nameof(run))));

    private string RunDir(string? run)
    {
        if (run is null) return BoardDir;
        // A run is a folder under board/: nothing that could climb out of it or name the same folder two ways.
        if (run.Length == 0 || Path.IsPathRooted(run) || run.Contains('\\')
            || run.Split('/').Any(part => part.Length == 0 || part is "." or ".." || part.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0))
            throw new ArgumentException($"Lesson {Name}: '{run}' is not a board run name; use folder names joined by '/', such as \"train\" or \"mnist/adam\".", nameof(run));
        return Path.Combine(BoardDir, run);
    }

    private void ClearBoard()
    {
        if (Directory.Exists(BoardDir)) Directory.Delete(BoardDir, recursive: true);
    }

    private void CloseBoard()
    {
        foreach (var writer in _boardRuns.Values) writer.Dispose();
        _boardRuns.Clear();
    }
}
