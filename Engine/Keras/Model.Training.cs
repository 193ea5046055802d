namespace GraphDL.Keras;

// Compile, Fit, Evaluate and Predict: Keras's training loop on the engine's graph and session.
public partial class Model
{
    private static readonly Tensor TrainingOn = Tensor.Scalar(1f), TrainingOff = Tensor.Scalar(0f);

    private (Optimizer Optimizer, string Loss, string[] Metrics)? _settings;
    private TrainingNodes? _trainingNodes;

    /// <summary>
    /// The graph nodes Compile adds. Keras keeps an epoch's loss and metrics as streaming means, a total and a
    /// count in variables that each step adds to; so do these, which lets a training step fetch nothing but its
    /// update operation (no result to allocate) while the epoch's figures are read once at its end.
    /// </summary>
    /// With several outputs the loss is the sum of the per-output losses, each times its loss weight (Keras's default:
    /// 1), and each output's loss and metrics are kept too, named after its layer ("dense_5_loss", "dense_5_accuracy").
    /// SampleWeights are the per-example weights of a single output's loss (Keras's sample_weight, from Fit's classWeight),
    /// null when the output's loss is not one value per example; OutputLosses the loss name and weight of each output.
    private sealed record TrainingNodes(Output[] Labels, Output Loss, Node TrainStep, Node TestStep, Node ResetTotals,
        Output LossTotal, (string Name, Output Total)[] Totals, Output Count, Output? SampleWeights, (string Loss, double Weight)[] OutputLosses);

    /// <summary>
    /// The optimizer, loss and metric names of the last Compile; Loss is the one name given, or for losses per output
    /// their names joined by ", " (<see cref="OutputLossesAndWeights"/> has them one by one).
    /// </summary>
    public (Optimizer Optimizer, string Loss, IReadOnlyList<string> Metrics)? CompiledWith =>
        _settings is { } s ? (s.Optimizer, s.Loss, s.Metrics) : null;

    /// <summary>
    /// Set by a callback (Keras's <c>model.stop_training</c>) to end Fit after the current epoch, its callbacks included;
    /// each Fit clears it as it starts.
    /// </summary>
    public bool StopTraining { get; set; }

    /// <summary>The History of the last Fit (Keras's <c>model.history</c>).</summary>
    public History? History { get; private set; }

    /// <summary>The labels' placeholder that Compile made: shaped like the output, or class ids for sparse_categorical_crossentropy. A model with several outputs has <see cref="Targets"/>.</summary>
    public Output Labels => CompiledTrainingNodes().Labels is [var labels] ? labels
        : throw new InvalidOperationException($"Model '{Name}' has {_outputs.Count} outputs, each with its labels; take them from Targets.");

    /// <summary>The labels' placeholders, one per output in <see cref="Outputs"/> order (old Keras's <c>model.targets</c>).</summary>
    public IReadOnlyList<Output> Targets => CompiledTrainingNodes().Labels;

    /// <summary>
    /// The loss node that Compile made (a scalar, the mean over the batch; with several outputs the sum of theirs),
    /// plus the layers' weight penalties (<see cref="RegularizationLosses"/>): as in Keras, this regularized loss is
    /// what the optimizer minimises and what History, Evaluate and the callbacks report as "loss".
    /// </summary>
    public Output Loss => CompiledTrainingNodes().Loss;

    /// <summary>One training step: the optimizer's update, and the epoch totals' update. Fetching it alone allocates nothing.</summary>
    internal Node TrainStep => CompiledTrainingNodes().TrainStep;

    /// <summary>Sets up training with an optimizer by name ("sgd", "momentum", "adam", "rmsprop", "adagrad"; see <see cref="Optimizers"/>).</summary>
    public void Compile(string optimizer, string loss, IEnumerable<string>? metrics = null) =>
        Compile(Optimizers.Get(optimizer), loss, metrics);

    /// <summary>
    /// Sets up training (Keras's <c>compile</c>): the optimizer, a loss by name (mse, mae, binary_crossentropy,
    /// categorical_crossentropy, sparse_categorical_crossentropy, huber, hinge) and metrics ("accuracy"). A model
    /// with several outputs applies the loss to each and minimises their sum, as Keras does with one loss name. The
    /// training nodes are added to the graph now when the input shape is known, else at the first Fit. Compiling
    /// again keeps the weights.
    /// </summary>
    public void Compile(Optimizer optimizer, string loss, IEnumerable<string>? metrics = null) =>
        Compile(optimizer, OutputLosses.Same(loss), metrics);

    private void Compile(Optimizer optimizer, OutputLosses loss, IEnumerable<string>? metrics)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var metricNames = (metrics ?? []).ToArray();
        foreach (var m in metricNames)
            if (!Metrics.Names.Contains(m.ToLowerInvariant()))
                throw new ArgumentException($"Unknown metric '{m}'. Known: {string.Join(", ", Metrics.Names)}.", nameof(metrics));
        _settings = (optimizer, loss.Description, metricNames);
        _outputLosses = loss;
        _trainingNodes = null;
        if (IsBuilt) CompiledTrainingNodes();
    }

    /// <summary>
    /// Trains for <paramref name="epochs"/> passes over (x, y) in mini-batches (Keras's <c>fit</c>) and returns the
    /// per-epoch loss and metrics, on the training batches as they went by and on the validation data after each epoch.
    /// </summary>
    /// <param name="x">Inputs, one example per row (first axis); a list with one tensor per input for a model with several.</param>
    /// <param name="y">Labels: rows shaped like the output, or class ids for sparse_categorical_crossentropy; one tensor per output for a model with several.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Examples per step; the last batch of an epoch takes what is left.</param>
    /// <param name="validationData">Data to evaluate on after each epoch (val_loss, val_accuracy).</param>
    /// <param name="validationSplit">Or: the fraction of (x, y) to hold out for validation, taken from the end as Keras does.</param>
    /// <param name="shuffle">Whether each epoch visits the examples in a fresh random order.</param>
    /// <param name="seed">The seed of that order; by default the model's <see cref="Seed"/>.</param>
    /// <param name="verbose">0 silent; 1 Keras's progress bar, redrawn in place while the epoch runs and ended by a line
    /// with the time per step and the figures (when standard output is redirected, only that final line); 2 one line per
    /// epoch.</param>
    /// <param name="onEpochEnd">Called after each epoch with its number (from 0) and figures.</param>
    /// <param name="onBatchEnd">Called after each training step with the epoch's and the batch's numbers (a progress bar's tick).</param>
    /// <param name="callbacks">Callbacks such as <see cref="ModelCheckpoint"/>, called in order, after <paramref name="onEpochEnd"/>.</param>
    /// <param name="initialEpoch">The epoch to start from (Keras's <c>initial_epoch</c>), to resume an earlier run: epochs are
    /// numbered from here, and <paramref name="epochs"/> is the number to end at, not a count, so Fit runs epochs − initialEpoch of them.
    /// With shuffling, each epoch visits the examples in the order a Fit started at epoch 0 with the same seed gives it.</param>
    /// <param name="classWeight">A weight for each class id (Keras's <c>class_weight</c>): each training example's loss is
    /// multiplied by its class's weight, and the batch loss is Σ w_i loss_i / batch size (Keras's SUM_OVER_BATCH_SIZE with
    /// sample weights: not divided by Σ w_i). The class is the label's id, a one-hot row's argmax, or a single sigmoid
    /// output's 0/1 label; a class left out weighs 1. Validation figures and metrics stay unweighted, as in Keras.</param>
    public History Fit(TensorList x, TensorList y, int epochs = 1, int batchSize = 32, (TensorList X, TensorList Y)? validationData = null,
        double validationSplit = 0, bool shuffle = true, int? seed = null, int verbose = 1,
        Action<int, IReadOnlyDictionary<string, double>>? onEpochEnd = null, Action<int, int>? onBatchEnd = null,
        IEnumerable<Callback>? callbacks = null, int initialEpoch = 0, IReadOnlyDictionary<int, double>? classWeight = null)
    {
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "epochs cannot be negative.");
        if (initialEpoch < 0) throw new ArgumentOutOfRangeException(nameof(initialEpoch), initialEpoch, "initialEpoch cannot be negative.");
        if (!(validationSplit >= 0 && validationSplit < 1)) throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, "validationSplit must be in [0, 1).");
        if (validationSplit > 0 && validationData is not null) throw new ArgumentException("Give validationData or validationSplit, not both.", nameof(validationSplit));
        KnowInputFrom(x);
        var nodes = CompiledTrainingNodes();
        var (trainX, trainY) = (ConformInputs(x), ConformLabels(y, nodes.Labels));
        RequireSameRows(trainX, trainY);
        (Tensor[] X, Tensor[] Y)? validation = validationData is { } v ? (ConformInputs(v.X), ConformLabels(v.Y, nodes.Labels)) : null;
        if (validation is { } val) RequireSameRows(val.X, val.Y);
        if (validationSplit > 0)
        {
            int n = trainX[0].Shape[0], held = (int)(n * validationSplit), kept = n - held;
            if (held == 0 || kept == 0) throw new ArgumentException($"validationSplit {validationSplit} of {n} examples leaves no examples on one side.", nameof(validationSplit));
            validation = (SliceRows(trainX, kept, held), SliceRows(trainY, kept, held));
            (trainX, trainY) = (SliceRows(trainX, 0, kept), SliceRows(trainY, 0, kept));
        }

        int rows = trainX[0].Shape[0];
        var sampleWeights = classWeight is null ? null : ClassWeightsPerExample(classWeight, trainY, nodes);
        var batches = new BatchFeeder(this, trainX, trainY, batchSize, sampleWeights);
        var order = Enumerable.Range(0, rows).ToArray();
        var random = new Random(seed ?? _seed ?? Random.Shared.Next());
        // An epoch's order depends on the seed and the epoch's number alone: a Fit resumed at initialEpoch shuffles
        // the epochs before it first, so that it visits the examples in the order the uninterrupted Fit did.
        if (shuffle)
            for (int skipped = 0; skipped < initialEpoch; skipped++) random.Shuffle(order);
        var session = Session;
        var history = new History();
        Callback[] hooks = [.. callbacks ?? []];
        foreach (var c in hooks) c.Model = this;
        StopTraining = false;
        foreach (var c in hooks) c.OnTrainBegin();
        // Made once: a lambda inside the step loop would allocate a closure at every step.
        Func<Dictionary<string, double>> readRunningLogs = () => ReadTotals(nodes, "");
        for (int epoch = initialEpoch; epoch < epochs && !StopTraining; epoch++)
        {
            if (verbose > 0) Console.WriteLine($"Epoch {epoch + 1}/{epochs}");
            foreach (var c in hooks) c.OnEpochBegin(epoch);
            var progress = new ProgressBar(batches.StepsPerEpoch, verbose);
            session.Run(nodes.ResetTotals);
            if (shuffle) random.Shuffle(order);
            for (int start = 0, batch = 0; start < rows; start += batchSize, batch++)
            {
                session.Run(nodes.TrainStep, batches.Feed(order, start, TrainingOn));
                onBatchEnd?.Invoke(epoch, batch);
                progress.Update(batch + 1, readRunningLogs);
            }
            var logs = ReadTotals(nodes, "");
            if (validation is { } data)
                foreach (var (key, value) in RunTotals(data.X, data.Y, batchSize, "val_")) logs[key] = value;
            progress.Finish(logs);
            onEpochEnd?.Invoke(epoch, logs);
            foreach (var c in hooks) c.OnEpochEnd(epoch, logs);
            // Last, as Keras's History callback is, so it records what the callbacks added (the learning rate's "lr").
            history.Record(epoch, logs);
        }
        History = history;
        foreach (var c in hooks) c.OnTrainEnd();
        return history;
    }

    /// <summary>
    /// The loss and metrics on (x, y), in batches, with dropout off (Keras's <c>evaluate(return_dict=True)</c>); verbose
    /// 1 shows Keras's progress bar, 2 its one line, 0 nothing, as in Fit.
    /// </summary>
    public IReadOnlyDictionary<string, double> Evaluate(TensorList x, TensorList y, int batchSize = 32, int verbose = 1)
    {
        KnowInputFrom(x);
        var nodes = CompiledTrainingNodes();
        var (inputs, labels) = (ConformInputs(x), ConformLabels(y, nodes.Labels));
        RequireSameRows(inputs, labels);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        var progress = new ProgressBar((inputs[0].Shape[0] + batchSize - 1) / batchSize, verbose);
        var logs = RunTotals(inputs, labels, batchSize, "", progress);
        progress.Finish(logs);
        return logs;
    }

    /// <summary>
    /// The model's output for x, in batches, with dropout off (Keras's <c>predict</c>); a model with several outputs has
    /// <see cref="PredictOutputs"/>. <paramref name="verbose"/> 1 or 2 shows Keras's progress line, without figures;
    /// it is 0 by default here (Keras's is 1), so that a Predict inside a loop prints nothing unless asked.
    /// </summary>
    public Tensor Predict(TensorList x, int batchSize = 32, int verbose = 0)
    {
        if (IsBuilt && _outputs.Count != 1)
            throw new InvalidOperationException($"Model '{Name}' has {_outputs.Count} outputs; PredictOutputs returns one tensor for each.");
        return PredictOutputs(x, batchSize, verbose)[0];
    }

    /// <summary>The model's outputs for x, one tensor per output in <see cref="Outputs"/> order (Keras's <c>predict</c> on a model with several); verbose as Predict's.</summary>
    public Tensor[] PredictOutputs(TensorList x, int batchSize = 32, int verbose = 0)
    {
        KnowInputFrom(x);
        var inputs = ConformInputs(x);
        int rows = inputs[0].Shape[0];
        var outputs = OutputNodes;
        foreach (var output in outputs)
            if (!new Shape(output.Shape.Dims[1..]).IsFullyDefined)
                throw new ShapeException($"Predict needs the output's shape beyond the batch, but model '{Name}' outputs {Layer.Format(output.Shape)}.");
        var results = outputs.Select(o => new Tensor(o.Shape.WithDim(0, rows), o.DType)).ToArray();
        var batches = new BatchFeeder(this, inputs, null, batchSize);
        var fetches = outputs.Select(o => (Fetch)o).ToArray();
        var progress = new ProgressBar(batches.StepsPerEpoch, verbose);
        for (int start = 0; start < rows; start += batchSize)
        {
            var ys = Session.Run(fetches, batches.Feed(null, start, TrainingOff));
            for (int i = 0; i < results.Length; i++)
            {
                int rowSize = results[i].Shape.SizeOf(1, results[i].Rank);
                Array.Copy(ys[i].Data, 0, results[i].Data, start * rowSize, ys[i].Size);
            }
            progress.Update(start / batchSize + 1, readLogs: null);
        }
        progress.Finish([]);
        return results;
    }

    /// <summary>The nodes of the last Compile, added to the graph on first use.</summary>
    private TrainingNodes CompiledTrainingNodes()
    {
        if (_trainingNodes is not null) return _trainingNodes;
        if (_settings is not { } s) throw new InvalidOperationException($"Model '{Name}' must be compiled before training or evaluating: call Compile(optimizer, loss, metrics) first.");
        var g = Graph;
        var mark = g.Mark();
        try
        {
            _trainingNodes = BuildTrainingNodes(g, s.Optimizer, s.Metrics);
        }
        catch
        {
            g.RollBack(mark);
            throw;
        }
        InitializeNewVariables();
        return _trainingNodes;
    }

    private TrainingNodes BuildTrainingNodes(Graph g, Optimizer optimizer, string[] metricNames)
    {
        var outputs = OutputNodes;
        bool several = outputs.Count > 1;
        var outputLosses = _outputLosses!.Resolve(this);
        var labels = new Output[outputs.Count];
        var losses = new Output[outputs.Count];
        Output? sampleWeights = null;
        var named = new List<(string Name, Output Value, bool PerExample)>();
        for (int k = 0; k < outputs.Count; k++)
        {
            var output = outputs[k];
            string prefix = several ? _outputs[k].Layer.Name + "_" : "", lossName = outputLosses[k].Loss;
            labels[k] = Losses.TakesClassIds(lossName)
                ? g.Placeholder(DType.Int32, new Shape(output.Shape.Dims[..^1]), prefix + "labels")
                : g.Placeholder(DType.Float32, output.Shape, prefix + "labels");
            using (g.NameScope(prefix + "loss"))
            {
                var perExample = Losses.PerExample(lossName, labels[k], output);
                // Keras's sample weights: ones that Fit overrides by feeding classWeight's per-example weights (TF1 feeds
                // any tensor, so running Loss without them still works). The mean of the weighted values is Keras's
                // SUM_OVER_BATCH_SIZE, Σ w_i l_i / batch size; times ones it is the plain mean to the bit.
                if (!several && perExample.Shape.Rank == 1)
                {
                    var ones = g.OnesLike(perExample, "sample_weights");
                    (sampleWeights, perExample) = (ones, perExample * ones);
                }
                losses[k] = g.ReduceMean(perExample, name: Losses.Canonical(lossName));
            }
            if (several) named.Add((prefix + "loss", losses[k], false));
            using (g.NameScope(prefix + "metrics"))
                foreach (var m in metricNames)
                    named.Add((prefix + m, Metrics.Compute(m, labels[k], output, lossName), true));
        }
        // Keras's loss_weights: the total is Σ w_k loss_k, while each "<layer>_loss" stays unweighted.
        var weighted = losses.Select((l, k) => outputLosses[k].Weight == 1 ? l : l * outputLosses[k].Weight).ToArray();
        var lossValue = several ? g.AddN(weighted, "loss") : weighted[0];
        // Keras minimises, and reports as "loss", the data loss plus every layer's weight penalties.
        var penalties = RegularizationLosses;
        if (penalties.Count > 0) lossValue = g.AddN([lossValue, .. penalties], "regularized_loss");
        // The optimizer's state (slots, β powers, the model's rate and step counter) is what it adds to the graph:
        // a whole-model file saves it.
        int variablesBefore = g.GlobalVariables.Count;
        var update = MinimizeAtModelRate(g, optimizer, lossValue);
        _optimizerVariables = [.. g.GlobalVariables.Skip(variablesBefore)];

        using (g.NameScope("totals"))
        {
            var output = outputs[0];
            int rowSize = output.Shape.SizeOf(1, output.Shape.Rank);
            if (rowSize <= 0 || !new Shape(output.Shape.Dims[1..]).IsFullyDefined)
                throw new ShapeException($"Training needs the output's shape beyond the batch, but model '{Name}' outputs {Layer.Format(output.Shape)}.");
            var examples = g.Size(output, DType.Float32) / rowSize;
            var lossTotal = Total(g, "loss");
            var totals = named.Select(n => (n.Name, Total: Total(g, n.Name))).ToArray();
            var count = Total(g, "count");
            // A loss is the batch's mean, so it is weighted by the batch's size; a metric adds one value per example.
            Node Accumulate(string name) => g.Group([
                g.AssignAdd(lossTotal, lossValue * examples).Node,
                .. totals.Select((t, i) => g.AssignAdd(t.Total, named[i].PerExample ? g.ReduceSum(named[i].Value) : named[i].Value * examples).Node),
                g.AssignAdd(count, examples).Node], name);
            // The layers' own updates (batch normalization's moving statistics) run with every training step, never in a test step.
            var trainStep = g.Group([update, Accumulate("train_totals"), .. Updates], "train_step");
            var testStep = Accumulate("test_step");
            var reset = g.Group([.. new[] { lossTotal, count }.Concat(totals.Select(t => t.Total)).Select(t => g.Assign(t, g.ScalarLike(0, t)).Node)], "reset");
            return new TrainingNodes(labels, lossValue, trainStep, testStep, reset, lossTotal, totals, count, sampleWeights, outputLosses);
        }
    }

    private static Output Total(Graph g, string name) => g.Variable(Init.Zeros(), name, trainable: false);

    /// <summary>Resets the totals, runs the test step over (x, y) in batches and reads the means.</summary>
    private Dictionary<string, double> RunTotals(Tensor[] x, Tensor[] y, int batchSize, string prefix, ProgressBar? progress = null)
    {
        var nodes = CompiledTrainingNodes();
        var session = Session;
        session.Run(nodes.ResetTotals);
        var batches = new BatchFeeder(this, x, y, batchSize);
        Func<Dictionary<string, double>> readRunningLogs = () => ReadTotals(nodes, prefix);
        for (int start = 0; start < x[0].Shape[0]; start += batchSize)
        {
            session.Run(nodes.TestStep, batches.Feed(null, start, TrainingOff));
            progress?.Update(start / batchSize + 1, readRunningLogs);
        }
        return ReadTotals(nodes, prefix);
    }

    private Dictionary<string, double> ReadTotals(TrainingNodes nodes, string prefix)
    {
        var values = Session.Run([nodes.LossTotal, nodes.Count, .. nodes.Totals.Select(t => (Fetch)t.Total)]);
        double count = values[1].GetDouble(0);
        var logs = new Dictionary<string, double>(StringComparer.Ordinal) { [prefix + "loss"] = values[0].GetDouble(0) / count };
        for (int i = 0; i < nodes.Totals.Length; i++) logs[prefix + nodes.Totals[i].Name] = values[2 + i].GetDouble(0) / count;
        return logs;
    }

    /// <summary>x as the input placeholders take it: one tensor per input, each shape checked, each dtype converted if need be.</summary>
    private Tensor[] ConformInputs(TensorList x)
    {
        var inputs = InputNodes;
        if (x.Count != inputs.Count)
            throw new ArgumentException($"Model '{Name}' has {inputs.Count} input(s) ({string.Join(", ", _inputs.Select(t => $"'{t.Layer.Name}' {Layer.Format(t.Shape)}"))}), but x holds {x.Count} tensor(s); give one per input, in order.", nameof(x));
        var conformed = new Tensor[x.Count];
        for (int i = 0; i < x.Count; i++)
        {
            var expected = inputs[i].Shape;
            if (x[i].Rank != expected.Rank || !new Shape(x[i].Shape.Dims[1..]).IsCompatibleWith(new Shape(expected.Dims[1..])))
                throw new ShapeException(x.Count == 1
                    ? $"Model '{Name}' takes inputs of shape {Layer.Format(expected)}, but x has shape {Layer.Format(x[i].Shape)}."
                    : $"Model '{Name}' takes inputs of shape {Layer.Format(expected)} at input {i} ('{_inputs[i].Layer.Name}'), but x[{i}] has shape {Layer.Format(x[i].Shape)}.");
            conformed[i] = Converted(x[i], inputs[i].DType);
        }
        return conformed;
    }

    /// <summary>y as the labels' placeholders take it: one tensor per output.</summary>
    private Tensor[] ConformLabels(TensorList y, Output[] labels)
    {
        if (y.Count != labels.Length)
            throw new ArgumentException($"Model '{Name}' has {labels.Length} output(s), but y holds {y.Count} tensor(s); give one per output, in order.", nameof(y));
        return [.. y.Select((t, i) => ConformLabels(t, labels[i], CompiledTrainingNodes().OutputLosses[i].Loss))];
    }

    /// <summary>y as the labels' placeholder takes it; a vector of one label per example is accepted for an output of one column, and (n, 1) class ids for (n,).</summary>
    private Tensor ConformLabels(Tensor y, Output labels, string loss)
    {
        var expected = labels.Shape;
        var shape = y.Shape;
        if (shape.Rank == expected.Rank - 1 && expected[-1] == 1) shape = new Shape([.. shape.Dims, 1]);
        else if (shape.Rank == expected.Rank + 1 && shape[-1] == 1) shape = new Shape(shape.Dims[..^1]);
        if (shape.Rank != expected.Rank || !new Shape(shape.Dims[1..]).IsCompatibleWith(new Shape(expected.Dims[1..])))
            throw new ShapeException($"Model '{Name}' with loss '{loss}' takes labels of shape {Layer.Format(expected)}, but y has shape {Layer.Format(y.Shape)}.");
        return Converted(shape == y.Shape ? y : y.Reshaped(shape), labels.DType);
    }

    private static Tensor Converted(Tensor t, DType dtype)
    {
        if (t.DType == dtype) return t;
        var converted = new Tensor(t.Shape, dtype);
        for (int i = 0; i < t.Size; i++) converted.SetDouble(i, t.GetDouble(i));
        return converted;
    }

    private static void RequireSameRows(Tensor[] xs, Tensor[] ys)
    {
        var x = xs[0];
        foreach (var (y, what) in xs.Skip(1).Select((t, i) => (t, $"x[{i + 1}]")).Concat(ys.Select((t, i) => (t, ys.Length == 1 ? "y" : $"y[{i}]"))))
            if (x.Shape[0] != y.Shape[0])
                throw new ShapeException($"x and y need one row per example each, but {(xs.Length == 1 ? "x" : "x[0]")} has {x.Shape[0]} rows (shape {Layer.Format(x.Shape)}) and {what} {y.Shape[0]} (shape {Layer.Format(y.Shape)}).");
        if (x.Shape[0] == 0) throw new ArgumentException("There are no examples to train or evaluate on.");
    }

    private static Tensor[] SliceRows(Tensor[] ts, int start, int count) => [.. ts.Select(t => SliceRows(t, start, count))];

    private static Tensor SliceRows(Tensor t, int start, int count)
    {
        var slice = new Tensor(t.Shape.WithDim(0, count), t.DType);
        int rowSize = t.Shape.SizeOf(1, t.Rank);
        Array.Copy(t.Data, start * rowSize, slice.Data, 0, count * rowSize);
        return slice;
    }
}
