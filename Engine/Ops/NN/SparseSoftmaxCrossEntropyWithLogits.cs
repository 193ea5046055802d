namespace GraphDL;

/// <summary>
/// Softmax cross entropy with class indices instead of one-hot rows: L = log Σ e^x - x_label per row.
/// Inputs: logits (..., C), labels (...) as Int32 in [0, C); the labels get no gradient.
/// </summary>
public sealed class SparseSoftmaxCrossEntropyWithLogits : Op
{
    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x)
    {
        if (!x[0].IsFloating()) throw new ArgumentException($"logits must be Float32 or Float64, got {x[0]}.");
        if (x[1] != DType.Int32) throw new ArgumentException($"labels must be Int32 class indices, got {x[1]}.");
        return [x[0]];
    }

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        Shape logits = x[0], labels = x[1];
        if (logits.Rank < 1 || !new Shape(logits.Dims[..^1]).IsCompatibleWith(labels))
            throw new ShapeException($"labels {labels} must have the shape of logits {logits} without its last (class) axis.");
        return [labels.IsFullyDefined ? labels : new Shape(logits.Dims[..^1])];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.SparseSoftmaxCrossEntropy(x[0], x[1], y[0]);

    /// <summary>dlogits = dout · (softmax(logits) - onehot(labels)); the Int32 labels get none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output logits = g.Input(0), labels = g.Input(1);
        int classes = logits.Shape[-1];
        if (classes == Shape.Unknown)
            throw new ShapeException($"The gradient of '{g.Node.Name}' needs the number of classes, but logits have shape {logits.Shape}.");
        var oneHot = g.OneHot(labels, classes, dtype: logits.DType);
        return [g.ExpandDims(dout, -1) * (g.Softmax(logits) - oneHot), null];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>Softmax cross entropy per row with Int32 class indices (...) for labels against logits (..., C) (tf.nn.sparse_softmax_cross_entropy_with_logits).</summary>
    public Output SparseSoftmaxCrossEntropyWithLogits(Output labels, Output logits, string? name = null) =>
        AddOp(new SparseSoftmaxCrossEntropyWithLogits(), [logits, labels], name);
}
