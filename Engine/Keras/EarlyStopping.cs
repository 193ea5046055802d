using System.Globalization;

namespace GraphDL.Keras;

/// <summary>
/// Ends Fit once the monitored figure has stopped improving (Keras's <c>keras.callbacks.EarlyStopping</c>):
/// <code>
/// var early = new EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true);
/// model.Fit(x, y, epochs: 100, validationSplit: 0.2, callbacks: [early]);
/// </code>
/// Each epoch without an improvement of more than <see cref="MinDelta"/> over the best so far adds one to
/// <see cref="Wait"/>; when it reaches <see cref="Patience"/> the callback sets <see cref="Model.StopTraining"/>, so
/// the epoch that ran out of patience is the last. With <see cref="RestoreBestWeights"/> the model ends the Fit with
/// the weights of its best epoch, whether or not it stopped early (as Keras 3 does).
/// </summary>
public sealed class EarlyStopping : Callback
{
    private readonly bool _maximise;
    private Tensor[]? _bestWeights;

    /// <param name="monitor">The figure of Fit's logs to watch: val_loss, val_accuracy, loss, ...</param>
    /// <param name="minDelta">How much better than the best a value must be to count as an improvement.</param>
    /// <param name="patience">Epochs without improvement to wait before stopping; 0 stops at the first.</param>
    /// <param name="mode">"min", "max", or "auto": max for accuracies (a name containing "acc"), min otherwise.</param>
    /// <param name="baseline">A value to beat: until the monitored figure does, epochs count as without improvement.</param>
    /// <param name="restoreBestWeights">End the Fit with the weights of the best epoch rather than the last.</param>
    /// <param name="verbose">1 prints a line when it stops and when it restores.</param>
    public EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, string mode = "auto",
        double? baseline = null, bool restoreBestWeights = false, int verbose = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        _maximise = mode switch
        {
            "max" => true,
            "min" => false,
            "auto" => monitor.Contains("acc", StringComparison.Ordinal),
            _ => throw new ArgumentException($"mode must be \"auto\", \"min\" or \"max\", not \"{mode}\".", nameof(mode)),
        };
        Monitor = monitor;
        // Keras keeps the delta's size and turns its sign with the direction.
        MinDelta = Math.Abs(minDelta);
        Patience = patience;
        Baseline = baseline;
        RestoreBestWeights = restoreBestWeights;
        Verbose = verbose;
        Best = _maximise ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>The figure of Fit's logs that is watched.</summary>
    public string Monitor { get; }

    /// <summary>The least change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Epochs without improvement to wait before stopping.</summary>
    public int Patience { get; }

    /// <summary>The value the monitored figure must beat before the waiting restarts; null for none.</summary>
    public double? Baseline { get; }

    /// <summary>Whether the Fit ends with the best epoch's weights.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>1 prints a line when it stops and when it restores; 0 is quiet.</summary>
    public int Verbose { get; }

    /// <summary>The best value of <see cref="Monitor"/> in this Fit (Keras's <c>best</c>).</summary>
    public double Best { get; private set; }

    /// <summary>The epoch (from 0) of <see cref="Best"/>.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Epochs since the last improvement (Keras's <c>wait</c>).</summary>
    public int Wait { get; private set; }

    /// <summary>The epoch (from 0) at which it stopped the Fit; null when the Fit ran to the end.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        // Each Fit starts afresh, as in Keras.
        Wait = 0;
        StoppedEpoch = null;
        BestEpoch = 0;
        Best = _maximise ? double.NegativeInfinity : double.PositiveInfinity;
        _bestWeights = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var model = Model ?? throw new InvalidOperationException("EarlyStopping runs inside Model.Fit, which gives it the model.");
        if (!logs.TryGetValue(Monitor, out double current))
            throw new InvalidOperationException($"EarlyStopping monitors '{Monitor}', but the epoch's logs have only {string.Join(", ", logs.Keys)}"
                + (Monitor.StartsWith("val_", StringComparison.Ordinal) ? "; give Fit validationData or a validationSplit." : "."));
        // Until something improves, the first epoch's weights are the best there is.
        if (RestoreBestWeights && _bestWeights is null)
        {
            _bestWeights = model.GetWeights();
            BestEpoch = epoch;
        }
        Wait++;
        if (IsImprovement(current, Best))
        {
            Best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights) _bestWeights = model.GetWeights();
            // The waiting restarts only once the baseline is beaten too.
            if (Baseline is not { } baseline || IsImprovement(current, baseline))
            {
                Wait = 0;
                return;
            }
        }
        if (Wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            model.StopTraining = true;
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd()
    {
        if (StoppedEpoch is { } stopped && Verbose > 0) Console.WriteLine($"Epoch {stopped + 1}: early stopping");
        if (_bestWeights is null) return;
        if (Verbose > 0) Console.WriteLine($"Restoring model weights from the end of the best epoch: {(BestEpoch + 1).ToString(CultureInfo.InvariantCulture)}.");
        Model!.SetWeights(_bestWeights);
    }

    // NaN compares false either way, so a diverged epoch never counts as better.
    private bool IsImprovement(double value, double reference) =>
        _maximise ? value - MinDelta > reference : value + MinDelta < reference;
}
