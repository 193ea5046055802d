using System.Globalization;

namespace GraphDL.Keras;

// The lines Fit and Evaluate print, in Keras's format.
public partial class Model
{
    /// <summary>The line Keras prints when an epoch or an evaluation ends (verbose 1 ends its progress bar with it).</summary>
    private static void PrintEpoch(int steps, TimeSpan elapsed, Dictionary<string, double> logs, int verbose)
    {
        string seconds = Number(elapsed.TotalSeconds, "F0") + "s";
        Console.WriteLine(verbose == 1
            ? $"{steps}/{steps} [{new string('=', 30)}] - {seconds}{PerStep(elapsed, steps)}{FormatLogs(logs)}"
            : $"{steps}/{steps} - {seconds}{FormatLogs(logs)} -{Duration(elapsed.TotalSeconds, "epoch")} -{Duration(elapsed.TotalSeconds / steps, "step")}");
    }

    private static string PerStep(TimeSpan elapsed, int steps) => Duration(elapsed.TotalSeconds / Math.Max(steps, 1), "step");

    /// <summary>Keras's time per unit: " 2s/step", " 15ms/step" or " 840us/step".</summary>
    private static string Duration(double seconds, string unit) =>
        seconds >= 1 || seconds == 0 ? $" {Number(seconds, "F0")}s/{unit}"
        : seconds >= 1e-3 ? $" {Number(seconds * 1e3, "F0")}ms/{unit}"
        : $" {Number(seconds * 1e6, "F0")}us/{unit}";

    /// <summary>" - loss: 0.1980 - accuracy: 1.0000", four decimals, or scientific below 0.001, as Keras prints.</summary>
    private static string FormatLogs(Dictionary<string, double> logs) =>
        string.Concat(logs.Select(kv => $" - {kv.Key}: {Number(kv.Value, Math.Abs(kv.Value) > 1e-3 ? "F4" : "0.0000e+00")}"));

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
