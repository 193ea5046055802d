using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace GraphDL;

/// <summary>
/// A (semi-)orthogonal matrix, Keras's default for a recurrent kernel (Saxe et al., 2014): h_{t-1} W_hh then
/// neither shrinks nor grows h at the start of training, however many steps the gradient goes back through.
/// Keras's recipe: draw a normal matrix of (max(rows, cols), min(rows, cols)), take Q of its QR decomposition,
/// flip each column's sign to make R's diagonal positive (so Q is uniformly distributed), transpose when the
/// matrix is wider than tall. A kernel of (units, 4 * units) thus gets orthonormal rows.
/// </summary>
public sealed record OrthogonalInit(Shape Shape, double Gain = 1, int? Seed = null) : Initializer(Shape)
{
    /// <inheritdoc/>
    public override Output Build(GraphBuilder g)
    {
        if (Shape.Rank < 2) throw new ShapeException($"An orthogonal initializer needs a matrix, got shape {Shape}.");
        int rows = Shape.SizeOf(0, Shape.Rank - 1), cols = Shape[^1];
        var draws = g.RandomNormal(new Shape(Math.Max(rows, cols), Math.Min(rows, cols)), dtype: DType, seed: Seed);
        return g.AddOp(new Orthogonalize { Shape = Shape, Gain = Gain }, [draws]);
    }
}

/// <summary>
/// y = Gain * Q of the thin QR decomposition of x (tall), column signs fixed, transposed and reshaped to <see cref="Shape"/>.
/// Only initializers use it; it runs on the host once per variable, so it has no device primitive.
/// </summary>
public sealed class Orthogonalize : Op
{
    /// <summary>The QR factorisation runs on the host.</summary>
    public override bool RunsOnHost => true;

    /// <summary>The shape of the orthogonal matrix (or stack of them) to produce.</summary>
    public required Shape Shape { get; init; }

    /// <summary>The factor the orthogonal matrix is multiplied by (Keras's gain, 1 by default).</summary>
    public double Gain { get; init; } = 1;

    /// <inheritdoc/>
    public override bool IsDifferentiable => false;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => x[0].Rank == 2 && x[0][0] >= x[0][1] && x[0].Size == Shape.Size
        ? [Shape]
        : throw new ShapeException($"Orthogonalize needs a tall matrix of {Shape.Size} elements, got {x[0]}.");

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y)
    {
        int tall = x[0].Shape[0], wide = x[0].Shape[1];
        var a = Matrix<double>.Build.Dense(tall, wide, (i, j) => x[0].GetDouble(i * wide + j));
        var qr = a.QR(QRMethod.Thin);
        var q = qr.Q;
        for (int j = 0; j < wide; j++)
            if (qr.R[j, j] < 0) q.SetColumn(j, q.Column(j).Negate());

        // The target's rows, flattened over all axes but the last, are Q's rows, or Q's columns when it is wider than tall.
        int cols = Shape[^1];
        bool transpose = cols > Shape.Size / cols;
        for (int k = 0; k < y[0].Size; k++)
        {
            int row = k / cols, col = k % cols;
            y[0].SetDouble(k, Gain * (transpose ? q[col, row] : q[row, col]));
        }
    }
}
