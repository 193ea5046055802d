namespace GraphDL.Keras;

/// <summary>
/// Hooks into <see cref="Model.Fit"/> (Keras's <c>keras.callbacks.Callback</c>): override the moments you need.
/// Fit sets <see cref="Model"/> before <see cref="OnTrainBegin"/> and calls the callbacks in the order given.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained; null until a Fit starts.</summary>
    public Model? Model { get; internal set; }

    /// <summary>Once, before the first epoch of a Fit.</summary>
    public virtual void OnTrainBegin() { }

    /// <summary>Before epoch <paramref name="epoch"/> (from 0).</summary>
    public virtual void OnEpochBegin(int epoch) { }

    /// <summary>After epoch <paramref name="epoch"/> (from 0), with its figures: loss and metrics, and val_ ones with validation data.</summary>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>Once, after the last epoch of a Fit.</summary>
    public virtual void OnTrainEnd() { }

    /// <summary>
    /// Adds a figure to an epoch's logs, as Keras's callbacks write <c>logs["lr"]</c>: Fit hands every callback the same
    /// writable dictionary and records the History after them all, so the callbacks later in the list, a
    /// <see cref="CsvLogger"/> among them, and the History see it.
    /// </summary>
    protected static void AddToLogs(IReadOnlyDictionary<string, double> logs, string key, double value)
    {
        if (logs is not IDictionary<string, double> { IsReadOnly: false } writable)
            throw new ArgumentException($"These logs are read-only, so '{key}' cannot be added to them; Fit passes writable ones.", nameof(logs));
        writable[key] = value;
    }
}
