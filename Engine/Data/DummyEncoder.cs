namespace GraphDL.Data;

/// <summary>What <see cref="DummyEncoder.Transform"/> does with a category that <see cref="DummyEncoder.Fit"/> never saw.</summary>
public enum UnseenCategory
{
    /// <summary>A <see cref="CsvException"/> naming the row, the column and the category (sklearn OneHotEncoder's <c>handle_unknown='error'</c>).</summary>
    Error,
    /// <summary>The row gets 0 in every dummy column of that column (sklearn OneHotEncoder's <c>handle_unknown='ignore'</c>).</summary>
    AllZero,
}

/// <summary>
/// pandas' <c>pd.get_dummies(df, columns=[...], drop_first=...)</c> for the text columns of a
/// <see cref="CsvTable"/>, split into a fit on the training rows and a transform for any rows, so that the
/// test rows get exactly the training rows' columns. Each named column is replaced by one 0/1 column per
/// category, named <c>&lt;column&gt;_&lt;category&gt;</c>, categories in sorted (ordinal) order; the other
/// columns keep their order in front and the dummy columns follow, as pandas lays them out. An empty cell is
/// pandas' NaN: no category, a row of zeros.
/// </summary>
/// <param name="dropFirst">pandas' <c>drop_first</c>: leave out each column's first category, which the zeros of the others imply.</param>
/// <param name="unseen">What a category that <see cref="Fit"/> never saw becomes in <see cref="Transform"/>.</param>
public sealed class DummyEncoder(bool dropFirst = false, UnseenCategory unseen = UnseenCategory.Error)
{
    private string[]? _columns;
    private readonly Dictionary<string, string[]> _categories = [];

    /// <summary>pandas' <c>drop_first</c>.</summary>
    public bool DropFirst { get; } = dropFirst;

    /// <summary>What an unseen category becomes.</summary>
    public UnseenCategory Unseen { get; } = unseen;

    /// <summary>The categories <see cref="Fit"/> found in <paramref name="column"/>, sorted, the dropped first one included.</summary>
    public IReadOnlyList<string> Categories(string column) => _categories.TryGetValue(column, out var found) ? found
        : throw new ArgumentException($"'{column}' is not one of the columns this encoder was fitted on ({string.Join(", ", (_columns ?? []).Select(c => $"'{c}'"))}).", nameof(column));

    /// <summary>
    /// Learns each named column's categories from the training rows; returns this encoder.
    /// With no columns named, every column that is not all numbers is encoded, as pandas picks its object columns.
    /// </summary>
    public DummyEncoder Fit(CsvTable train, params string[] columns)
    {
        string[] chosen = columns.Length > 0 ? columns : [.. train.Header.Where(name => !IsNumeric(train.Column(name)))];
        if (chosen.Distinct().Count() != chosen.Length)
            throw new ArgumentException($"A column is named twice: {string.Join(", ", chosen)}.", nameof(columns));
        // Read every column before changing anything, so a wrong name leaves an earlier fit as it was.
        var categories = chosen.ToDictionary(name => name,
            name => (string[])[.. train.Column(name).Where(v => v.Length > 0).Distinct().Order(StringComparer.Ordinal)]);
        _categories.Clear();
        foreach (var (name, found) in categories) _categories[name] = found;
        _columns = chosen;
        return this;
    }

    /// <summary>
    /// A new table: the columns not encoded, then the dummy columns of each encoded column in the order
    /// given to <see cref="Fit"/>, each cell "0" or "1"; <see cref="CsvTable.ToTensor()"/> turns it into features.
    /// </summary>
    public CsvTable Transform(CsvTable table)
    {
        if (_columns is null) throw new InvalidOperationException("This DummyEncoder is not fitted yet: call Fit on the training rows first.");
        int[] encoded = [.. _columns.Select(table.IndexOf)];
        int[] kept = [.. Enumerable.Range(0, table.ColumnCount).Where(c => !encoded.Contains(c))];
        var header = kept.Select(c => table.Header[c]).Concat(_columns.SelectMany(DummyNames)).ToArray();
        var rows = new List<string[]>(table.RowCount);
        var lines = new List<int>(table.RowCount);
        for (int r = 0; r < table.RowCount; r++)
        {
            var source = table.Rows[r];
            var row = new List<string>(header.Length);
            row.AddRange(kept.Select(c => source[c]));
            for (int k = 0; k < _columns.Length; k++)
            {
                string value = source[encoded[k]];
                string[] categories = _categories[_columns[k]];
                if (value.Length > 0 && Array.BinarySearch(categories, value, StringComparer.Ordinal) < 0 && Unseen == UnseenCategory.Error)
                    throw new CsvException(table.Source, table.LineOf(r), encoded[k] + 1, _columns[k],
                        $"the category '{value}' was not in the rows the encoder was fitted on (it knows {string.Join(", ", categories.Select(c => $"'{c}'"))}); fit on rows that hold it, or choose UnseenCategory.AllZero.");
                row.AddRange(categories.Skip(DropFirst ? 1 : 0).Select(c => c == value ? "1" : "0"));
            }
            rows.Add([.. row]);
            lines.Add(table.LineOf(r));
        }
        return new CsvTable(table.Source, header, rows, lines, table.HeaderLine);
    }

    /// <summary><see cref="Fit"/> then <see cref="Transform"/> on the same rows.</summary>
    public CsvTable FitTransform(CsvTable train, params string[] columns) => Fit(train, columns).Transform(train);

    /// <summary>The names of the dummy columns <see cref="Transform"/> makes, in order (pandas' <c>&lt;column&gt;_&lt;category&gt;</c>).</summary>
    public IReadOnlyList<string> DummyColumns => [.. (_columns ?? []).SelectMany(DummyNames)];

    /// <summary>pandas' <c>pd.get_dummies(df, columns=columns, drop_first=dropFirst)</c> in one go, on one table.</summary>
    public static CsvTable GetDummies(CsvTable table, bool dropFirst = false, params string[] columns) =>
        new DummyEncoder(dropFirst).FitTransform(table, columns);

    private IEnumerable<string> DummyNames(string column) => _categories[column].Skip(DropFirst ? 1 : 0).Select(c => $"{column}_{c}");

    private static bool IsNumeric(string[] values) =>
        values.All(v => v.Length == 0 || double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _));
}
