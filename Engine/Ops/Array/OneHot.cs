namespace GraphDL;

/// <summary>y[..., k] = on where k equals the Int32 index, off elsewhere; a new last axis of size <see cref="Depth"/>.</summary>
public sealed class OneHot : Op
{
    /// <summary>The number of classes: the size of the new last axis.</summary>
    public required int Depth { get; init; }

    /// <summary>The value at the index (1 by default).</summary>
    public double On { get; init; } = 1;

    /// <summary>The value everywhere else (0 by default).</summary>
    public double Off { get; init; }

    /// <summary>The output's dtype (Float32 by default).</summary>
    public DType OutType { get; init; } = DType.Float32;

    /// <inheritdoc/>
    public override bool IsDifferentiable => false;

    /// <inheritdoc/>
    public override string Attributes => $"depth={Depth}";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => x[0] == DType.Int32
        ? [OutType]
        : throw new ArgumentException($"OneHot needs Int32 indices, got {x[0]}.");

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => Depth > 0
        ? [new Shape([.. x[0].Dims, Depth])]
        : throw new ShapeException($"OneHot depth must be positive, got {Depth}.");

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.OneHot(x[0], On, Off, y[0]);
}

public abstract partial class GraphBuilder
{
    /// <summary>One-hot rows from Int32 class indices (tf.one_hot): indices (...) give (..., depth), <paramref name="on"/> at the index and <paramref name="off"/> elsewhere; an index outside [0, depth) gives a row of off.</summary>
    public Output OneHot(Output indices, int depth, double on = 1, double off = 0, DType dtype = DType.Float32, string? name = null) =>
        AddOp(new OneHot { Depth = depth, On = on, Off = off, OutType = dtype }, [indices], name);
}
