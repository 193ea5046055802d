using System.Globalization;
using System.Text;
using GraphDL.Data;

namespace GraphDL;

/// <summary>
/// Saves variables' values to checkpoints and restores them (TF1's tf.train.Saver). A checkpoint is a NumPy
/// <c>.npz</c> archive with one <c>.npy</c> entry per variable, named by the variable (<c>dense/kernel.npy</c>), so
/// <c>numpy.load("model-1000.npz")["dense/kernel"]</c> reads it too.
/// <code>
/// var saver = new Saver(g, maxToKeep: 5);
/// saver.Save(sess, "ckpt/model", globalStep: step);      // ckpt/model-1000.npz, the 5 newest kept
/// saver.Restore(sess, Saver.Latest("ckpt")!);
/// </code>
/// Values are read and set through <see cref="Session.GetValue"/> and <see cref="Session.SetValue"/>, so a
/// checkpoint does not depend on the device the session runs on.
/// </summary>
public sealed class Saver
{
    /// <summary>
    /// The file in a checkpoint directory that lists its checkpoints, oldest first, one file name a line; the last
    /// is the latest. The order of saving is what counts, not the step numbers: training resumed from an earlier
    /// checkpoint saves smaller steps after larger ones, a checkpoint saved without a step has no number, and two
    /// prefixes (model-N, best) can share a directory. The list also lets a new saver (a resumed run) rotate out
    /// the files an earlier one left.
    /// </summary>
    public const string IndexFileName = "checkpoint";

    private const string DefaultPrefix = "model";
    private readonly Output[] _variables;
    private readonly string[] _names;
    private List<string> _lastCheckpoints = [];

    /// <summary>A saver of every variable <paramref name="graph"/> has now (its global variables).</summary>
    /// <param name="graph">The graph whose variables to save; variables made after this call are not included.</param>
    /// <param name="maxToKeep">How many of the newest checkpoints of one prefix to keep; null or 0 keeps all.</param>
    public Saver(Graph graph, int? maxToKeep = 5) : this(graph?.GlobalVariables ?? throw new ArgumentNullException(nameof(graph)), maxToKeep) { }

    /// <summary>A saver of the given variables, of one graph.</summary>
    /// <param name="variables">The variables to save and restore, each under its node's name.</param>
    /// <param name="maxToKeep">How many of the newest checkpoints of one prefix to keep; null or 0 keeps all.</param>
    public Saver(IEnumerable<Output> variables, int? maxToKeep = 5)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (maxToKeep < 0) throw new ArgumentOutOfRangeException(nameof(maxToKeep), maxToKeep, "maxToKeep cannot be negative; null or 0 keeps every checkpoint.");
        _variables = [.. variables.Distinct()];
        if (_variables.Length == 0) throw new ArgumentException("There are no variables to save.", nameof(variables));
        _names = [.. _variables.Select(v => VariableOp.NodeOf(v).Name)];
        var graph = _variables[0].Graph;
        foreach (var v in _variables)
            if (v.Graph != graph) throw new ArgumentException($"A saver's variables must share one graph; '{v.Name}' is from another graph than '{_variables[0].Name}'.", nameof(variables));
        MaxToKeep = maxToKeep is 0 ? null : maxToKeep;
    }

    /// <summary>The variables saved and restored, in the order they are written.</summary>
    public IReadOnlyList<Output> Variables => _variables;

    /// <summary>How many checkpoints of one prefix are kept; null keeps all.</summary>
    public int? MaxToKeep { get; }

    /// <summary>After a save that wrote the index: the checkpoints of its prefix still kept, oldest first (full paths).</summary>
    public IReadOnlyList<string> LastCheckpoints => _lastCheckpoints;

    /// <summary>Tests put a stream between the checkpoint writer and the file here, to make a write fail half-way.</summary>
    internal Func<Stream, Stream>? WrapStream { get; set; }

    /// <summary>
    /// Writes the variables' current values to a checkpoint and returns its path. The file appears whole or not at
    /// all: it is written beside its final name, flushed to the disk, then moved into place, so a crash or a failed
    /// write leaves the previous checkpoint as it was.
    /// </summary>
    /// <param name="session">The session holding the values; it must run the variables' graph.</param>
    /// <param name="path">A prefix (<c>ckpt/model</c>, a trailing <c>.npz</c> is allowed) or a directory (an existing one, or
    /// one written with a trailing separator), which means the prefix <c>model</c> in it. Missing directories are created.</param>
    /// <param name="globalStep">Appended to the name: <c>ckpt/model-1000.npz</c>.</param>
    /// <param name="writeState">Whether to list the checkpoint in the directory's index (see <see cref="IndexFileName"/>) and
    /// delete the oldest of its prefix beyond <see cref="MaxToKeep"/>; without it only the file is written.</param>
    /// <exception cref="RunException">A variable has no value yet (the message names it); nothing is written.</exception>
    /// <exception cref="ArgumentException">A variable is too large to be read back from one .npy entry (see <see cref="Npy.MaxDataBytes"/>); nothing is written.</exception>
    public string Save(Session session, string path, int? globalStep = null, bool writeState = true) =>
        SaveWith(session, path, globalStep, writeState, []);

    /// <summary>The same save, with <paramref name="extra"/> entries written after the variables, in the same file.</summary>
    internal string SaveWith(Session session, string path, int? globalStep, bool writeState, IReadOnlyList<KeyValuePair<string, Tensor>> extra)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireGraph(session);
        if (globalStep < 0) throw new ArgumentOutOfRangeException(nameof(globalStep), globalStep, "The global step cannot be negative.");
        string file = Path.GetFullPath(CheckpointPath(path, globalStep));
        for (int i = 0; i < _variables.Length; i++)
            if (_variables[i].Shape.IsFullyDefined) Npy.CheckReadable(_variables[i].Shape, _variables[i].DType, $"Variable '{_names[i]}'");
        // The variables are written from their own tensors as the archive is written, so a host session makes no copy and
        // a device one holds one host copy at a time; training steps wait meanwhile, so every value comes from one step.
        using (session.ReadingVariables())
            AtomicFile.Write(file, stream => Npz.Write(stream, Values(session).Concat(extra)), WrapStream);
        if (writeState) RecordAndRotate(file);
        return file;
    }

    /// <summary>The variables' own tensors, which the caller's read lock keeps still; a device value is copied to the host one at a time.</summary>
    private IEnumerable<KeyValuePair<string, Tensor>> Values(Session session)
    {
        for (int i = 0; i < _variables.Length; i++)
            yield return new(_names[i], session.ReadVariable(VariableOp.NodeOf(_variables[i])));
    }

    /// <summary>
    /// Sets every variable from a checkpoint. All of them are checked first (present in the file, same shape, same
    /// dtype, and every entry's bytes against its checksum), and when any does not fit, none is changed and the error
    /// lists each that does not. Entries of the file that the saver does not know are ignored. The values are then read
    /// straight over the variables' old values, so a checkpoint of several GiB needs no memory beside the variables.
    /// </summary>
    /// <param name="session">The session whose variables are set.</param>
    /// <param name="path">A checkpoint file (with or without its <c>.npz</c>), or a directory, meaning its <see cref="Latest"/>.</param>
    /// <exception cref="FileNotFoundException">There is no such checkpoint, or the directory holds none.</exception>
    /// <exception cref="InvalidDataException">The file is truncated or damaged, or does not fit the variables; the message names the
    /// file and what is wrong. No variable has been changed.</exception>
    public void Restore(Session session, string path)
    {
        var (_, file, apply) = PrepareRestore(session, path);
        using (file) apply();
    }

    /// <summary>
    /// Opens and checks a checkpoint as <see cref="Restore"/> does, without setting anything yet: the caller checks the
    /// file's other entries, then calls Apply, so that a checkpoint is restored all or nothing. The caller disposes the file.
    /// </summary>
    internal (string Path, NpzFile File, Action Apply) PrepareRestore(Session session, string path)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireGraph(session);
        string resolved = ResolveExisting(path);
        var file = Npz.Open(resolved);
        try
        {
            var problems = new List<string>();
            for (int i = 0; i < _variables.Length; i++)
            {
                var v = _variables[i];
                if (!file.Contains(_names[i]))
                {
                    problems.Add($"variable '{_names[i]}' is missing from the file");
                    continue;
                }
                var (dtype, shape) = file.Describe(_names[i]);
                if (dtype != v.DType)
                    problems.Add($"variable '{_names[i]}' is {dtype} ('{Npy.Descr(dtype)}') in the file, {v.DType} in the graph");
                else if (shape != v.Shape)
                    problems.Add($"variable '{_names[i]}' has shape {shape} in the file, {v.Shape} in the graph");
            }
            if (problems.Count > 0)
            {
                string has = file.Keys.Any() ? string.Join(", ", file.Keys.Select(k => $"'{k}' {file.Describe(k).DType} {file.Describe(k).Shape}")) : "no arrays";
                throw new InvalidDataException($"Checkpoint '{resolved}' does not fit the graph, so no variable was restored: {string.Join("; ", problems)}. The file holds {has}.");
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return (resolved, file, () =>
        {
            // Each value is read straight over the variable's old one, under the write lock so that no run sees a restore
            // half done. The file was checked whole when opened; only a failing disk can stop this half-way.
            using var _ = session.WritingVariables();
            for (int i = 0; i < _variables.Length; i++)
            {
                string name = _names[i];
                session.OverwriteValue(_variables[i], file.Describe(name).Shape, target => file.ReadInto(name, target));
            }
        });
    }

    /// <summary>
    /// The newest checkpoint in <paramref name="directory"/> (TF1's tf.train.latest_checkpoint): the last one its index
    /// lists that still exists; without an index, the .npz with the highest step number, then the most recently
    /// written. Null when there is none.
    /// </summary>
    public static string? Latest(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory)) return null;
        string full = Path.GetFullPath(directory);
        foreach (string name in Enumerable.Reverse(ReadIndex(full)))
        {
            string candidate = Path.Combine(full, name);
            if (File.Exists(candidate)) return candidate;
        }
        return Directory.EnumerateFiles(full, "*.npz")
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .OrderByDescending(f => Split(Path.GetFileName(f)).Step ?? -1)
            .ThenByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    private void RequireGraph(Session session)
    {
        if (session.Graph != _variables[0].Graph)
            throw new ArgumentException($"The session runs another graph than the saver's variables ('{_names[0]}', ...).", nameof(session));
    }

    /// <summary>The file a save with this path and step writes.</summary>
    internal static string CheckpointPath(string path, int? globalStep)
    {
        bool directory = Directory.Exists(path) || path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar);
        string prefix = directory ? Path.Combine(path, DefaultPrefix)
            : path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? path[..^4] : path;
        return prefix + (globalStep is { } step ? "-" + step.ToString(CultureInfo.InvariantCulture) : "") + ".npz";
    }

    internal static string ResolveExisting(string path)
    {
        if (Directory.Exists(path))
            return Latest(path) ?? throw new FileNotFoundException($"The directory '{Path.GetFullPath(path)}' holds no checkpoint.");
        if (File.Exists(path)) return path;
        if (File.Exists(path + ".npz")) return path + ".npz";
        throw new FileNotFoundException($"There is no checkpoint '{Path.GetFullPath(path)}'.", path);
    }

    /// <summary>"model-1000.npz" → ("model", 1000); "best.npz" → ("best", null).</summary>
    private static (string Prefix, long? Step) Split(string fileName)
    {
        string stem = fileName.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? fileName[..^4] : fileName;
        int dash = stem.LastIndexOf('-');
        if (dash > 0 && dash < stem.Length - 1 && stem.AsSpan(dash + 1).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(stem.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long step))
            return (stem[..dash], step);
        return (stem, null);
    }

    /// <summary>
    /// Lists <paramref name="file"/> last in its directory's index, then deletes the oldest checkpoints of its prefix
    /// beyond <see cref="MaxToKeep"/>. Files of other prefixes are never deleted: a "best" checkpoint beside the
    /// periodic ones stays. The index is written (atomically) before the deletions, so it never names a file that
    /// was deleted while it still listed it; a crash in between leaves at most an unlisted old file.
    /// </summary>
    private void RecordAndRotate(string file)
    {
        string directory = Path.GetDirectoryName(file)!, name = Path.GetFileName(file);
        var names = ReadIndex(directory).Where(n => n != name && File.Exists(Path.Combine(directory, n))).ToList();
        names.Add(name);
        string prefix = Split(name).Prefix;
        var mine = names.Where(n => Split(n).Prefix == prefix).ToList();
        var doomed = MaxToKeep is { } keep && mine.Count > keep ? mine[..^keep] : [];
        names.RemoveAll(doomed.Contains);
        WriteIndex(directory, names);
        foreach (string old in doomed)
        {
            // A checkpoint that cannot be deleted (in use, read-only) is left behind rather than failing the save.
            try { File.Delete(Path.Combine(directory, old)); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        _lastCheckpoints = [.. mine.Except(doomed).Select(n => Path.Combine(directory, n))];
    }

    /// <summary>The file names the index lists, oldest first; lines that are not a plain file name (a path, "..") are ignored.</summary>
    private static List<string> ReadIndex(string directory)
    {
        string index = Path.Combine(directory, IndexFileName);
        string[] lines;
        try { lines = File.ReadAllLines(index); }
        catch (FileNotFoundException) { return []; }
        var invalid = Path.GetInvalidFileNameChars();
        return [.. lines
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line is not "." and not ".."
                && line.IndexOfAny(invalid) < 0 && line.IndexOfAny(['/', '\\']) < 0)
            .Distinct()];
    }

    private static void WriteIndex(string directory, IEnumerable<string> names)
    {
        var text = new StringBuilder("# GraphDL checkpoints in this directory, oldest first; the last is the latest.\n");
        foreach (string n in names) text.Append(n).Append('\n');
        byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
        AtomicFile.Write(Path.Combine(directory, IndexFileName), stream => stream.Write(bytes));
    }
}
