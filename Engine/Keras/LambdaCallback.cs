namespace GraphDL.Keras;

/// <summary>
/// A callback made of delegates, for one-off hooks without a class (Keras's <c>keras.callbacks.LambdaCallback</c>):
/// <code>
/// var log = new LambdaCallback(onEpochEnd: (epoch, logs) => Console.WriteLine($"{epoch}: {logs["loss"]}"));
/// model.Fit(x, y, epochs: 5, callbacks: [log]);
/// </code>
/// A delegate left null does nothing at its moment. Its <see cref="Callback.Model"/> is the model being trained.
/// </summary>
/// <param name="onEpochBegin">Called before each epoch with its number (from 0).</param>
/// <param name="onEpochEnd">Called after each epoch with its number and figures.</param>
/// <param name="onTrainBegin">Called once before the first epoch.</param>
/// <param name="onTrainEnd">Called once after the last epoch.</param>
public sealed class LambdaCallback(
    Action<int>? onEpochBegin = null,
    Action<int, IReadOnlyDictionary<string, double>>? onEpochEnd = null,
    Action? onTrainBegin = null,
    Action? onTrainEnd = null) : Callback
{
    /// <inheritdoc/>
    public override void OnTrainBegin() => onTrainBegin?.Invoke();

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch) => onEpochBegin?.Invoke(epoch);

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => onEpochEnd?.Invoke(epoch, logs);

    /// <inheritdoc/>
    public override void OnTrainEnd() => onTrainEnd?.Invoke();
}
