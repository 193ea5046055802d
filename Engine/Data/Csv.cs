using System.Text;

namespace GraphDL.Data;

/// <summary>
/// Reads comma-separated values (RFC 4180) into a <see cref="CsvTable"/>: an optional header row, fields
/// in double quotes that may hold the separator, doubled quotes (<c>""</c>) and line breaks, CRLF or LF
/// line ends, and any one-character separator (<c>';'</c>, <c>'\t'</c>). Every row must have as many
/// fields as the first one; a mistake is reported as a <see cref="CsvException"/> naming the file, the
/// line and the column.
/// </summary>
/// <remarks>
/// Two liberties beyond the RFC, both common in files people write by hand: empty lines are skipped,
/// and a quote inside an unquoted field (<c>5" screen</c>) is kept as an ordinary character.
/// Fields are not trimmed: a space belongs to the value, as the RFC says.
/// </remarks>
public static class Csv
{
    /// <summary>Reads the CSV file at <paramref name="path"/>.</summary>
    /// <param name="path">The file; errors name it as given here.</param>
    /// <param name="hasHeader">Whether the first row names the columns.</param>
    /// <param name="separator">The character between fields.</param>
    public static CsvTable Read(string path, bool hasHeader = true, char separator = ',')
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path, Encoding.UTF8), path, hasHeader, separator);
    }

    /// <summary>Reads CSV text held in memory; <paramref name="source"/> is the name errors give it.</summary>
    public static CsvTable Parse(string text, string source = "<text>", bool hasHeader = true, char separator = ',')
    {
        if (separator is '"' or '\r' or '\n')
            throw new ArgumentException($"'{Escape(separator)}' cannot separate CSV fields: it already means a quote or a line end.", nameof(separator));

        var records = new Reader(text, source, separator).ReadAll();
        if (records.Count == 0 && hasHeader)
            throw new CsvException(source, null, null, null, "the file is empty, but a header row was expected.");

        string[] header = hasHeader ? records[0].Fields : [];
        int width = hasHeader ? header.Length : records.Count > 0 ? records[0].Fields.Length : 0;
        var rows = new List<string[]>(records.Count);
        var lines = new List<int>(records.Count);
        foreach (var record in records.Skip(hasHeader ? 1 : 0))
        {
            if (record.Fields.Length != width)
            {
                string expected = hasHeader ? $"the header has {width}" : $"the first row has {width}";
                int column = Math.Min(record.Fields.Length, width) + 1;
                string? name = hasHeader && column <= width ? header[column - 1] : null;
                throw new CsvException(source, record.Line, column, name,
                    $"this row has {record.Fields.Length} field{(record.Fields.Length == 1 ? "" : "s")}, but {expected}.");
            }
            rows.Add(record.Fields);
            lines.Add(record.Line);
        }
        return new CsvTable(source, header, rows, lines, hasHeader ? records[0].Line : null);
    }

    internal static string Escape(char c) => c switch { '\t' => "\\t", '\r' => "\\r", '\n' => "\\n", _ => c.ToString() };

    /// <summary>One record as read: its fields and the line it starts on (a quoted line break makes a record span lines).</summary>
    private readonly record struct Record(string[] Fields, int Line);

    /// <summary>A single pass over the text, character by character, tracking the line for error messages.</summary>
    private sealed class Reader(string text, string source, char separator)
    {
        private int _pos;
        private int _line = 1;
        private readonly StringBuilder _field = new();

        public List<Record> ReadAll()
        {
            var records = new List<Record>();
            while (_pos < text.Length)
            {
                if (AtLineEnd())
                {
                    SkipLineEnd();   // an empty line holds no record
                    continue;
                }
                int startLine = _line;
                var fields = new List<string>();
                while (true)
                {
                    fields.Add(ReadField(fields.Count + 1));
                    if (_pos < text.Length && text[_pos] == separator)
                    {
                        _pos++;
                        continue;
                    }
                    SkipLineEnd();
                    break;
                }
                records.Add(new Record([.. fields], startLine));
            }
            return records;
        }

        private bool AtLineEnd() => text[_pos] is '\r' or '\n';

        private void SkipLineEnd()
        {
            if (_pos >= text.Length) return;
            if (text[_pos] == '\r' && _pos + 1 < text.Length && text[_pos + 1] == '\n') _pos++;
            _pos++;
            _line++;
        }

        /// <summary>Reads one field and stops at the separator, a line end or the end of the text.</summary>
        private string ReadField(int column)
        {
            _field.Clear();
            if (_pos < text.Length && text[_pos] == '"') return ReadQuotedField(column);
            while (_pos < text.Length && text[_pos] != separator && !AtLineEnd())
                _field.Append(text[_pos++]);
            return _field.ToString();
        }

        private string ReadQuotedField(int column)
        {
            int openedOnLine = _line;
            _pos++;   // the opening quote
            while (true)
            {
                if (_pos >= text.Length)
                    throw new CsvException(source, openedOnLine, column, null, "a quoted field is never closed (a \" is missing).");
                char c = text[_pos++];
                if (c == '"')
                {
                    if (_pos < text.Length && text[_pos] == '"')
                    {
                        _field.Append('"');   // "" inside quotes stands for one quote
                        _pos++;
                        continue;
                    }
                    break;
                }
                if (c == '\n' || (c == '\r' && (_pos >= text.Length || text[_pos] != '\n'))) _line++;
                _field.Append(c);
            }
            if (_pos < text.Length && text[_pos] != separator && !AtLineEnd())
                throw new CsvException(source, _line, column, null,
                    $"'{Escape(text[_pos])}' follows the closing quote of a quoted field; a separator '{Escape(separator)}' or a line end was expected there.");
            return _field.ToString();
        }
    }
}

/// <summary>
/// A mistake in a CSV file, or a request its table cannot answer. <see cref="Line"/> and
/// <see cref="Column"/> count from 1, as a text editor shows them; the message names all three.
/// </summary>
public sealed class CsvException : FormatException
{
    /// <summary>The file (or the name given to text read from memory).</summary>
    public string File { get; }

    /// <summary>The line of the file, or null when the problem is not on one line.</summary>
    public int? Line { get; }

    /// <summary>The column's position, or null when the problem is not in one column.</summary>
    public int? Column { get; }

    /// <summary>The column's name from the header, when there is one.</summary>
    public string? ColumnName { get; }

    /// <summary>An error in <paramref name="file"/> at a line and column (each known or not), its message saying where and what: "iris.csv, line 12, column 3 (petal_length): ...".</summary>
    public CsvException(string file, int? line, int? column, string? columnName, string problem)
        : base(Where(file, line, column, columnName) + ": " + problem)
    {
        File = file;
        Line = line;
        Column = column;
        ColumnName = columnName;
    }

    private static string Where(string file, int? line, int? column, string? columnName)
    {
        var where = new StringBuilder(file);
        if (line is not null) where.Append($", line {line}");
        if (column is not null) where.Append($", column {column}");
        if (columnName is not null) where.Append($" ('{columnName}')");
        return where.ToString();
    }
}
