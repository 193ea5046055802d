using System.Text;
using System.Text.Json;

namespace GraphDL.Summaries;

/// <summary>
/// Writes a run folder for the board (TF1's tf.summary.FileWriter): events.jsonl, appended one whole line per event;
/// graph.json and profile.json, each rewritten whole and atomically; image summaries' PNGs under images/. The format is
/// in the README, "Logs for the board". Each event is flushed to the operating system as it is added (unless
/// <c>flushEachEvent</c> is false; then at <see cref="Flush"/>), so a process killed at any moment leaves a file
/// whose every whole line is readable; <see cref="EventLog"/> skips the one torn line it may end with.
/// </summary>
public sealed class FileWriter : IDisposable
{
    private readonly FileStream _events;
    private readonly bool _flushEachEvent;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>
    /// Opens the run folder <paramref name="logDir"/>, creating it, and appends to its events.jsonl: a run can be resumed
    /// (a torn line left by a killed writer is cut off first). A new file starts with the header line.
    /// </summary>
    /// <param name="logDir">The run's folder.</param>
    /// <param name="flushEachEvent">Flush after every event (the default) rather than only at <see cref="Flush"/> and <see cref="Dispose"/>.</param>
    public FileWriter(string logDir, bool flushEachEvent = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logDir);
        LogDir = logDir;
        _flushEachEvent = flushEachEvent;
        Directory.CreateDirectory(logDir);
        string path = Path.Combine(logDir, EventLog.EventsFile);
        // Readers (the board) open the file while it is written, and may read it as it grows.
        _events = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        CutTornLine();
        _events.Seek(0, SeekOrigin.End);
        if (_events.Length == 0)
        {
            var now = DateTime.UtcNow;
            Append(new HeaderEvent(HeaderEvent.EventFormat, 1, now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond))));
            _events.Flush();
        }
    }

    /// <summary>The run folder written.</summary>
    public string LogDir { get; }

    /// <summary>Logs every value of a merged summary's run at <paramref name="step"/> (TF1's writer.add_summary).</summary>
    public void AddSummary(FetchedSummary summary, long step)
    {
        ArgumentNullException.ThrowIfNull(summary);
        double wall = WallNow();
        lock (_lock)
        {
            foreach (var value in summary) AppendValue(value, step, wall);
            FlushIfEager();
        }
    }

    /// <summary>Logs one value computed outside the graph (a validation accuracy, an epoch's loss) at <paramref name="step"/>.</summary>
    public void AddScalar(string tag, double value, long step) => AddValue(new ScalarValue(CheckTag(tag), value), step);

    /// <summary>Logs a histogram of <paramref name="values"/> at <paramref name="step"/> (a weight fetched with <see cref="Session.GetValue"/>).</summary>
    public void AddHistogram(string tag, Tensor values, long step, int bins = Histogram.DefaultBins) =>
        AddValue(new HistogramValue(CheckTag(tag), Histogram.Of(values.ToDoubles(), bins)), step);

    /// <summary>Logs plain text at <paramref name="step"/>.</summary>
    public void AddText(string tag, string text, long step) => AddValue(new TextValue(CheckTag(tag), text), step);

    /// <summary>Writes the graph as graph.json, replacing an earlier one (TF1's writer.add_graph).</summary>
    public void AddGraph(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ObjectDisposedException.ThrowIf(_disposed, this);
        LogJson.WriteAtomically(Path.Combine(LogDir, EventLog.GraphFileName), GraphFile.Of(graph));
    }

    /// <summary>Writes where each node ran and its time as profile.json, replacing an earlier one (TF1's writer.add_run_metadata).</summary>
    public void AddRunProfile(RunProfile profile, long step)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ObjectDisposedException.ThrowIf(_disposed, this);
        LogJson.WriteAtomically(Path.Combine(LogDir, EventLog.ProfileFileName), ProfileFile.Of(profile, step));
    }

    /// <summary>Hands every event added so far to the operating system, where it survives the process.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _events.Flush();
        }
    }

    /// <summary>Flushes and closes events.jsonl.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _events.Dispose();
        }
    }

    private void AddValue(SummaryValue value, long step)
    {
        double wall = WallNow();
        lock (_lock)
        {
            AppendValue(value, step, wall);
            FlushIfEager();
        }
    }

    private void AppendValue(SummaryValue value, long step, double wall)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        switch (value)
        {
            case ScalarValue s:
                Append(new ScalarEvent { Tag = s.Tag, Step = step, Wall = wall, Value = s.Value });
                break;
            case HistogramValue { Histogram: var h } hv:
                Append(new HistogramEvent { Tag = hv.Tag, Step = step, Wall = wall, Min = h.Min, Max = h.Max, Count = h.Count, Sum = h.Sum, Edges = h.Edges, Counts = h.Counts });
                break;
            case TextValue t:
                Append(new TextEvent { Tag = t.Tag, Step = step, Wall = wall, Text = t.Text });
                break;
            case ImageValue images:
                for (int i = 0; i < images.Images.Count; i++)
                {
                    var image = images.Images[i];
                    string file = $"images/{SafePath(images.Tag)}/{step:D6}_{i}.png";
                    string path = Path.Combine(LogDir, file);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    // The picture is whole on disk before the line that points at it.
                    File.WriteAllBytes(path, image.EncodePng());
                    Append(new ImageEvent { Tag = images.Tag, Step = step, Wall = wall, File = file, Width = image.Width, Height = image.Height, Channels = image.Channels });
                }
                break;
            default:
                throw new ArgumentException($"A {value.GetType().Name} ('{value.Tag}') is not a summary this writer knows.", nameof(value));
        }
    }

    /// <summary>One whole line in one write, so a reader or a crash never sees two events run together.</summary>
    private void Append(LogEvent e)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(e, LogJson.Options);
        var buffer = new byte[line.Length + 1];
        line.CopyTo(buffer, 0);
        buffer[^1] = (byte)'\n';
        _events.Write(buffer);
    }

    private void FlushIfEager()
    {
        if (_flushEachEvent) _events.Flush();
    }

    /// <summary>Cuts a last line without its '\n' (a writer killed mid-line), so the next event starts a line of its own.</summary>
    private void CutTornLine()
    {
        long end = _events.Length;
        if (end == 0) return;
        var chunk = new byte[4096];
        long position = end;
        while (position > 0)
        {
            int size = (int)Math.Min(chunk.Length, position);
            position -= size;
            _events.Seek(position, SeekOrigin.Begin);
            _events.ReadExactly(chunk, 0, size);
            int newline = Array.LastIndexOf(chunk, (byte)'\n', size - 1);
            if (newline >= 0)
            {
                if (position + newline + 1 < end) _events.SetLength(position + newline + 1);
                return;
            }
        }
        _events.SetLength(0);   // not one whole line: not even the header was finished
    }

    private static string CheckTag(string tag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        return tag;
    }

    /// <summary>A tag as folders under images/: '/' nests, anything unusual in a file name becomes '_'.</summary>
    private static string SafePath(string tag) => string.Join('/', tag.Split('/', StringSplitOptions.RemoveEmptyEntries)
        .Select(part => part is "." or ".." ? "_" : new string([.. part.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_')])));

    private static double WallNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
