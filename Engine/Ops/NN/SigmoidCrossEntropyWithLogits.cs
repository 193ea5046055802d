namespace GraphDL;

/// <summary>
/// Binary cross entropy on logits, elementwise: L = -z log σ(x) - (1 - z) log(1 - σ(x)), computed as
/// max(x, 0) - x z + log(1 + e^{-|x|}) so that it never overflows. Inputs: logits, labels of the same shape.
/// </summary>
public sealed class SigmoidCrossEntropyWithLogits : Op
{
    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => x[0].IsCompatibleWith(x[1])
        ? [x[0].IsFullyDefined ? x[0] : x[1]]
        : throw new ShapeException($"logits {x[0]} and labels {x[1]} must have the same shape.");

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.SigmoidCrossEntropy(x[0], x[1], y[0]);

    /// <summary>dL/dx = σ(x) - z; dL/dz = -x.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output logits = g.Input(0), labels = g.Input(1);
        return [dout * (g.Sigmoid(logits) - labels), -dout * logits];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>Binary cross entropy of 0/1 (or probability) <paramref name="labels"/> against σ(<paramref name="logits"/>), elementwise and stable for any logits (tf.nn.sigmoid_cross_entropy_with_logits); take its mean for the loss.</summary>
    public Output SigmoidCrossEntropyWithLogits(Output labels, Output logits, string? name = null) =>
        AddOp(new SigmoidCrossEntropyWithLogits(), [logits, labels], name);
}
