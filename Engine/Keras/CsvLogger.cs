using System.Globalization;

namespace GraphDL.Keras;

/// <summary>
/// Writes each epoch's figures to a CSV file as Fit goes (Keras's <c>keras.callbacks.CSVLogger</c>): a header
/// "epoch" and then the figures' names in sorted order (accuracy,loss,val_accuracy,val_loss), then one row per
/// epoch, numbered from 0, the values in their shortest round-trip form. Each row is on disk once its epoch ends, so
/// an interrupted run keeps the epochs it finished.
/// </summary>
public sealed class CsvLogger : Callback
{
    private string[]? _keys;
    private bool _writeHeader;

    /// <param name="filename">The file to write; its folder is created if need be.</param>
    /// <param name="separator">Between fields.</param>
    /// <param name="append">Add to an existing file (without a second header) rather than overwrite it.</param>
    public CsvLogger(string filename, string separator = ",", bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(filename);
        ArgumentException.ThrowIfNullOrEmpty(separator);
        FileName = filename;
        Separator = separator;
        Append = append;
    }

    /// <summary>The file written.</summary>
    public string FileName { get; }

    /// <summary>The text between fields.</summary>
    public string Separator { get; }

    /// <summary>Whether a Fit adds to the file rather than overwriting it.</summary>
    public bool Append { get; }

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(FileName));
        if (folder is not null) Directory.CreateDirectory(folder);
        bool hasRows = File.Exists(FileName) && new FileInfo(FileName).Length > 0;
        _writeHeader = !(Append && hasRows);
        if (!Append) File.WriteAllText(FileName, "");
        _keys = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        // The first epoch fixes the columns; a figure missing later is written as NA, as Keras does.
        _keys ??= [.. logs.Keys.Order(StringComparer.Ordinal)];
        var lines = new List<string>(2);
        if (_writeHeader)
        {
            lines.Add(string.Join(Separator, ["epoch", .. _keys]));
            _writeHeader = false;
        }
        lines.Add(string.Join(Separator, [epoch.ToString(CultureInfo.InvariantCulture),
            .. _keys.Select(k => logs.TryGetValue(k, out double v) ? v.ToString("R", CultureInfo.InvariantCulture) : "NA")]));
        File.AppendAllLines(FileName, lines);
    }
}
