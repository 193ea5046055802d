using System.Diagnostics;
using System.Globalization;

namespace GraphDL.Keras;

// The lines Fit, Evaluate and Predict print, in Keras's format (keras.utils.Progbar, Keras 2.x).
public partial class Model
{
    /// <summary>
    /// Whether verbose 1 may redraw its bar in place with \r: true when standard output is a terminal. When it is
    /// redirected to a file or a pipe, only each epoch's final line is written, so that logs hold no \r redraws.
    /// Tests set it to see the redraws through Console.SetOut.
    /// </summary>
    internal static Func<bool> ConsoleShowsRedraws = () => !Console.IsOutputRedirected;

    /// <summary>
    /// Keras's progress bar for one epoch, evaluation or prediction of <c>target</c> steps. Verbose 1: while it runs,
    /// <c>  32/1875 [>.....] - ETA: 12s - loss: 0.4213</c> redrawn in place at most ten times a second, then
    /// <c>1875/1875 [======] - 3s 2ms/step - loss: …</c>; verbose 2: only <c>1875/1875 - 3s - loss: … - 3s/epoch - 2ms/step</c>
    /// at the end; verbose 0: nothing.
    /// </summary>
    private sealed class ProgressBar
    {
        private const int Width = 30;
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(0.1);
        private readonly int _target, _verbose;
        private readonly bool _redraws;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan? _lastDrawn;
        private int _drawnLength;

        /// <param name="target">The steps it counts to.</param>
        /// <param name="verbose">0, 1 or 2, as Fit's.</param>
        public ProgressBar(int target, int verbose)
        {
            if (verbose is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(verbose), verbose, "verbose is 0 (silent), 1 (a progress bar) or 2 (one line per epoch).");
            (_target, _verbose) = (target, verbose);
            _redraws = verbose == 1 && ConsoleShowsRedraws();
        }

        /// <summary>After step <paramref name="current"/> (from 1): redraws the bar if it is time; the figures are read only then.</summary>
        public void Update(int current, Func<Dictionary<string, double>>? readLogs)
        {
            if (!_redraws || current >= _target) return;
            var now = _clock.Elapsed;
            if (_lastDrawn is { } last && now - last < Interval) return;
            _lastDrawn = now;
            double eta = now.TotalSeconds / current * (_target - current);
            Draw($"{Bar(current)} - ETA: {Eta(eta)}{FormatLogs(readLogs?.Invoke() ?? [])}", end: false);
        }

        /// <summary>The final line, with the figures of the whole epoch (validation ones included).</summary>
        public void Finish(Dictionary<string, double> logs)
        {
            if (_verbose == 0) return;
            var elapsed = _clock.Elapsed;
            string seconds = Number(elapsed.TotalSeconds, "F0") + "s";
            double perStep = elapsed.TotalSeconds / Math.Max(_target, 1);
            if (_verbose == 1) Draw($"{Bar(_target)} - {seconds}{Duration(perStep, "step")}{FormatLogs(logs)}", end: true);
            else Console.WriteLine($"{_target}/{_target} - {seconds}{FormatLogs(logs)} -{Duration(elapsed.TotalSeconds, "epoch")} -{Duration(perStep, "step")}");
        }

        /// <summary>Writes a line over the last one: \r, the text, and spaces over what is left of a longer one.</summary>
        private void Draw(string line, bool end)
        {
            string padding = new(' ', Math.Max(0, _drawnLength - line.Length));
            string start = _drawnLength > 0 ? "\r" : "";
            _drawnLength = end ? 0 : line.Length;
            if (end) Console.WriteLine(start + line + padding);
            else Console.Write(start + line + padding);
            Console.Out.Flush();
        }

        /// <summary>"  32/1875 [>.............................]": the count right-aligned to the target's digits; '=' for each thirtieth done, '>' for the step under way.</summary>
        private string Bar(int current)
        {
            string count = current.ToString(CultureInfo.InvariantCulture).PadLeft(_target.ToString(CultureInfo.InvariantCulture).Length);
            int done = (int)(Width * (double)current / _target);
            string bar = done > 0 ? new string('=', done - 1) + (current < _target ? ">" : "=") : "";
            return $"{count}/{_target} [{bar}{new string('.', Width - done)}]";
        }

        /// <summary>Keras's ETA: "12s", "1:05" past a minute, "1:01:05" past an hour (whole seconds, truncated).</summary>
        private static string Eta(double seconds)
        {
            long s = (long)seconds;
            return seconds > 3600 ? $"{s / 3600}:{s % 3600 / 60:00}:{s % 60:00}"
                : seconds > 60 ? $"{s / 60}:{s % 60:00}"
                : $"{s}s";
        }
    }

    /// <summary>Keras's time per unit: " 2s/step", " 15ms/step" or " 840us/step".</summary>
    private static string Duration(double seconds, string unit) =>
        seconds >= 1 || seconds == 0 ? $" {Number(seconds, "F0")}s/{unit}"
        : seconds >= 1e-3 ? $" {Number(seconds * 1e3, "F0")}ms/{unit}"
        : $" {Number(seconds * 1e6, "F0")}us/{unit}";

    /// <summary>" - loss: 0.1980 - accuracy: 1.0000", four decimals, or scientific at or below 0.001, as Keras prints.</summary>
    private static string FormatLogs(Dictionary<string, double> logs) =>
        string.Concat(logs.Select(kv => $" - {kv.Key}: {Number(kv.Value, Math.Abs(kv.Value) > 1e-3 ? "F4" : "0.0000e+00")}"));

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
