namespace GraphDL;

/// <summary>y = log softmax(x) = x - log Σ e^x along the last axis, stable for large logits.</summary>
public sealed class LogSoftmax : Op
{
    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => x[0].Rank >= 1
        ? [x[0]]
        : throw new ShapeException($"LogSoftmax needs at least one axis, got a scalar.");

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.LogSoftmax(x[0], y[0]);

    /// <summary>dx = dout - softmax(x) Σ_k dout_k, and softmax(x) = e^y.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) =>
        [dout - g.Exp(g.Y) * g.ReduceSum(dout, axis: -1, keepDims: true)];
}

public abstract partial class GraphBuilder
{
    /// <summary>log softmax along the last axis (tf.nn.log_softmax), finite for any logits.</summary>
    public Output LogSoftmax(Output logits, string? name = null) => AddOp(new LogSoftmax(), [logits], name);
}
