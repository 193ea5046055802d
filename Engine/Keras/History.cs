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

    public IReadOnlyList<double> this[string key] => _values.TryGetValue(key, out var list)
        ? list
        : throw new KeyNotFoundException($"The history has no '{key}'; it has: {string.Join(", ", _values.Keys)}.");

    public IEnumerable<string> Keys => _values.Keys;

    public IEnumerable<IReadOnlyList<double>> Values => _values.Values;

    public int Count => _values.Count;

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyList<double> value)
    {
        bool found = _values.TryGetValue(key, out var list);
        value = list;
        return found;
    }

    public IEnumerator<KeyValuePair<string, IReadOnlyList<double>>> GetEnumerator() =>
        _values.Select(kv => new KeyValuePair<string, IReadOnlyList<double>>(kv.Key, kv.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
