using System.Globalization;
using GraphDL.Data;

namespace GraphDL;

/// <summary>
/// Everything a training step depends on, in one checkpoint file, so that a run killed at any moment and resumed from
/// its latest checkpoint reaches the same weights, bit for bit, as the run that was never interrupted: the saver's
/// variables (the weights, the optimizer's slots and β powers, a global step variable), the step number, where each
/// random op's stream stands (dropout masks, initializers) and where each tracked <see cref="DataSet"/>'s batches
/// stand (its epoch, its row, its shuffled order).
/// <code>
/// var checkpoint = new TrainingCheckpoint(sess, new Saver(g, maxToKeep: 3));
/// checkpoint.Track(mnist.Train, "train");
/// int start = checkpoint.RestoreLatest("ckpt") ?? 0;           // 0 for a fresh run
/// for (int step = start; step &lt; steps; step++)
/// {
///     var (x, y) = mnist.Train.NextBatch(100);
///     sess.Run(train, new FeedDict { [images] = x, [labels] = y });
///     if ((step + 1) % 1000 == 0) checkpoint.Save("ckpt/model", step + 1);
/// }
/// </code>
/// The file is the saver's .npz, written atomically the same way, with the training state in entries of its own under
/// <c>training_state/</c>; <see cref="Saver.Restore"/> reads its variables alone.
/// </summary>
public sealed class TrainingCheckpoint
{
    private const string StatePrefix = "training_state/";
    private const string StepEntry = StatePrefix + "step";
    private const string RandomPrefix = StatePrefix + "random/";
    private const string DataPrefix = StatePrefix + "data/";
    private readonly Dictionary<string, DataSet> _dataSets = new(StringComparer.Ordinal);

    /// <summary>Checkpoints of <paramref name="session"/>'s training, with <paramref name="saver"/>'s variables.</summary>
    /// <param name="session">The session that trains; its random streams are saved and restored.</param>
    /// <param name="saver">The variables to save; for an exact resume, every variable a step reads or updates (<c>new Saver(g)</c>
    /// made after the optimizer's Minimize has them all).</param>
    /// <exception cref="ArgumentException">The session runs another graph than the saver's, or a variable's name begins with
    /// <c>training_state/</c>, where the training state's entries are.</exception>
    public TrainingCheckpoint(Session session, Saver saver)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(saver);
        if (session.Graph != saver.Variables[0].Graph)
            throw new ArgumentException($"The session runs another graph than the saver's variables ('{saver.Variables[0].Name}', ...).", nameof(session));
        foreach (var v in saver.Variables)
            if (VariableOp.NodeOf(v).Name.StartsWith(StatePrefix, StringComparison.Ordinal))
                throw new ArgumentException($"Variable '{VariableOp.NodeOf(v).Name}' is named like the checkpoint's training state ('{StatePrefix}...'); rename it.", nameof(saver));
        Session = session;
        Saver = saver;
    }

    /// <summary>The session whose training is checkpointed.</summary>
    public Session Session { get; }

    /// <summary>The saver that writes and reads the variables, and rotates the checkpoint files.</summary>
    public Saver Saver { get; }

    /// <summary>
    /// Saves and restores where <paramref name="data"/>'s <see cref="DataSet.NextBatch(int)"/> stands, under
    /// <paramref name="name"/>. The data set must be made again the same way (the same rows, the same seed) in a resumed run.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty, has a '/', or is tracked already.</exception>
    public void Track(DataSet data, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/')) throw new ArgumentException($"A tracked data set's name cannot hold '/': '{name}'.", nameof(name));
        if (!_dataSets.TryAdd(name, data)) throw new ArgumentException($"A data set named '{name}' is tracked already.", nameof(name));
    }

    /// <summary>
    /// Writes the variables and the training state after <paramref name="step"/> steps to <c>path-step.npz</c>, whole or
    /// not at all, lists it in the directory's index and rotates out the oldest beyond the saver's <see cref="Saver.MaxToKeep"/>.
    /// </summary>
    /// <param name="path">A prefix (<c>ckpt/model</c>) or a directory, as <see cref="Saver.Save"/> takes it.</param>
    /// <param name="step">The number of training steps done: the step a resumed run starts from.</param>
    /// <returns>The checkpoint's path.</returns>
    public string Save(string path, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var state = new List<KeyValuePair<string, Tensor>> { new(StepEntry, Tensor.Scalar(step)) };
        foreach (var (node, seed, draws) in Session.RandomStreamStates())
            state.Add(new(RandomPrefix + node, Tensor.FromFlat(new double[] { seed, draws }, new Shape(2))));
        foreach (var (name, data) in _dataSets)
        {
            var (epochs, index, shuffled) = data.Position;
            state.Add(new(DataPrefix + name, Tensor.FromFlat(new[] { epochs, index, shuffled ? 1 : 0 }, new Shape(3))));
        }
        return Saver.SaveWith(Session, path, step, writeState: true, state);
    }

    /// <summary>
    /// Restores the newest checkpoint in <paramref name="directory"/> (<see cref="Saver.Latest"/>) and returns its step,
    /// or returns null, changing nothing, when there is none: a fresh run starts at step 0. A file left half-written by a
    /// process killed while saving is never the newest: checkpoints are renamed into place only once whole.
    /// </summary>
    /// <exception cref="InvalidDataException">The checkpoint is damaged or does not fit (see <see cref="Restore"/>).</exception>
    public int? RestoreLatest(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return Saver.Latest(directory) is { } latest ? Restore(latest) : null;
    }

    /// <summary>
    /// Sets the variables, the random streams and the tracked data sets' positions from a checkpoint that
    /// <see cref="Save"/> wrote, and returns its step. Everything is read and checked before anything is set.
    /// </summary>
    /// <param name="path">A checkpoint file, or a directory meaning its latest.</param>
    /// <exception cref="FileNotFoundException">There is no such checkpoint.</exception>
    /// <exception cref="InvalidDataException">The file is damaged, does not fit the variables, has no training state (a plain
    /// <see cref="Saver.Save"/> wrote it), or its state names a random op the graph lacks or lacks a tracked data set; the
    /// message names the file and the entry. Nothing has been changed.</exception>
    public int Restore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (file, archive, applyVariables) = Saver.PrepareRestore(Session, path);
        using (archive)
        {
            InvalidDataException Invalid(string what) => new($"Checkpoint '{file}' cannot resume training: {what}. Nothing was restored.");
            // The training state's entries are a few numbers each; their header is checked before anything is read.
            Tensor? ReadSmall(string entry, DType dtype, Shape shape, string meaning)
            {
                if (!archive.Contains(entry)) return null;
                var (actualDType, actualShape) = archive.Describe(entry);
                if (actualDType != dtype || actualShape != shape)
                    throw Invalid($"the entry '{entry}' is {actualDType} {actualShape}, not {dtype.ToString().ToLowerInvariant()} {shape}: {meaning}");
                return archive.Read(entry);
            }

            var stepValue = archive.Contains(StepEntry) && archive.Describe(StepEntry) is (DType.Int32, { Rank: 0 }) ? archive.Read(StepEntry) : null;
            if (stepValue is null)
                throw Invalid($"it has no int32 scalar '{StepEntry}', so it was not written by TrainingCheckpoint.Save (Saver.Restore reads its variables alone)");
            int step = stepValue.ToArray<int>()[0];
            if (step < 0) throw Invalid($"its step is {step}");

            var streams = new List<(string Node, int Seed, long Draws)>();
            foreach (string entry in archive.Keys.Where(k => k.StartsWith(RandomPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                string node = entry[RandomPrefix.Length..];
                var value = ReadSmall(entry, DType.Float64, new Shape(2), "a random stream's seed and draws")!;
                var (seed, draws) = (value.GetDouble(0), value.GetDouble(1));
                if (seed != Math.Floor(seed) || seed < int.MinValue || seed > int.MaxValue || draws != Math.Floor(draws) || draws < 0 || draws > (double)(1L << 53))
                    throw Invalid($"the entry '{entry}' holds ({Number(seed)}, {Number(draws)}), not a seed and a count of draws");
                if (Session.Graph.FindNode(node) is not { Op: RandomOp or RandomUniformLike })
                    throw Invalid($"the entry '{entry}' is the random stream of node '{node}', which the graph does not have as a random op (was the graph built the same way?)");
                streams.Add((node, (int)seed, (long)draws));
            }

            var positions = new List<(DataSet Data, (int, int, bool) Position)>();
            foreach (var (name, data) in _dataSets)
            {
                string entry = DataPrefix + name;
                var value = ReadSmall(entry, DType.Int32, new Shape(3), "a data set's epochs, row and whether it was shuffled")
                    ?? throw Invalid($"it has no entry '{entry}' for the tracked data set '{name}'");
                var v = value.ToArray<int>();
                var position = (v[0], v[1], v[2] != 0);
                try { data.CheckPosition(position); }
                catch (ArgumentException e) { throw Invalid($"the entry '{entry}' does not fit the data set '{name}': {e.Message}"); }
                positions.Add((data, position));
            }

            applyVariables();
            Session.RestoreRandomStreams(streams);
            foreach (var (data, position) in positions) data.MoveTo(position);
            return step;
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
