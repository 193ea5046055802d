namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.nn.l2_loss</c>: Σ t² / 2, a scalar, the weight-decay term (λ · L2Loss(W) added to a loss).
    /// The half makes its gradient t itself. Composed from Square, ReduceSum and Mul, whose gradients it uses.
    /// </summary>
    /// <param name="t">A Float32 or Float64 tensor of any shape.</param>
    /// <param name="name">The name of the result; "L2Loss" when null.</param>
    public Output L2Loss(Output t, string? name = null)
    {
        if (!t.DType.IsFloating())
            throw new ArgumentException($"L2Loss needs a Float32 or Float64 tensor, got {t}.", nameof(t));
        return Composite(nameof(L2Loss), name, [t], () => Mul(ReduceSum(Square(t)), ScalarLike(0.5, t), name ?? nameof(L2Loss)));
    }
}
