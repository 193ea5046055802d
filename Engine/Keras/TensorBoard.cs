using GraphDL.Summaries;

namespace GraphDL.Keras;

/// <summary>
/// Logs a Fit for the board (Keras's <c>keras.callbacks.TensorBoard</c>), into two runs as Keras does:
/// <c>logDir/train</c> gets the model's graph once, each epoch's training figures as scalars tagged "epoch_" + name
/// ("epoch_loss", "epoch_accuracy"), and, every <see cref="HistogramFreq"/> epochs, a histogram of every weight;
/// <c>logDir/validation</c> gets the val_ figures under the same tags, so the board draws training and validation
/// on one chart. The step is the epoch, from 0. Each event is on disk once its epoch ends.
/// </summary>
public sealed class TensorBoard : Callback
{
    private FileWriter? _train, _validation;

    /// <param name="logDir">The folder of the two runs; created if need be.</param>
    /// <param name="histogramFreq">Log the weights' histograms every this many epochs; 0, the default, never.</param>
    /// <param name="writeGraph">Write the model's graph into the train run.</param>
    public TensorBoard(string logDir = "logs", int histogramFreq = 0, bool writeGraph = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logDir);
        ArgumentOutOfRangeException.ThrowIfNegative(histogramFreq);
        LogDir = logDir;
        HistogramFreq = histogramFreq;
        WriteGraph = writeGraph;
    }

    /// <summary>The folder holding the train and validation runs.</summary>
    public string LogDir { get; }

    /// <summary>How often, in epochs, the weights' histograms are logged; 0 for never.</summary>
    public int HistogramFreq { get; }

    /// <summary>Whether the model's graph is written into the train run.</summary>
    public bool WriteGraph { get; }

    /// <summary>The training run's folder.</summary>
    public string TrainDir => Path.Combine(LogDir, "train");

    /// <summary>The validation run's folder.</summary>
    public string ValidationDir => Path.Combine(LogDir, "validation");

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        var model = Model ?? throw new InvalidOperationException("The TensorBoard callback runs inside Fit, which sets its model.");
        CloseWriters();
        _train = new FileWriter(TrainDir);
        if (WriteGraph) _train.AddGraph(model.Graph);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var train = _train ?? throw new InvalidOperationException("OnEpochEnd came before OnTrainBegin.");
        foreach (var (name, value) in logs.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (name.StartsWith("val_", StringComparison.Ordinal))
                (_validation ??= new FileWriter(ValidationDir)).AddScalar("epoch_" + name["val_".Length..], value, epoch);
            else train.AddScalar("epoch_" + name, value, epoch);
        }
        if (HistogramFreq > 0 && epoch % HistogramFreq == 0 && Model is { } model)
            foreach (var weight in model.Weights)
                train.AddHistogram(weight.Name, model.Session.GetValue(weight), epoch);
    }

    /// <inheritdoc/>
    public override void OnTrainEnd() => CloseWriters();

    private void CloseWriters()
    {
        _train?.Dispose();
        _validation?.Dispose();
        (_train, _validation) = (null, null);
    }
}
