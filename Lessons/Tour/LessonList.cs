using System.Text;
namespace GraphDL.Lessons;

/// <summary><c>Tour --list</c>: the catalogue as aligned columns, read from the lessons' attributes without running any.</summary>
internal static class LessonList
{
    public static string Format(IReadOnlyList<LessonInfo> lessons)
    {
        string[] header = ["Part", "Position", "Lesson", "--data", "Title"];
        var rows = lessons.Select(l => new[] { $"{l.Part}", $"{l.Position}", l.Name, l.UsesData ? "yes" : "no", l.Title }).Prepend(header).ToList();
        // The title goes last and unpadded: its Hangul is two columns wide on a terminal, which padding by characters cannot follow.
        int[] widths = [.. Enumerable.Range(0, header.Length - 1).Select(c => rows.Max(r => r[c].Length))];
        var text = new StringBuilder();
        foreach (var row in rows)
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c < widths.Length ? cell.PadRight(widths[c]) : cell)));
        return text.ToString();
    }
}
