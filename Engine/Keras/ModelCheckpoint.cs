using System.Globalization;

namespace GraphDL.Keras;

/// <summary>
/// Saves the model after each epoch, or with <c>saveBestOnly</c> only when the monitored figure improves
/// (Keras's <c>ModelCheckpoint</c>): the whole model (<see cref="Model.Save"/>: architecture, weights, optimizer state,
/// read back by <see cref="Models.LoadModel"/>), or its weights alone with <c>saveWeightsOnly</c>. Keeping the best
/// model by validation accuracy:
/// <code>
/// var best = new ModelCheckpoint("ckpt/best.keras", monitor: "val_accuracy", saveBestOnly: true);
/// model.Fit(x, y, epochs: 20, validationData: (xTest, yTest), callbacks: [best]);
/// var bestModel = Models.LoadModel("ckpt/best.keras");
/// </code>
/// Which of the two it writes when <c>saveWeightsOnly</c> is not given: Keras's default is the whole model, and a
/// path ending in anything but <c>.npz</c> gets it; a path ending in <c>.npz</c> (which GraphDL's callers used, for
/// the weights, before model files existed) keeps getting the weights, a checkpoint of the <see cref="Saver"/> that
/// <see cref="Model.LoadWeights"/> reads. Either file is written atomically, so an interrupted save leaves the previous
/// best in place. <c>{epoch}</c> in the path becomes the epoch's number from 1. The best value is kept across Fit
/// calls, as in Keras.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private readonly bool _maximise;

    /// <param name="filepath">Where to save; <c>{epoch}</c> is replaced by the epoch's number (from 1).</param>
    /// <param name="monitor">The figure of Fit's logs to compare: val_loss, val_accuracy, loss, ...</param>
    /// <param name="saveBestOnly">Save only when <paramref name="monitor"/> is better than at every earlier save.</param>
    /// <param name="mode">"min", "max", or "auto": max for accuracies (a name containing "acc"), min otherwise.</param>
    /// <param name="verbose">1 prints a line when it saves or does not.</param>
    /// <param name="saveWeightsOnly">True for the weights alone (an .npz, named as <see cref="Saver.Save"/> names it), false for the
    /// whole model; when not given, the weights for a path ending in <c>.npz</c> and the whole model for any other.</param>
    public ModelCheckpoint(string filepath, string monitor = "val_loss", bool saveBestOnly = false, string mode = "auto", int verbose = 0,
        bool? saveWeightsOnly = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(filepath);
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        FilePath = filepath;
        Monitor = monitor;
        SaveBestOnly = saveBestOnly;
        SaveWeightsOnly = saveWeightsOnly ?? filepath.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);
        Verbose = verbose;
        _maximise = mode switch
        {
            "max" => true,
            "min" => false,
            "auto" => monitor.Contains("acc", StringComparison.Ordinal),
            _ => throw new ArgumentException($"mode must be \"auto\", \"min\" or \"max\", not \"{mode}\".", nameof(mode)),
        };
        Best = _maximise ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>Where to save; <c>{epoch}</c> becomes the epoch's number (from 1).</summary>
    public string FilePath { get; }

    /// <summary>The figure of Fit's logs compared between epochs: val_loss, val_accuracy, loss, ...</summary>
    public string Monitor { get; }

    /// <summary>Save only when <see cref="Monitor"/> beats every earlier save.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>True when it writes the weights alone (Keras's save_weights_only), false when the whole model.</summary>
    public bool SaveWeightsOnly { get; }

    /// <summary>1 prints a line at each epoch saying whether it saved; 0 is quiet.</summary>
    public int Verbose { get; }

    /// <summary>The best value of <see cref="Monitor"/> saved so far (Keras's <c>best</c>); ±infinity before the first.</summary>
    public double Best { get; private set; }

    /// <summary>The epoch (from 0) of the last save, and the file written then; null before the first.</summary>
    public (int Epoch, string Path)? LastSaved { get; private set; }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var model = Model ?? throw new InvalidOperationException("ModelCheckpoint runs inside Model.Fit, which gives it the model.");
        string path = FilePath.Replace("{epoch}", (epoch + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (SaveBestOnly)
        {
            if (!logs.TryGetValue(Monitor, out double current))
                throw new InvalidOperationException($"ModelCheckpoint monitors '{Monitor}', but the epoch's logs have only {string.Join(", ", logs.Keys)}"
                    + (Monitor.StartsWith("val_", StringComparison.Ordinal) ? "; give Fit validationData or a validationSplit." : "."));
            // NaN never improves: a diverged epoch must not replace the best weights.
            bool improved = _maximise ? current > Best : current < Best;
            if (!improved)
            {
                if (Verbose > 0) Console.WriteLine($"Epoch {epoch + 1}: {Monitor} did not improve from {Number(Best)}");
                return;
            }
            if (Verbose > 0) Console.WriteLine($"Epoch {epoch + 1}: {Monitor} improved from {Number(Best)} to {Number(current)}, saving model to {path}");
            LastSaved = (epoch, Write(model, path));
            Best = current;
            return;
        }
        if (Verbose > 0) Console.WriteLine($"Epoch {epoch + 1}: saving model to {path}");
        LastSaved = (epoch, Write(model, path));
    }

    /// <summary>
    /// The newest checkpoint that a ModelCheckpoint with <paramref name="filepath"/> (holding <c>{epoch}</c>) wrote: the
    /// file with the highest epoch number, and that number, which is how many epochs were done when it was saved and so
    /// the <c>initialEpoch</c> to resume Fit with. Null when there is none. A save cut off by a crash left no such file
    /// (only a hidden temporary one beside it), so what is found is whole.
    /// <code>
    /// var model = ModelCheckpoint.Latest("ckpt/model-{epoch}.keras") is { } last ? Models.LoadModel(last.Path) : MakeModel();
    /// model.Fit(x, y, epochs: 20, callbacks: [new ModelCheckpoint("ckpt/model-{epoch}.keras")], initialEpoch: last?.Epoch ?? 0);
    /// </code>
    /// </summary>
    /// <exception cref="ArgumentException">The path has no <c>{epoch}</c> in its file name.</exception>
    public static (int Epoch, string Path)? Latest(string filepath)
    {
        ArgumentException.ThrowIfNullOrEmpty(filepath);
        string full = Path.GetFullPath(filepath.Replace("{epoch}", "0", StringComparison.Ordinal));
        string directory = Path.GetDirectoryName(full)!, name = Path.GetFileName(filepath);
        int at = name.IndexOf("{epoch}", StringComparison.Ordinal);
        if (at < 0 || Path.GetFileName(full) == name)
            throw new ArgumentException($"'{filepath}' has no {{epoch}} in its file name, so its checkpoints cannot be told apart by epoch.", nameof(filepath));
        if (!Directory.Exists(directory)) return null;
        string before = name[..at], after = name[(at + "{epoch}".Length)..];
        (int Epoch, string Path)? latest = null;
        foreach (string file in Directory.EnumerateFiles(directory))
        {
            string candidate = Path.GetFileName(file);
            if (candidate.Length <= before.Length + after.Length || !candidate.StartsWith(before, StringComparison.Ordinal) || !candidate.EndsWith(after, StringComparison.Ordinal))
                continue;
            var number = candidate.AsSpan(before.Length, candidate.Length - before.Length - after.Length);
            if (number.IndexOfAnyExceptInRange('0', '9') < 0 && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int epoch)
                && (latest is null || epoch > latest.Value.Epoch))
                latest = (epoch, file);
        }
        return latest;
    }

    /// <summary>Writes the checkpoint and returns the file written (the weights' name gains .npz when it lacks it).</summary>
    private string Write(Model model, string path)
    {
        if (SaveWeightsOnly) return model.WeightsSaver.Save(model.Session, path);
        model.Save(path);
        return Path.GetFullPath(path);
    }

    private static string Number(double value) => value.ToString("F5", CultureInfo.InvariantCulture);
}
