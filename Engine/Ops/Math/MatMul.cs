namespace GraphDL;

/// <summary>
/// y = op(a) op(b) for matrices, where op transposes or not; for operands of rank 3 and more, one such product per
/// matrix of the batch, over the last two axes, with the leading (batch) axes broadcast against each other.
/// </summary>
public sealed class MatMul : Op
{
    /// <summary>Multiply by the transpose of the first operand (TF1's transpose_a).</summary>
    public bool TransposeA { get; init; }

    /// <summary>Multiply by the transpose of the second operand (TF1's transpose_b).</summary>
    public bool TransposeB { get; init; }

    /// <inheritdoc/>
    public override string Attributes => (TransposeA, TransposeB) switch
    {
        (false, false) => "",
        _ => $"transposeA={TransposeA}, transposeB={TransposeB}",
    };

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [Shape.MatMul(x[0], x[1], TransposeA, TransposeB)];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        be.MatMul(x[0], x[1], TransposeA, TransposeB, y[0]);

    /// <summary>
    /// For y = a b: da = dout bᵀ, db = aᵀ dout; the transposed cases follow by symmetry. In a batch each matrix
    /// of y has its own product, so the same rules hold matrix by matrix; where an operand was broadcast along a
    /// batch axis, its gradient sums over that axis.
    /// </summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        var (da, db) = (TransposeA, TransposeB) switch
        {
            (false, false) => (g.MatMul(dout, b, transposeB: true), g.MatMul(a, dout, transposeA: true)),
            (false, true) => (g.MatMul(dout, b), g.MatMul(dout, a, transposeA: true)),
            (true, false) => (g.MatMul(b, dout, transposeB: true), g.MatMul(a, dout)),
            (true, true) => (g.MatMul(b, dout, true, true), g.MatMul(dout, a, true, true)),
        };
        if (a.Shape.Rank == 2 && b.Shape.Rank == 2) return [da, db];
        // SumToShape adds no node where the batch axes are known to agree; an unknown one may be 1 and broadcast.
        return [g.SumToShape(da, a), g.SumToShape(db, b)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// The matrix product (tf.matmul): (m, k) × (k, n) gives (m, n), either operand optionally transposed. Batches
    /// multiply matrix by matrix over the last two axes, (..., m, k) × (..., k, n) giving (..., m, n), and the
    /// transposes apply to those two axes; as in tf.linalg.matmul the leading axes broadcast, so a (k, n) weight
    /// multiplies every matrix of a (b, m, k) batch.
    /// </summary>
    public Output MatMul(Output a, Output b, bool transposeA = false, bool transposeB = false, string? name = null) =>
        AddOp(new MatMul { TransposeA = transposeA, TransposeB = transposeB }, [a, b], name);
}
