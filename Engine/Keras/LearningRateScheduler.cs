using System.Globalization;

namespace GraphDL.Keras;

/// <summary>
/// Sets the learning rate at the start of each epoch from a function of the epoch and the current rate (Keras's
/// <c>keras.callbacks.LearningRateScheduler</c>):
/// <code>
/// var halve = new LearningRateScheduler((epoch, lr) => epoch &lt; 10 ? lr : lr * 0.5);
/// model.Fit(x, y, epochs: 20, callbacks: [halve]);
/// </code>
/// The epoch is Fit's own number, from <c>initialEpoch</c> on. The rate is the model's <see cref="CompiledOptimizer.LearningRate"/>,
/// so the model must be compiled with a rate given as a number. Each epoch's logs get "lr", the rate it trained at.
/// </summary>
/// <param name="schedule">(epoch from 0, current rate) → the rate for that epoch.</param>
/// <param name="verbose">1 prints the rate set at each epoch.</param>
public sealed class LearningRateScheduler(Func<int, double, double> schedule, int verbose = 0) : Callback
{
    private readonly Func<int, double, double> _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <summary>A schedule of the epoch alone, as Keras also accepts: <c>new LearningRateScheduler(epoch => 0.1 / (epoch + 1))</c>.</summary>
    /// <param name="schedule">epoch from 0 → the rate for that epoch.</param>
    /// <param name="verbose">1 prints the rate set at each epoch.</param>
    public LearningRateScheduler(Func<int, double> schedule, int verbose = 0)
        : this(schedule is null ? throw new ArgumentNullException(nameof(schedule)) : (epoch, _) => schedule(epoch), verbose) { }

    /// <summary>1 prints the rate set at each epoch; 0 is quiet.</summary>
    public int Verbose { get; } = verbose;

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch)
    {
        var optimizer = CompiledOptimizer();
        double rate = _schedule(epoch, optimizer.LearningRate);
        if (!double.IsFinite(rate))
            throw new InvalidOperationException($"LearningRateScheduler's schedule returned {rate} for epoch {epoch}; a learning rate must be a finite number.");
        optimizer.LearningRate = rate;
        if (Verbose > 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nEpoch {epoch + 1:D5}: LearningRateScheduler setting learning rate to {rate}."));
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) =>
        AddToLogs(logs, "lr", CompiledOptimizer().LearningRate);

    private CompiledOptimizer CompiledOptimizer() =>
        (Model ?? throw new InvalidOperationException("LearningRateScheduler runs inside Model.Fit, which gives it the model.")).Optimizer;
}
