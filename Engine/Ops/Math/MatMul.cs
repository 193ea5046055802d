namespace GraphDL;

/// <summary>y = op(a) op(b) for matrices, where op transposes or not.</summary>
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

    /// <summary>For y = a b: da = dout bᵀ, db = aᵀ dout; the transposed cases follow by symmetry.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output a = g.Input(0), b = g.Input(1);
        return (TransposeA, TransposeB) switch
        {
            (false, false) => [g.MatMul(dout, b, transposeB: true), g.MatMul(a, dout, transposeA: true)],
            (false, true) => [g.MatMul(dout, b), g.MatMul(dout, a, transposeA: true)],
            (true, false) => [g.MatMul(b, dout, transposeB: true), g.MatMul(a, dout)],
            (true, true) => [g.MatMul(b, dout, true, true), g.MatMul(dout, a, true, true)],
        };
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>The matrix product (tf.matmul): (m, k) × (k, n) gives (m, n), either operand optionally transposed; both must have rank 2.</summary>
    public Output MatMul(Output a, Output b, bool transposeA = false, bool transposeB = false, string? name = null) =>
        AddOp(new MatMul { TransposeA = transposeA, TransposeB = transposeB }, [a, b], name);
}
