using System.Diagnostics;
using System.Text;

namespace GraphDL.Lessons;

/// <summary>
/// A one-line progress bar for long training loops. It draws only when standard output is a terminal
/// (tests, CI and redirected runs see nothing of it), and while it is shown every Console.Write goes
/// through a writer that lifts the bar, prints the line, and puts the bar back underneath, so a lesson
/// prints its step log with plain Console.WriteLine.
/// </summary>
public sealed class ProgressBar : IDisposable
{
    private const int Width = 30;
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(100);

    private readonly string _label;
    private readonly long _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TextWriter? _console;
    private readonly BarWriter? _writer;
    private long _done;
    private TimeSpan _lastDraw = TimeSpan.MinValue;

    internal ProgressBar(string label, long total)
    {
        _label = label;
        _total = Math.Max(1, total);
        if (Console.IsOutputRedirected) return;
        _console = Console.Out;
        _writer = new BarWriter(_console, this);
        Console.SetOut(_writer);
        _writer.Draw();
    }

    /// <summary>Counts <paramref name="steps"/> more steps done.</summary>
    public void Tick(long steps = 1)
    {
        _done += steps;
        if (_writer is null) return;
        var now = _clock.Elapsed;
        if (now - _lastDraw < RedrawEvery && _done < _total) return;
        _lastDraw = now;
        _writer.Draw();
    }

    public void Dispose()
    {
        if (_writer is null || _console is null) return;
        _writer.Erase();
        Console.SetOut(_console);
    }

    private string Render()
    {
        double fraction = Math.Clamp((double)_done / _total, 0, 1);
        int filled = (int)Math.Round(fraction * Width);
        double seconds = _clock.Elapsed.TotalSeconds;
        string eta = _done > 0 && _done < _total ? $"  eta {seconds / _done * (_total - _done):F0} s" : "";
        return $"{_label} [{new string('#', filled)}{new string('-', Width - filled)}] {fraction,4:P0} {_done:N0}/{_total:N0}  {seconds:F1} s{eta}";
    }

    private sealed class BarWriter(TextWriter inner, ProgressBar bar) : TextWriter
    {
        private bool _barShown;
        private bool _atLineStart = true;

        public override Encoding Encoding => inner.Encoding;

        public void Draw()
        {
            if (!_atLineStart) return;   // a line is being written: the bar comes back after its newline
            inner.Write("\r\x1b[2K" + bar.Render());
            inner.Flush();
            _barShown = true;
        }

        public void Erase()
        {
            if (!_barShown) return;
            inner.Write("\r\x1b[2K");
            inner.Flush();
            _barShown = false;
        }

        public override void Write(char value) => Write(value.ToString());

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            Erase();
            inner.Write(value);
            _atLineStart = value[^1] == '\n';
            if (_atLineStart) Draw();
        }

        public override void WriteLine(string? value) => Write((value ?? "") + NewLine);

        public override void WriteLine() => Write(NewLine);

        public override void Flush() => inner.Flush();
    }
}
