namespace GraphDL;

/// <summary>y_k = e^{x_k} / Σ_i e^{x_i} along the last axis.</summary>
public sealed class Softmax : Op
{
    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => x[0].Rank >= 1
        ? [x[0]]
        : throw new ShapeException($"Softmax needs at least one axis, got a scalar.");

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Softmax(x[0], y[0]);

    /// <summary>dx = y ⊙ (dout - Σ_k dout_k y_k): the Jacobian diag(y) - y yᵀ applied to dout.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        var y = g.Y;
        return [y * (dout - g.ReduceSum(dout * y, axis: -1, keepDims: true))];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>softmax along the last axis (tf.nn.softmax): each row becomes probabilities that sum to 1.</summary>
    public Output Softmax(Output logits, string? name = null) => AddOp(new Softmax(), [logits], name);
}
