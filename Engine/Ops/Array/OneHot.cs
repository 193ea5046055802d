namespace GraphDL;

/// <summary>y[..., k] = on where k equals the Int32 index, off elsewhere; a new last axis of size <see cref="Depth"/>.</summary>
public sealed class OneHot : Op
{
    public required int Depth { get; init; }

    public double On { get; init; } = 1;

    public double Off { get; init; }

    public DType OutType { get; init; } = DType.Float32;

    public override bool IsDifferentiable => false;

    public override string Attributes => $"depth={Depth}";

    public override DType[] InferDTypes(DType[] x) => x[0] == DType.Int32
        ? [OutType]
        : throw new ArgumentException($"OneHot needs Int32 indices, got {x[0]}.");

    public override Shape[] InferShapes(Shape[] x) => Depth > 0
        ? [new Shape([.. x[0].Dims, Depth])]
        : throw new ShapeException($"OneHot depth must be positive, got {Depth}.");

    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.OneHot(x[0], On, Off, y[0]);
}

public abstract partial class GraphBuilder
{
    public Output OneHot(Output indices, int depth, double on = 1, double off = 0, DType dtype = DType.Float32, string? name = null) =>
        AddOp(new OneHot { Depth = depth, On = on, Off = off, OutType = dtype }, [indices], name);
}
