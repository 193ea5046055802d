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
}
