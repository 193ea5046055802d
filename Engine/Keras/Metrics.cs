namespace GraphDL.Keras;

/// <summary>
/// Metrics by name (<c>metrics: ["accuracy"]</c>). Each gives one value per example, a Float32 vector of the batch's
/// length; the model averages them over an epoch, as Keras's streaming means do.
/// </summary>
public static class Metrics
{
    /// <summary>The names this module knows.</summary>
    public static IEnumerable<string> Names => ["accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy"];

    /// <summary>The per-example values of the metric called <paramref name="name"/>; <paramref name="loss"/> helps "accuracy" pick its kind.</summary>
    public static Output Compute(string name, Output yTrue, Output yPred, string? loss = null) => name.ToLowerInvariant() switch
    {
        "accuracy" or "acc" => Accuracy(yTrue, yPred, loss),
        "binary_accuracy" => BinaryAccuracy(yTrue, yPred),
        "categorical_accuracy" => CategoricalAccuracy(yTrue, yPred),
        "sparse_categorical_accuracy" => SparseCategoricalAccuracy(yTrue, yPred),
        _ => throw new ArgumentException($"Unknown metric '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// "accuracy" as Keras resolves it: binary when the output has one column (or the loss is binary cross entropy),
    /// sparse when the labels are class ids, categorical (argmax against argmax) otherwise.
    /// </summary>
    public static Output Accuracy(Output yTrue, Output yPred, string? loss = null)
    {
        bool binary = yPred.Shape[-1] == 1 || (loss is not null && Losses.Canonical(loss) == "binary_crossentropy");
        if (binary) return BinaryAccuracy(yTrue, yPred);
        if (yTrue.Shape.Rank < yPred.Shape.Rank) return SparseCategoricalAccuracy(yTrue, yPred);
        return CategoricalAccuracy(yTrue, yPred);
    }

    /// <summary>The fraction of an example's outputs on the right side of <paramref name="threshold"/>: (p > 0.5) == y.</summary>
    public static Output BinaryAccuracy(Output yTrue, Output yPred, double threshold = 0.5)
    {
        var g = yPred.Graph;
        var predicted = g.Cast(g.Greater(yPred, g.ScalarLike(threshold, yPred)), yTrue.DType);
        return g.ReduceMean(g.Cast(g.Equal(predicted, yTrue), DType.Float32), axis: -1, name: "binary_accuracy");
    }

    /// <summary>1 where the most probable class is the labelled one (one-hot labels): argmax p == argmax y.</summary>
    public static Output CategoricalAccuracy(Output yTrue, Output yPred)
    {
        var g = yPred.Graph;
        return g.Cast(g.Equal(g.ArgMax(yPred, -1), g.ArgMax(yTrue, -1)), DType.Float32, "categorical_accuracy");
    }

    /// <summary>1 where the most probable class is the label's id: argmax p == y.</summary>
    public static Output SparseCategoricalAccuracy(Output yTrue, Output yPred)
    {
        var g = yPred.Graph;
        var ids = yTrue.DType == DType.Int32 ? yTrue : g.Cast(yTrue, DType.Int32);
        return g.Cast(g.Equal(g.ArgMax(yPred, -1), ids), DType.Float32, "sparse_categorical_accuracy");
    }
}
