namespace GraphDL;

/// <summary>
/// The slides' "Softmax-with-Loss" node: L = -Σ_k t_k log softmax(x)_k per row, fused so that it stays finite
/// for any logits (no softmax is materialised, so no log 0), with the famous gradient softmax(x) - t.
/// Inputs: logits (..., C), labels (..., C) as probabilities; output: one loss per row (...).
/// </summary>
public sealed class SoftmaxCrossEntropyWithLogits : Op
{
    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        Shape logits = x[0], labels = x[1];
        if (logits.Rank < 1 || !logits.IsCompatibleWith(labels))
            throw new ShapeException($"logits {logits} and labels {labels} must have the same shape with a class axis last.");
        return [new Shape(logits.Dims[..^1])];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.SoftmaxCrossEntropy(x[0], x[1], y[0]);

    /// <summary>dlogits = dout · (softmax(logits) - labels), the slides' y - t; dlabels = -dout · log softmax(logits).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output logits = g.Input(0), labels = g.Input(1);
        var perRow = g.ExpandDims(dout, -1);
        return [perRow * (g.Softmax(logits) - labels), perRow * -g.LogSoftmax(logits)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>Cross entropy between one-hot (or probability) <paramref name="labels"/> and softmax(<paramref name="logits"/>), per row.</summary>
    public Output SoftmaxCrossEntropyWithLogits(Output labels, Output logits, string? name = null) =>
        AddOp(new SoftmaxCrossEntropyWithLogits(), [logits, labels], name);
}
