using System.Globalization;

namespace GraphDL.Data;

/// <summary>
/// The rows of a CSV file as text, with ways to take columns out of it as numbers, as a float32 tensor
/// for a placeholder, or as class indices for labels. Read one with <see cref="Csv.Read"/>.
/// Columns are named by the header; a file without one is read by column position (0, 1, ...).
/// </summary>
public sealed class CsvTable
{
    private readonly string[][] _rows;
    private readonly int[] _lines;
    private readonly int? _headerLine;
    private readonly string[] _header;

    internal CsvTable(string source, string[] header, List<string[]> rows, List<int> lines, int? headerLine)
    {
        Source = source;
        _header = header;
        _rows = [.. rows];
        _lines = [.. lines];
        _headerLine = headerLine;
        ColumnCount = header.Length > 0 ? header.Length : rows.Count > 0 ? rows[0].Length : 0;
    }

    /// <summary>The file the table was read from, as errors name it.</summary>
    public string Source { get; }

    /// <summary>The column names of the header row; empty when the file has none.</summary>
    public IReadOnlyList<string> Header => _header;

    /// <summary>Whether the first row of the file named the columns.</summary>
    public bool HasHeader => _headerLine is not null;

    /// <summary>The data rows (the header not included), each with <see cref="ColumnCount"/> fields.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    /// <summary>The number of data rows, the header not counted.</summary>
    public int RowCount => _rows.Length;

    /// <summary>The number of fields in every row (the header's, when there is one).</summary>
    public int ColumnCount { get; }

    /// <summary>The line of the file the header row is on, for tables derived from this one (DummyEncoder's).</summary>
    internal int? HeaderLine => _headerLine;

    /// <summary>The line of the file that data row <paramref name="row"/> starts on (1-based, as errors count).</summary>
    public int LineOf(int row) => _lines[row];

    /// <summary>The position of the column named <paramref name="name"/>.</summary>
    public int IndexOf(string name)
    {
        if (!HasHeader)
            throw new CsvException(Source, null, null, name, "the file was read without a header row, so its columns have no names; ask for a column by its position instead.");
        int found = -1;
        for (int i = 0; i < _header.Length; i++)
        {
            if (_header[i] != name) continue;
            if (found >= 0)
                throw new CsvException(Source, _headerLine, i + 1, name, $"two columns are named '{name}' (columns {found + 1} and {i + 1}); ask for one by its position instead.");
            found = i;
        }
        if (found < 0)
        {
            string similar = _header.FirstOrDefault(h => string.Equals(h.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase)) is { } near
                ? $" Did you mean '{near}'?" : "";
            throw new CsvException(Source, _headerLine, null, null,
                $"there is no column named '{name}'; the header names {string.Join(", ", _header.Select(h => $"'{h}'"))}.{similar}");
        }
        return found;
    }

    /// <summary>The text of every row in the column named <paramref name="name"/>.</summary>
    public string[] Column(string name) => Column(IndexOf(name));

    /// <summary>The text of every row in column <paramref name="index"/> (0-based).</summary>
    public string[] Column(int index)
    {
        CheckIndex(index);
        var values = new string[_rows.Length];
        for (int r = 0; r < _rows.Length; r++) values[r] = _rows[r][index];
        return values;
    }

    /// <summary>The column named <paramref name="name"/> as numbers; a cell that is not one is an error naming its line.</summary>
    public double[] Numbers(string name) => Numbers(IndexOf(name));

    /// <summary>Column <paramref name="index"/> (0-based) as numbers.</summary>
    public double[] Numbers(int index)
    {
        CheckIndex(index);
        var values = new double[_rows.Length];
        for (int r = 0; r < _rows.Length; r++) values[r] = Number(r, index);
        return values;
    }

    /// <summary>Every column as a float32 tensor of shape (rows, columns).</summary>
    public Tensor ToTensor() => ColumnCount > 0
        ? ToTensor(Enumerable.Range(0, ColumnCount).ToArray())
        : throw new CsvException(Source, null, null, null, "the file has no columns to put in a tensor.");

    /// <summary>
    /// The named columns, in the order given, as a float32 tensor of shape (rows, columns): what a
    /// placeholder such as <c>x:[None, 4]</c> is fed. Each cell is read as a double and then rounded to
    /// float32, which is what feeding a float64 numpy array into a float32 placeholder does.
    /// </summary>
    public Tensor ToTensor(params string[] columns) => ToTensor(columns.Select(IndexOf).ToArray());

    /// <summary>The columns at the given positions (0-based) as a float32 tensor of shape (rows, columns).</summary>
    public Tensor ToTensor(params int[] columns)
    {
        if (columns.Length == 0) throw new ArgumentException("Name at least one column to put in the tensor.", nameof(columns));
        foreach (int c in columns) CheckIndex(c);
        var data = new float[_rows.Length * columns.Length];
        for (int r = 0; r < _rows.Length; r++)
            for (int c = 0; c < columns.Length; c++)
                data[r * columns.Length + c] = (float)Number(r, columns[c]);
        return Tensor.FromFlat(data, new Shape(_rows.Length, columns.Length));
    }

    /// <summary>
    /// The column named <paramref name="name"/> as class indices: each distinct text is one class.
    /// With no <paramref name="order"/> the classes are numbered in the order they first appear
    /// (setosa 0, versicolor 1, virginica 2 for the Iris file); with an order, that order, and a cell
    /// naming a class outside it is an error naming its line.
    /// </summary>
    public CsvClasses Classes(string name, params string[] order) => Classes(IndexOf(name), order);

    /// <summary>Column <paramref name="index"/> (0-based) as class indices; see <see cref="Classes(string, string[])"/>.</summary>
    public CsvClasses Classes(int index, params string[] order)
    {
        CheckIndex(index);
        var names = new List<string>(order);
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < order.Length; i++)
        {
            if (!numbers.TryAdd(order[i], i))
                throw new ArgumentException($"The class '{order[i]}' is given twice in the order.", nameof(order));
        }
        var labels = new int[_rows.Length];
        for (int r = 0; r < _rows.Length; r++)
        {
            string text = _rows[r][index];
            if (!numbers.TryGetValue(text, out int label))
            {
                if (order.Length > 0)
                    throw Error(r, index, $"'{text}' is not one of the classes given: {string.Join(", ", order.Select(o => $"'{o}'"))}.");
                label = names.Count;
                names.Add(text);
                numbers.Add(text, label);
            }
            labels[r] = label;
        }
        return new CsvClasses(labels, names);
    }

    private double Number(int row, int column)
    {
        string text = _rows[row][column];
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) return value;
        throw Error(row, column, text.Trim().Length == 0 ? "the cell is empty, but a number was asked for." : $"'{text}' is not a number.");
    }

    private CsvException Error(int row, int column, string problem) =>
        new(Source, _lines[row], column + 1, HasHeader ? _header[column] : null, problem);

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)ColumnCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{Source} has {ColumnCount} columns, numbered 0 to {ColumnCount - 1}.");
    }
}

/// <summary>A text column turned into class indices: <see cref="Labels"/>[row] indexes <see cref="Names"/>.</summary>
public sealed class CsvClasses(int[] labels, IReadOnlyList<string> names)
{
    /// <summary>Each row's class index.</summary>
    public int[] Labels { get; } = labels;

    /// <summary>The class names, by index.</summary>
    public IReadOnlyList<string> Names { get; } = names;

    /// <summary>How many classes there are.</summary>
    public int Count => Names.Count;

    /// <summary>The labels one-hot encoded: a float32 tensor of shape (rows, classes), as the slides' <c>get_one_hot</c>.</summary>
    public Tensor OneHot() => OneHotEncoding.Encode(Labels, Count);
}
