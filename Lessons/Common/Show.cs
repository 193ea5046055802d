using System.Globalization;

namespace GraphDL.Lessons;

/// <summary>Prints values the way the slides' numpy does, so a lesson's output reads like its slide.</summary>
public static class Show
{
    /// <summary>numpy's one-line form of an integer vector: <c>[7 2 1 0 4 1 4 9 5 9]</c>.</summary>
    public static string Array(IEnumerable<int> values) => "[" + string.Join(" ", values) + "]";

    /// <summary>A float vector as numpy prints it, with <paramref name="digits"/> decimals: <c>[0.87493126 -26.79078617]</c>.</summary>
    public static string Array(IEnumerable<double> values, int digits = 8) =>
        "[" + string.Join(" ", values.Select(v => v.ToString("F" + digits, CultureInfo.InvariantCulture))) + "]";
}
