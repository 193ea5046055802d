using System.Globalization;

namespace GraphDL.Keras;

/// <summary>
/// Lowers the learning rate when a figure stops improving (Keras's <c>keras.callbacks.ReduceLROnPlateau</c>):
/// <code>
/// var plateau = new ReduceLROnPlateau(monitor: "val_loss", factor: 0.2, patience: 5, minLr: 0.001);
/// model.Fit(x, y, epochs: 100, validationSplit: 0.2, callbacks: [plateau]);
/// </code>
/// Each epoch that does not beat the best so far by more than <see cref="MinDelta"/> adds one to <see cref="Wait"/>;
/// when it reaches <see cref="Patience"/> the rate is multiplied by <see cref="Factor"/>, never below
/// <see cref="MinLr"/>, and for the next <see cref="Cooldown"/> epochs no waiting is counted. The rate is the model's
/// <see cref="CompiledOptimizer.LearningRate"/>, so the model must be compiled with a rate given as a number. Each
/// epoch's logs get "lr", the rate it trained at.
/// </summary>
public sealed class ReduceLROnPlateau : Callback
{
    private readonly bool _maximise;

    /// <param name="monitor">The figure of Fit's logs to watch: val_loss, val_accuracy, loss, ...</param>
    /// <param name="factor">What the rate is multiplied by on a plateau; below 1.</param>
    /// <param name="patience">Epochs without improvement before the rate is lowered.</param>
    /// <param name="verbose">1 prints a line each time the rate is lowered.</param>
    /// <param name="mode">"min", "max", or "auto": max for accuracies (a name containing "acc"), min otherwise.</param>
    /// <param name="minDelta">How much better than the best a value must be to count as an improvement.</param>
    /// <param name="cooldown">Epochs after a reduction during which no waiting is counted.</param>
    /// <param name="minLr">The lowest rate a reduction goes to.</param>
    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, int verbose = 0,
        string mode = "auto", double minDelta = 1e-4, int cooldown = 0, double minLr = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (!(factor < 1 && factor >= 0))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "ReduceLROnPlateau does not support a factor ≥ 1 (or below 0): the rate must go down.");
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        ArgumentOutOfRangeException.ThrowIfNegative(minLr);
        _maximise = mode switch
        {
            "max" => true,
            "min" => false,
            "auto" => monitor.Contains("acc", StringComparison.Ordinal),
            _ => throw new ArgumentException($"mode must be \"auto\", \"min\" or \"max\", not \"{mode}\".", nameof(mode)),
        };
        (Monitor, Factor, Patience, Verbose, MinDelta, Cooldown, MinLr) = (monitor, factor, patience, verbose, minDelta, cooldown, minLr);
        Best = _maximise ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>The figure of Fit's logs that is watched.</summary>
    public string Monitor { get; }

    /// <summary>What the rate is multiplied by on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement before the rate is lowered.</summary>
    public int Patience { get; }

    /// <summary>1 prints a line each time the rate is lowered; 0 is quiet.</summary>
    public int Verbose { get; }

    /// <summary>The least change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Epochs after a reduction during which no waiting is counted.</summary>
    public int Cooldown { get; }

    /// <summary>The lowest rate a reduction goes to.</summary>
    public double MinLr { get; }

    /// <summary>The best value of <see cref="Monitor"/> in this Fit.</summary>
    public double Best { get; private set; }

    /// <summary>Epochs since the last improvement or reduction (Keras's <c>wait</c>).</summary>
    public int Wait { get; private set; }

    /// <summary>Cooldown epochs still to go (Keras's <c>cooldown_counter</c>).</summary>
    public int CooldownCounter { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        // Each Fit starts afresh, as in Keras.
        Best = _maximise ? double.NegativeInfinity : double.PositiveInfinity;
        Wait = 0;
        CooldownCounter = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var optimizer = (Model ?? throw new InvalidOperationException("ReduceLROnPlateau runs inside Model.Fit, which gives it the model.")).Optimizer;
        double rate = optimizer.LearningRate;
        if (!logs.TryGetValue(Monitor, out double current))
            throw new InvalidOperationException($"ReduceLROnPlateau monitors '{Monitor}', but the epoch's logs have only {string.Join(", ", logs.Keys)}"
                + (Monitor.StartsWith("val_", StringComparison.Ordinal) ? "; give Fit validationData or a validationSplit." : "."));
        AddToLogs(logs, "lr", rate);
        // As Keras: a cooldown epoch counts down and holds the waiting at zero, but an improvement still sets the best;
        // the epoch that ends the cooldown already counts towards the patience.
        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            Wait = 0;
        }
        if (IsImprovement(current))
        {
            Best = current;
            Wait = 0;
            return;
        }
        if (CooldownCounter > 0 || ++Wait < Patience) return;
        // The rate variable is Float32, so compare in Float32: a rate already at minLr is not reduced again.
        if ((float)rate > (float)MinLr)
        {
            double lowered = Math.Max(rate * Factor, MinLr);
            optimizer.LearningRate = lowered;
            if (Verbose > 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nEpoch {epoch + 1:D5}: ReduceLROnPlateau reducing learning rate to {lowered}."));
            CooldownCounter = Cooldown;
            Wait = 0;
        }
    }

    // NaN compares false either way, so a diverged epoch never counts as better.
    private bool IsImprovement(double value) => _maximise ? value > Best + MinDelta : value < Best - MinDelta;
}
