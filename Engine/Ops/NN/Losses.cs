namespace GraphDL;

// The regression and margin losses, composed from graph ops as TF1's tf.losses does, each averaged over
// all elements. Their gradients come from the ops they are made of.
public abstract partial class GraphBuilder
{
    /// <summary>mean((predictions - labels)²).</summary>
    public Output MeanSquaredError(Output labels, Output predictions, string? name = null) =>
        Composite(nameof(MeanSquaredError), name, [labels, predictions], () =>
            ReduceMean(SquaredDifference(predictions, labels), name: name ?? "mean_squared_error"));

    /// <summary>mean(|predictions - labels|).</summary>
    public Output MeanAbsoluteError(Output labels, Output predictions, string? name = null) =>
        Composite(nameof(MeanAbsoluteError), name, [labels, predictions], () =>
            ReduceMean(Abs(predictions - labels), name: name ?? "absolute_difference"));

    /// <summary>mean of ½e² where |e| ≤ δ, δ(|e| - ½δ) beyond: quadratic near zero, linear for outliers.</summary>
    public Output HuberLoss(Output labels, Output predictions, double delta = 1.0, string? name = null) =>
        Composite(nameof(HuberLoss), name, [labels, predictions], () =>
        {
            var error = Abs(predictions - labels);
            var quadratic = Minimum(error, ScalarLike(delta, error));
            var linear = error - quadratic;
            return ReduceMean(0.5 * Square(quadratic) + delta * linear, name: name ?? "huber_loss");
        });

    /// <summary>mean(max(0, 1 - y·logits)) with labels 0/1 mapped to y = -1/+1, as in TF1's hinge_loss.</summary>
    public Output HingeLoss(Output labels, Output logits, string? name = null) =>
        Composite(nameof(HingeLoss), name, [labels, logits], () =>
        {
            var signs = 2.0 * labels - 1.0;
            return ReduceMean(Relu(1.0 - signs * logits), name: name ?? "hinge_loss");
        });
}
