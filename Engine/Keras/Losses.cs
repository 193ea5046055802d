namespace GraphDL.Keras;

/// <summary>
/// The losses of Keras by name (<c>model.Compile(..., loss: "categorical_crossentropy")</c>) and as functions of
/// (labels, predictions): seed 003's list, with Keras's names and aliases. <c>yTrue</c> is the labels' placeholder,
/// <c>yPred</c> the model's output.
/// </summary>
/// <remarks>
/// The formulas are those of <c>tf.keras.losses</c> in TensorFlow 2.x (Keras 2.4 to 2.15), epsilons included:
/// Keras's <c>backend.epsilon()</c> = 1e-7 keeps logs and quotients away from 0. Each loss is first a value per
/// example, reduced over the last axis as the <c>keras.losses.mean_squared_error</c>-style functions do, and the
/// functions here return the mean of those over the batch: the scalar that a loss object such as
/// <c>keras.losses.MeanSquaredError()</c> gives with its default reduction, SUM_OVER_BATCH_SIZE. Labels of another
/// floating dtype are cast to the predictions', as Keras casts <c>y_true</c>.
/// </remarks>
public static class Losses
{
    // Keras's epsilon: probabilities are kept in [ε, 1 - ε] so that a log never sees 0.
    private const double Epsilon = 1e-7;

    private sealed record Entry(string Canonical, Func<Output, Output, Output> Loss);

    private static readonly Dictionary<string, Entry> ByName = Build(
        (["mean_squared_error", "mse"], MeanSquaredError),
        (["mean_absolute_error", "mae"], MeanAbsoluteError),
        (["mean_absolute_percentage_error", "mape"], MeanAbsolutePercentageError),
        (["mean_squared_logarithmic_error", "msle"], MeanSquaredLogarithmicError),
        (["squared_hinge"], SquaredHinge),
        (["hinge"], Hinge),
        (["categorical_hinge"], CategoricalHinge),
        (["log_cosh", "logcosh"], LogCosh),
        (["huber", "huber_loss"], (yTrue, yPred) => Huber(yTrue, yPred)),
        (["binary_crossentropy"], BinaryCrossentropy),
        (["categorical_crossentropy"], CategoricalCrossentropy),
        (["sparse_categorical_crossentropy"], SparseCategoricalCrossentropy),
        (["kl_divergence", "kullback_leibler_divergence", "kld"], KLDivergence),
        (["poisson"], Poisson),
        // Keras before 2.3 called it cosine_proximity (alias cosine); 2.3 renamed it and fixed its sign.
        (["cosine_similarity", "cosine_proximity", "cosine"], CosineSimilarity));

    private static Dictionary<string, Entry> Build(params (string[] Names, Func<Output, Output, Output> Loss)[] losses)
    {
        var byName = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var (names, loss) in losses)
            foreach (var name in names) byName.Add(name, new Entry(names[0], loss));
        return byName;
    }

    /// <summary>The names this module knows, aliases included (a name is matched without regard to case: "MSE", "KLD").</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>The loss called <paramref name="name"/>, as a function of (labels, predictions) (Keras's <c>keras.losses.get</c>).</summary>
    /// <exception cref="ArgumentException">No loss has that name; the message lists the known ones.</exception>
    public static Func<Output, Output, Output> Get(string name) => Find(name).Loss;

    /// <summary>True for the loss that takes class ids (Int32, one per example) rather than rows shaped like the output.</summary>
    public static bool TakesClassIds(string name) => Canonical(name) == "sparse_categorical_crossentropy";

    /// <summary>The loss's name with its aliases resolved: "mse" → "mean_squared_error", "logcosh" → "log_cosh".</summary>
    /// <exception cref="ArgumentException">No loss has that name.</exception>
    public static string Canonical(string name) => Find(name).Canonical;

    /// <summary>
    /// The loss called <paramref name="name"/> for each example, before the batch mean: a vector [batch] (or
    /// [batch, steps, ...] for outputs of higher rank). This is what Keras scales by <c>sample_weight</c> before its
    /// SUM_OVER_BATCH_SIZE reduction, the mean over all of it.
    /// </summary>
    internal static Output PerExample(string name, Output yTrue, Output yPred)
    {
        var g = yPred.Graph;
        var batchMean = Get(name)(yTrue, yPred);
        // Every loss here ends with the batch mean of its per-example values (MeanOverBatch's, or the sparse loss's
        // own), the last node it adds: take that one node back off and keep what it averaged, so that each formula
        // is written once.
        if (batchMean.Node.Op is not ReduceMean || !ReferenceEquals(g.Nodes[^1], batchMean.Node))
            throw new InvalidOperationException($"Loss '{name}' does not end with the batch mean of its per-example values.");
        var perExample = batchMean.Node.Inputs[0];
        g.RollBack(g.Nodes.Count - 1);
        return perExample;
    }

    private static Entry Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ByName.TryGetValue(name.ToLowerInvariant(), out var entry) ? entry
            : throw new ArgumentException($"Unknown loss '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>
    /// Mean squared error, mean over the last axis of (yPred - yTrue)²: regression (seed 000's <c>loss='mse'</c>).
    /// Keras's <c>keras.losses.mean_squared_error</c> ("mse").
    /// </summary>
    public static Output MeanSquaredError(Output yTrue, Output yPred) =>
        MeanOverBatch("mean_squared_error", yTrue, yPred, (g, y, p) => g.ReduceMean(g.SquaredDifference(p, y), axis: -1));

    /// <summary>Mean absolute error, mean over the last axis of |yPred - yTrue| (<c>keras.losses.mean_absolute_error</c>, "mae").</summary>
    public static Output MeanAbsoluteError(Output yTrue, Output yPred) =>
        MeanOverBatch("mean_absolute_error", yTrue, yPred, (g, y, p) => g.ReduceMean(g.Abs(p - y), axis: -1));

    /// <summary>
    /// Mean absolute percentage error, 100 · mean over the last axis of |yTrue - yPred| / max(|yTrue|, ε)
    /// (<c>keras.losses.mean_absolute_percentage_error</c>, "mape"). A label of 0 divides by ε rather than 0.
    /// </summary>
    public static Output MeanAbsolutePercentageError(Output yTrue, Output yPred) =>
        MeanOverBatch("mean_absolute_percentage_error", yTrue, yPred, (g, y, p) =>
        {
            var relative = g.Abs(y - p) / g.Maximum(g.Abs(y), g.ScalarLike(Epsilon, y));
            return 100.0 * g.ReduceMean(relative, axis: -1);
        });

    /// <summary>
    /// Mean squared logarithmic error, mean over the last axis of (log(max(yPred, ε) + 1) - log(max(yTrue, ε) + 1))²
    /// (<c>keras.losses.mean_squared_logarithmic_error</c>, "msle"): relative errors of non-negative targets.
    /// </summary>
    public static Output MeanSquaredLogarithmicError(Output yTrue, Output yPred) =>
        MeanOverBatch("mean_squared_logarithmic_error", yTrue, yPred, (g, y, p) =>
        {
            // Keras writes log(x + 1); log1p is the same function, without losing x's digits when x is small.
            var logPred = g.Log1p(g.Maximum(p, g.ScalarLike(Epsilon, p)));
            var logTrue = g.Log1p(g.Maximum(y, g.ScalarLike(Epsilon, y)));
            return g.ReduceMean(g.SquaredDifference(logPred, logTrue), axis: -1);
        });

    /// <summary>
    /// Hinge loss, mean over the last axis of max(0, 1 - t · yPred) (<c>keras.losses.hinge</c>). Labels t are -1/+1;
    /// when every label of the batch is 0 or 1, Keras reads them as 0/1 labels and uses 2·yTrue - 1.
    /// </summary>
    public static Output Hinge(Output yTrue, Output yPred) =>
        MeanOverBatch("hinge", yTrue, yPred, (g, y, p) => g.ReduceMean(g.Relu(1.0 - SignedLabels(g, y) * p), axis: -1));

    /// <summary>
    /// Squared hinge loss, mean over the last axis of max(0, 1 - t · yPred)² (<c>keras.losses.squared_hinge</c>), with
    /// 0/1 labels turned into -1/+1 as for <see cref="Hinge"/>.
    /// </summary>
    public static Output SquaredHinge(Output yTrue, Output yPred) =>
        MeanOverBatch("squared_hinge", yTrue, yPred, (g, y, p) => g.ReduceMean(g.Square(g.Relu(1.0 - SignedLabels(g, y) * p)), axis: -1));

    /// <summary>
    /// Categorical hinge loss, max(0, neg - pos + 1) per example with pos = Σ yTrue · yPred (the labelled class's score)
    /// and neg = max over the last axis of (1 - yTrue) · yPred (the best other score): a multi-class margin
    /// (<c>keras.losses.categorical_hinge</c>, one-hot labels).
    /// </summary>
    public static Output CategoricalHinge(Output yTrue, Output yPred) =>
        MeanOverBatch("categorical_hinge", yTrue, yPred, (g, y, p) =>
        {
            var pos = g.ReduceSum(y * p, axis: -1);
            var neg = g.ReduceMax((1.0 - y) * p, axis: -1);
            return g.Relu(neg - pos + 1.0);
        });

    /// <summary>
    /// Log-cosh loss, mean over the last axis of log(cosh(e)), e = yPred - yTrue (<c>keras.losses.log_cosh</c>,
    /// "logcosh"): about e²/2 for small errors and |e| - log 2 for large ones.
    /// </summary>
    public static Output LogCosh(Output yTrue, Output yPred) =>
        MeanOverBatch("log_cosh", yTrue, yPred, (g, y, p) =>
        {
            // Keras's form: log cosh e = e + log(1 + e^-2e) - log 2 = e + softplus(-2e) - log 2. cosh itself
            // overflows float32 once |e| > 89, this never does.
            var e = p - y;
            return g.ReduceMean(e + g.Softplus(-2.0 * e) - Math.Log(2), axis: -1);
        });

    /// <summary>
    /// Huber loss, mean over the last axis of ½e² where |e| ≤ δ and δ|e| - ½δ² beyond, e = yPred - yTrue
    /// (<c>keras.losses.huber</c>, "huber_loss"): quadratic near zero, linear for outliers.
    /// </summary>
    /// <param name="yTrue">The labels.</param>
    /// <param name="yPred">The predictions.</param>
    /// <param name="delta">δ, where the quadratic part meets the linear one; Keras's default is 1.</param>
    public static Output Huber(Output yTrue, Output yPred, double delta = 1.0)
    {
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "The Huber loss needs δ > 0.");
        return MeanOverBatch("huber", yTrue, yPred, (g, y, p) =>
        {
            // With q = min(|e|, δ): ½q² + δ(|e| - q) is ½e² inside and δ|e| - ½δ² outside, one expression, no select.
            var error = g.Abs(p - y);
            var quadratic = g.Minimum(error, g.ScalarLike(delta, error));
            return g.ReduceMean(0.5 * g.Square(quadratic) + delta * (error - quadratic), axis: -1);
        });
    }

    /// <summary>
    /// Binary cross entropy, mean over the last axis of -(y log(p + ε) + (1 - y) log(1 - p + ε)) with p = yPred clipped
    /// to [ε, 1 - ε] (<c>keras.losses.binary_crossentropy</c>): a sigmoid output (seed 000's churn model).
    /// </summary>
    public static Output BinaryCrossentropy(Output yTrue, Output yPred)
    {
        // As for softmax below: given the output of a Sigmoid node, Keras uses its input, the logits, and the fused
        // op that never takes log 0.
        if (yPred.Node.Op is Sigmoid)
            return MeanOverBatch("binary_crossentropy", yTrue, yPred, (g, y, _) =>
                g.ReduceMean(g.SigmoidCrossEntropyWithLogits(y, yPred.Node.Inputs[0]), axis: -1));
        return MeanOverBatch("binary_crossentropy", yTrue, yPred, (g, y, p) =>
        {
            // tf.keras 2.x adds ε inside the logs as well as clipping (Keras 3 only clips).
            var clipped = Clip(g, p);
            var logLikelihood = y * g.Log(clipped + Epsilon) + (1.0 - y) * g.Log(1.0 - clipped + Epsilon);
            return g.ReduceMean(-logLikelihood, axis: -1);
        });
    }

    /// <summary>
    /// Categorical cross entropy, -Σ_k y_k log p_k over the last axis, with one-hot (or probability) labels: the loss
    /// of a softmax classifier (<c>keras.losses.categorical_crossentropy</c>). Probabilities not from a softmax are
    /// rescaled to sum to 1 and clipped to [ε, 1 - ε], as Keras does.
    /// </summary>
    public static Output CategoricalCrossentropy(Output yTrue, Output yPred)
    {
        // Keras, given probabilities, looks at the node that made them. When it is a softmax, it computes the loss
        // from that node's input, the logits, with the fused softmax-with-loss node (the "from_logits" form): log
        // softmax is then x - log Σ e^x, finite however confident and wrong the prediction, and the gradient is
        // the slide's softmax - labels. Composing -Σ y log(softmax(x)) instead takes log 0 = -inf once a wrong
        // class's probability rounds to zero in float32, and the loss and its gradient become NaN.
        if (yPred.Node.Op is Softmax)
            return MeanOverBatch("categorical_crossentropy", yTrue, yPred, (g, y, _) =>
                g.SoftmaxCrossEntropyWithLogits(y, yPred.Node.Inputs[0]));
        return MeanOverBatch("categorical_crossentropy", yTrue, yPred, (g, y, p) =>
        {
            var clipped = Clip(g, p / g.ReduceSum(p, axis: -1, keepDims: true));
            return -g.ReduceSum(y * g.Log(clipped), axis: -1);
        });
    }

    /// <summary>
    /// Categorical cross entropy with labels given as class ids (Int32), one per example
    /// (<c>keras.losses.sparse_categorical_crossentropy</c>): -log p_label, the probabilities clipped to [ε, 1 - ε]
    /// and, as in tf.keras 2.x, renormalised: Keras takes the log of the clipped probabilities as logits.
    /// </summary>
    public static Output SparseCategoricalCrossentropy(Output yTrue, Output yPred)
    {
        var g = yPred.Graph;
        CheckFloating("sparse_categorical_crossentropy", yPred);
        var ids = yTrue.DType == DType.Int32 ? yTrue : g.Cast(yTrue, DType.Int32);
        // Keras also takes the ids as a column, shape (batch, 1).
        if (ids.Shape.Rank == yPred.Shape.Rank && ids.Shape.Rank > 1 && ids.Shape[-1] == 1)
            ids = g.Squeeze(ids, [-1]);
        if (!ids.Shape.IsCompatibleWith(new Shape(yPred.Shape.Dims[..^1])))
            throw new ShapeException($"Loss 'sparse_categorical_crossentropy' takes one class id per example: labels '{yTrue.Name}' of shape {Layer.Format(yTrue.Shape)} do not fit predictions '{yPred.Name}' of shape {Layer.Format(yPred.Shape)}.");
        var logits = yPred.Node.Op is Softmax ? yPred.Node.Inputs[0] : g.Log(Clip(g, yPred));
        return g.ReduceMean(g.SparseSoftmaxCrossEntropyWithLogits(ids, logits), name: "sparse_categorical_crossentropy");
    }

    /// <summary>
    /// Kullback-Leibler divergence, Σ y log(y / p) over the last axis with both clipped to [ε, 1]
    /// (<c>keras.losses.kl_divergence</c>, "kld", "kullback_leibler_divergence"): how far the predicted distribution
    /// is from the labels'.
    /// </summary>
    public static Output KLDivergence(Output yTrue, Output yPred) =>
        MeanOverBatch("kl_divergence", yTrue, yPred, (g, y, p) =>
        {
            var yClipped = g.ClipByValue(y, Epsilon, 1);
            var pClipped = g.ClipByValue(p, Epsilon, 1);
            return g.ReduceSum(yClipped * g.Log(yClipped / pClipped), axis: -1);
        });

    /// <summary>
    /// Poisson loss, mean over the last axis of yPred - yTrue · log(yPred + ε) (<c>keras.losses.poisson</c>): the
    /// negative log-likelihood of counts yTrue under a Poisson rate yPred, up to a term without yPred.
    /// </summary>
    public static Output Poisson(Output yTrue, Output yPred) =>
        MeanOverBatch("poisson", yTrue, yPred, (g, y, p) => g.ReduceMean(p - y * g.Log(p + Epsilon), axis: -1));

    /// <summary>
    /// Cosine similarity loss, -Σ ŷTrue · ŷPred over the last axis with both rows scaled to unit length
    /// (<c>keras.losses.cosine_similarity</c>, "cosine_proximity"): -1 when they point the same way, so that
    /// minimising it aligns them, as in Keras 2.3 and later (older Keras returned +mean, not -sum).
    /// </summary>
    public static Output CosineSimilarity(Output yTrue, Output yPred) =>
        MeanOverBatch("cosine_similarity", yTrue, yPred, (g, y, p) =>
            -g.ReduceSum(g.L2Normalize(y, -1) * g.L2Normalize(p, -1), axis: -1));

    /// <summary>
    /// The batch's mean of a per-example loss, named after it. Checks what every shape-aligned loss needs first,
    /// so that a mismatch names the loss and both tensors rather than an op deep inside it.
    /// </summary>
    private static Output MeanOverBatch(string name, Output yTrue, Output yPred, Func<Graph, Output, Output, Output> perExample)
    {
        CheckFloating(name, yPred);
        if (!yTrue.DType.IsFloating() && yTrue.DType != DType.Int32)
            throw new ArgumentException($"Loss '{name}' needs numeric labels, but '{yTrue.Name}' is {yTrue.DType}.");
        if (!yTrue.Shape.IsCompatibleWith(yPred.Shape))
            throw new ShapeException($"Loss '{name}' needs labels shaped like the predictions: labels '{yTrue.Name}' have shape {Layer.Format(yTrue.Shape)}, predictions '{yPred.Name}' have shape {Layer.Format(yPred.Shape)}.");
        var g = yPred.Graph;
        var y = g.Cast(yTrue, yPred.DType);
        return g.ReduceMean(perExample(g, y, yPred), name: name);
    }

    private static void CheckFloating(string name, Output yPred)
    {
        if (!yPred.DType.IsFloating())
            throw new ArgumentException($"Loss '{name}' needs floating-point predictions, but '{yPred.Name}' is {yPred.DType}.");
    }

    /// <summary>
    /// Keras's <c>_maybe_convert_labels</c>: 2y - 1 when every label is 0 or 1, the labels as given otherwise. The
    /// test is over the whole batch, as Keras's; is01 is 1 or 0, and y + is01 · (y - 1) is then 2y - 1 or y.
    /// </summary>
    private static Output SignedLabels(Graph g, Output y)
    {
        var isZeroOrOne = g.Cast(g.Equal(y, g.ScalarLike(0, y)), y.DType) + g.Cast(g.Equal(y, g.ScalarLike(1, y)), y.DType);
        var is01 = g.ReduceMin(isZeroOrOne);
        return y + is01 * (y - 1.0);
    }

    private static Output Clip(Graph g, Output p) => g.ClipByValue(p, Epsilon, 1 - Epsilon);

    /// <summary>
    /// The CTC loss of each example (<c>keras.backend.ctc_batch_cost</c>): <paramref name="yPred"/> is the softmax
    /// output [batch, timeSteps, classes], the last class the blank; Keras takes log(yPred + ε) as the logits of
    /// TF1's tf.nn.ctc_loss (here <see cref="GraphBuilder.CtcLoss"/> with its defaults, batch-major). Returns [batch, 1].
    /// </summary>
    /// <remarks>
    /// Not a loss name for <c>Compile</c>: besides labels and predictions it needs both lengths, so, as in Keras, a
    /// model adds it itself (in Keras a CTC layer calls it and <c>add_loss</c>es the result).
    /// </remarks>
    /// <param name="yTrue">The labels [batch, maxStringLength], class ids padded past each row's length (Int32, or floats Keras casts).</param>
    /// <param name="yPred">The softmax output [batch, timeSteps, classes].</param>
    /// <param name="inputLength">[batch, 1]: how many time steps of each example count.</param>
    /// <param name="labelLength">[batch, 1]: how many labels of each row count.</param>
    public static Output CtcBatchCost(Output yTrue, Output yPred, Output inputLength, Output labelLength)
    {
        const string name = "ctc_batch_cost";
        CheckFloating(name, yPred);
        if (yPred.Shape.Rank != 3)
            throw new ShapeException($"'{name}' needs predictions [batch, timeSteps, classes], but '{yPred.Name}' has shape {Layer.Format(yPred.Shape)}.");
        var g = yPred.Graph;
        Output Ids(Output x) => x.DType == DType.Int32 ? x : g.Cast(x, DType.Int32);
        Output PerExample(Output length)
        {
            if (length.Shape.Rank != 2 || length.Shape[1] is not (1 or Shape.Unknown))
                throw new ShapeException($"'{name}' takes lengths of shape [batch, 1], but '{length.Name}' has shape {Layer.Format(length.Shape)}.");
            return g.Squeeze(Ids(length), [-1]);
        }
        var loss = g.CtcLoss(Ids(yTrue), g.Log(yPred + Epsilon), PerExample(labelLength), PerExample(inputLength), timeMajor: false);
        return g.ExpandDims(loss, 1, name: name);
    }
}
