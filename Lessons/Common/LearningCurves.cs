using System.Diagnostics;
using GraphDL.Plots;
using GraphDL.Summaries;

namespace GraphDL.Lessons;

/// <summary>
/// The learning curves of a training loop that checks itself on held-out images every few steps: each
/// point pairs the mean loss and accuracy of the training batches since the previous point with one
/// evaluation on the held-out set. It keeps the bookkeeping out of the lesson's loop, and it times the
/// evaluations so that the training time it reports is the loop's own. Given two board runs (<see cref="LogTo"/>), it
/// logs every step's batch loss and accuracy to one and each held-out evaluation to the other, under the same tags.
/// </summary>
/// <param name="steps">How many steps the loop runs; the last one always gets a point.</param>
/// <param name="every">Steps between points (step 0 gets one too).</param>
/// <param name="evaluate">The held-out loss and accuracy of the model as it stands.</param>
public sealed class LearningCurves(int steps, int every, Func<(double Loss, double Accuracy)> evaluate)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<double> _steps = [];
    private readonly List<double> _trainLoss = [];
    private readonly List<double> _trainAccuracy = [];
    private readonly List<double> _heldOutLoss = [];
    private readonly List<double> _heldOutAccuracy = [];
    private double _windowLoss, _windowAccuracy;
    private int _windowSteps;
    private TimeSpan _evaluating;
    private FileWriter? _trainingRun, _heldOutRun;

    /// <summary>The loss of the first training batch, before any update had an effect.</summary>
    public float FirstLoss { get; private set; } = float.NaN;

    /// <summary>Seconds since the curves were started, less the time spent evaluating.</summary>
    public double TrainingSeconds => (_clock.Elapsed - _evaluating).TotalSeconds;

    /// <summary>
    /// Logs what <see cref="Add"/> records for the board: each step's batch "loss" and "accuracy" to
    /// <paramref name="training"/>, the held-out set's at every point to <paramref name="heldOut"/>.
    /// </summary>
    public LearningCurves LogTo(FileWriter training, FileWriter heldOut)
    {
        (_trainingRun, _heldOutRun) = (training, heldOut);
        return this;
    }

    /// <summary>
    /// Records training step <paramref name="step"/>'s batch loss and accuracy. On a step that gets a point
    /// it evaluates the held-out set and returns that loss and accuracy, for the lesson to print; otherwise null.
    /// </summary>
    public (double Loss, double Accuracy)? Add(int step, float loss, float accuracy)
    {
        if (step == 0) FirstLoss = loss;
        _windowLoss += loss;
        _windowAccuracy += accuracy;
        _windowSteps++;
        _trainingRun?.AddScalar("loss", loss, step);
        _trainingRun?.AddScalar("accuracy", accuracy, step);
        if (step % every != 0 && step != steps - 1) return null;

        long started = Stopwatch.GetTimestamp();
        var heldOut = evaluate();
        _evaluating += Stopwatch.GetElapsedTime(started);
        _steps.Add(step);
        _trainLoss.Add(_windowLoss / _windowSteps);
        _trainAccuracy.Add(_windowAccuracy / _windowSteps);
        _heldOutLoss.Add(heldOut.Loss);
        _heldOutAccuracy.Add(heldOut.Accuracy);
        _heldOutRun?.AddScalar("loss", heldOut.Loss, step);
        _heldOutRun?.AddScalar("accuracy", heldOut.Accuracy, step);
        (_windowLoss, _windowAccuracy, _windowSteps) = (0, 0, 0);
        return heldOut;
    }

    /// <summary>Loss and accuracy panels, training batches against the held-out set named <paramref name="heldOutName"/>.</summary>
    public Multiplot Plot(string heldOutName)
    {
        var history = new Dictionary<string, IReadOnlyList<double>>
        {
            ["loss"] = _trainLoss, ["val_loss"] = _heldOutLoss, ["accuracy"] = _trainAccuracy, ["val_accuracy"] = _heldOutAccuracy,
        };
        return TrainingCurves.Create(history, xLabel: "step", logScaleLoss: true, x: _steps,
            trainName: "train batches (mean since the last point)", validationName: heldOutName);
    }
}
