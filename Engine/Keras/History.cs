using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace GraphDL.Keras;

/// <summary>
/// What <see cref="Model.Fit"/> returns (Keras's <c>History</c>): one value per epoch for each of loss, the metrics
/// and, with validation data, val_loss and the val_ metrics. It is the dictionary the plots take:
/// <c>TrainingCurves.Save(history.AsDictionary(), "curves.png")</c> (curves.png and curves.svg).
/// </summary>
public sealed class History : IReadOnlyDictionary<string, IReadOnlyList<double>>
{
    private readonly Dictionary<string, List<double>> _values = new(StringComparer.Ordinal);
    private readonly List<int> _epochs = [];

    /// <summary>The epochs recorded, from 0 (Keras's <c>history.epoch</c>).</summary>
    public IReadOnlyList<int> Epochs => _epochs;

    /// <summary>The series as a read-only dictionary: "loss" → [one value per epoch], ...</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> AsDictionary() => this;

    /// <summary>The last epoch's value of <paramref name="key"/>.</summary>
    public double Last(string key) => this[key][^1];

    internal void Record(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        _epochs.Add(epoch);
        foreach (var (key, value) in logs)
        {
            if (!_values.TryGetValue(key, out var list)) _values[key] = list = [];
            list.Add(value);
        }
    }

    /// <summary>The per-epoch values of one figure ("loss", "val_accuracy", ...); an unknown name is an error that lists the known ones.</summary>
    public IReadOnlyList<double> this[string key] => _values.TryGetValue(key, out var list)
        ? list
        : throw new KeyNotFoundException($"The history has no '{key}'; it has: {string.Join(", ", _values.Keys)}.");

    /// <summary>The figures recorded: loss, the metrics, and their val_ twins with validation data.</summary>
    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>The per-epoch values of each figure, in the order of <see cref="Keys"/>.</summary>
    public IEnumerable<IReadOnlyList<double>> Values => _values.Values;

    /// <summary>How many figures were recorded (not how many epochs).</summary>
    public int Count => _values.Count;

    /// <summary>Whether a figure of that name was recorded.</summary>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <summary>The per-epoch values of a figure, if it was recorded.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyList<double> value)
    {
        bool found = _values.TryGetValue(key, out var list);
        value = list;
        return found;
    }

    /// <summary>Each figure with its per-epoch values, in the order Fit first reported them.</summary>
    public IEnumerator<KeyValuePair<string, IReadOnlyList<double>>> GetEnumerator() =>
        _values.Select(kv => new KeyValuePair<string, IReadOnlyList<double>>(kv.Key, kv.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
