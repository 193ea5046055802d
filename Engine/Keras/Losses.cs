namespace GraphDL.Keras;

/// <summary>
/// The losses of Keras by name (<c>model.Compile(..., loss: "categorical_crossentropy")</c>), each the mean over
/// the batch of a per-example loss. <c>yTrue</c> is the labels' placeholder, <c>yPred</c> the model's output.
/// </summary>
public static class Losses
{
    // Keras's epsilon: probabilities are kept in [ε, 1 - ε] so that a log never sees 0.
    private const double Epsilon = 1e-7;

    private static readonly Dictionary<string, Func<Output, Output, Output>> ByName = new(StringComparer.Ordinal)
    {
        ["mse"] = MeanSquaredError,
        ["mean_squared_error"] = MeanSquaredError,
        ["mae"] = MeanAbsoluteError,
        ["mean_absolute_error"] = MeanAbsoluteError,
        ["binary_crossentropy"] = BinaryCrossentropy,
        ["categorical_crossentropy"] = CategoricalCrossentropy,
        ["sparse_categorical_crossentropy"] = SparseCategoricalCrossentropy,
        ["huber"] = (yTrue, yPred) => Huber(yTrue, yPred),
        ["huber_loss"] = (yTrue, yPred) => Huber(yTrue, yPred),
        ["hinge"] = Hinge,
    };

    /// <summary>The names this module knows.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>The loss called <paramref name="name"/>, as a function of (labels, predictions).</summary>
    public static Func<Output, Output, Output> Get(string name) =>
        ByName.TryGetValue(name.ToLowerInvariant(), out var f) ? f
        : throw new ArgumentException($"Unknown loss '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>True for the loss that takes class ids (Int32, one per example) rather than rows shaped like the output.</summary>
    public static bool TakesClassIds(string name) => Canonical(name) == "sparse_categorical_crossentropy";

    /// <summary>The loss's name with its aliases resolved: "mse" → "mean_squared_error".</summary>
    public static string Canonical(string name)
    {
        Get(name);
        return name.ToLowerInvariant() switch
        {
            "mse" => "mean_squared_error",
            "mae" => "mean_absolute_error",
            "huber_loss" => "huber",
            var n => n,
        };
    }

    /// <summary>mean((yPred - yTrue)²): regression (seed 000's <c>loss='mse'</c>).</summary>
    public static Output MeanSquaredError(Output yTrue, Output yPred) =>
        yPred.Graph.MeanSquaredError(yTrue, yPred, "mean_squared_error");

    /// <summary>mean(|yPred - yTrue|).</summary>
    public static Output MeanAbsoluteError(Output yTrue, Output yPred) =>
        yPred.Graph.MeanAbsoluteError(yTrue, yPred, "mean_absolute_error");

    /// <summary>mean of ½e² where |e| ≤ δ and δ(|e| - ½δ) beyond, e = yPred - yTrue.</summary>
    public static Output Huber(Output yTrue, Output yPred, double delta = 1.0) =>
        yPred.Graph.HuberLoss(yTrue, yPred, delta, "huber");

    /// <summary>
    /// mean(max(0, 1 - t · yPred)) with t = ±1. Labels may be given as -1/+1 or as 0/1, which Keras turns into
    /// -1/+1; mapping 0 to -1 does both at once.
    /// </summary>
    public static Output Hinge(Output yTrue, Output yPred)
    {
        var g = yPred.Graph;
        var t = yTrue - g.Cast(g.Equal(yTrue, g.ScalarLike(0, yTrue)), yTrue.DType);
        return g.ReduceMean(g.Relu(1.0 - t * yPred), name: "hinge");
    }

    /// <summary>
    /// Binary cross entropy, -mean(y log p + (1 - y) log(1 - p)), for a sigmoid output (seed 000's churn model).
    /// </summary>
    public static Output BinaryCrossentropy(Output yTrue, Output yPred)
    {
        var g = yPred.Graph;
        // As for softmax below: given the output of a Sigmoid node, use its input, the logits, and the fused
        // op that never takes log 0.
        if (yPred.Node.Op is Sigmoid)
            return g.ReduceMean(g.SigmoidCrossEntropyWithLogits(yTrue, yPred.Node.Inputs[0]), name: "binary_crossentropy");
        var p = Clip(g, yPred);
        return g.ReduceMean(-(yTrue * g.Log(p) + (1.0 - yTrue) * g.Log(1.0 - p)), name: "binary_crossentropy");
    }

    /// <summary>
    /// Categorical cross entropy, mean over the batch of -Σ_k y_k log p_k, with one-hot (or probability) labels:
    /// the loss of a softmax classifier.
    /// </summary>
    public static Output CategoricalCrossentropy(Output yTrue, Output yPred)
    {
        var g = yPred.Graph;
        // Keras, given probabilities, looks at the node that made them. When it is a softmax, it computes the loss
        // from that node's input, the logits, with the fused softmax-with-loss node (the "from_logits" form): log
        // softmax is then x - log Σ e^x, finite however confident and wrong the prediction, and the gradient is
        // the slide's softmax - labels. Composing -Σ y log(softmax(x)) instead takes log 0 = -inf once a wrong
        // class's probability rounds to zero in float32, and the loss and its gradient become NaN.
        if (yPred.Node.Op is Softmax)
            return g.ReduceMean(g.SoftmaxCrossEntropyWithLogits(yTrue, yPred.Node.Inputs[0]), name: "categorical_crossentropy");
        // Other probabilities: Keras rescales each row to sum to 1 and keeps it away from 0 before the log.
        var p = Clip(g, yPred / g.ReduceSum(yPred, axis: -1, keepDims: true));
        return g.ReduceMean(-g.ReduceSum(yTrue * g.Log(p), axis: -1), name: "categorical_crossentropy");
    }

    /// <summary>Categorical cross entropy with labels given as class ids (Int32), one per example: -mean log p_label.</summary>
    public static Output SparseCategoricalCrossentropy(Output yTrue, Output yPred)
    {
        var g = yPred.Graph;
        var ids = yTrue.DType == DType.Int32 ? yTrue : g.Cast(yTrue, DType.Int32);
        if (yPred.Node.Op is Softmax)
            return g.ReduceMean(g.SparseSoftmaxCrossEntropyWithLogits(ids, yPred.Node.Inputs[0]), name: "sparse_categorical_crossentropy");
        int classes = yPred.Shape[-1];
        if (classes == Shape.Unknown)
            throw new ShapeException($"sparse_categorical_crossentropy needs the number of classes, but the output '{yPred.Name}' has shape {Layer.Format(yPred.Shape)}.");
        var oneHot = g.OneHot(ids, classes, dtype: yPred.DType);
        return g.ReduceMean(-g.ReduceSum(oneHot * g.Log(Clip(g, yPred)), axis: -1), name: "sparse_categorical_crossentropy");
    }

    private static Output Clip(Graph g, Output p) =>
        g.Minimum(g.Maximum(p, g.ScalarLike(Epsilon, p)), g.ScalarLike(1 - Epsilon, p));
}
