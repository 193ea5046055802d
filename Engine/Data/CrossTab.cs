using System.Globalization;

namespace GraphDL.Data;

/// <summary>
/// pandas' <c>pd.crosstab(rows, columns, margins=True)</c> for two label sequences (true and predicted classes):
/// how often each pair occurs, with a row for each value that occurs in <see cref="RowLabels"/> and a column
/// for each value that occurs in <see cref="ColumnLabels"/>, plus pandas' "All" totals. <see cref="ToString"/>
/// prints it as pandas does.
/// </summary>
public sealed class CrossTab
{
    private readonly int[,] _counts;

    private CrossTab(int[] rowLabels, int[] columnLabels, int[,] counts)
    {
        RowLabels = rowLabels;
        ColumnLabels = columnLabels;
        _counts = counts;
    }

    /// <summary>pandas' <c>pd.crosstab(rowValues, columnValues, margins=True)</c>: counts every (row value, column value) pair.</summary>
    public static CrossTab Compute(IReadOnlyList<int> rowValues, IReadOnlyList<int> columnValues)
    {
        if (rowValues.Count != columnValues.Count)
            throw new ArgumentException($"crosstab needs as many row values as column values; got {rowValues.Count} and {columnValues.Count}.", nameof(columnValues));
        // Like pandas, a table has a row for each row value that occurs and a column for each column value that occurs.
        int[] rows = [.. rowValues.Distinct().Order()];
        int[] columns = [.. columnValues.Distinct().Order()];
        var counts = new int[rows.Length, columns.Length];
        for (int i = 0; i < rowValues.Count; i++)
            counts[Array.BinarySearch(rows, rowValues[i]), Array.BinarySearch(columns, columnValues[i])]++;
        return new CrossTab(rows, columns, counts);
    }

    /// <summary>The row values that occur, sorted: the table's rows (pandas' index).</summary>
    public IReadOnlyList<int> RowLabels { get; }

    /// <summary>The column values that occur, sorted: the table's columns.</summary>
    public IReadOnlyList<int> ColumnLabels { get; }

    /// <summary>How many times row value <see cref="RowLabels"/>[row] met column value <see cref="ColumnLabels"/>[column].</summary>
    public int this[int row, int column] => _counts[row, column];

    /// <summary>pandas' "All" column: each row's total.</summary>
    public int[] RowTotals => [.. Enumerable.Range(0, RowLabels.Count).Select(r => Enumerable.Range(0, ColumnLabels.Count).Sum(c => _counts[r, c]))];

    /// <summary>pandas' "All" row: each column's total.</summary>
    public int[] ColumnTotals => [.. Enumerable.Range(0, ColumnLabels.Count).Select(c => Enumerable.Range(0, RowLabels.Count).Sum(r => _counts[r, c]))];

    /// <summary>The number of pairs counted (pandas' bottom-right "All").</summary>
    public int Total => RowTotals.Sum();

    /// <summary>The table as pandas prints it: a <c>col_0</c> header, a <c>row_0</c> line, the rows and the "All" margins, right-aligned columns.</summary>
    public override string ToString()
    {
        var lines = new List<string[]>();
        lines.Add(["col_0", .. ColumnLabels.Select(Text), "All"]);
        lines.Add(["row_0", .. Enumerable.Repeat("", ColumnLabels.Count + 1)]);
        for (int r = 0; r < RowLabels.Count; r++)
            lines.Add([Text(RowLabels[r]), .. Enumerable.Range(0, ColumnLabels.Count).Select(c => Text(_counts[r, c])), Text(RowTotals[r])]);
        lines.Add(["All", .. ColumnTotals.Select(Text), Text(Total)]);
        int[] widths = [.. Enumerable.Range(0, lines[0].Length).Select(c => lines.Max(l => l[c].Length))];
        return string.Join("\n", lines.Select(line =>
            string.Join("  ", line.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd()));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
