namespace GraphDL;

/// <summary>A tensor of x's run-time shape and dtype filled with one value. Depends on x's shape only.</summary>
public abstract class FillLikeOp : Op
{
    protected abstract double Value { get; }

    public override DType[] InferDTypes(DType[] x) => [x[0]];

    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Fill(y[0], Value);

    public override Output?[] Gradient(GradientContext g, Output dout) => [null];
}

/// <summary>Zeros of x's run-time shape and dtype.</summary>
public sealed class ZerosLike : FillLikeOp { protected override double Value => 0; }

/// <summary>Ones of x's run-time shape and dtype: the seed of every gradient.</summary>
public sealed class OnesLike : FillLikeOp { protected override double Value => 1; }

/// <summary>A tensor of a fixed shape filled with one value (TF's tf.fill, tf.zeros, tf.ones).</summary>
public sealed class Fill : SourceOp
{
    public required Shape Shape { get; init; }

    public DType DType { get; init; } = DType.Float32;

    public double Value { get; init; }

    public override Shape OutputShape => Shape;

    public override DType OutputDType => DType;

    public override string Attributes => $"value={Value}";

    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Fill(y[0], Value);
}

public abstract partial class GraphBuilder
{
    public Output ZerosLike(Output x, string? name = null) => AddOp(new ZerosLike(), [x], name);

    public Output OnesLike(Output x, string? name = null) => AddOp(new OnesLike(), [x], name);

    public Output Fill(Shape shape, double value, DType dtype = DType.Float32, string? name = null) => shape.IsFullyDefined
        ? AddOp(new Fill { Shape = shape, Value = value, DType = dtype }, [], name)
        : throw new ShapeException($"Fill needs a fully known shape, got {shape}; use ZerosLike/OnesLike for run-time shapes.");

    public Output Zeros(Shape shape, DType dtype = DType.Float32, string? name = null) => Fill(shape, 0, dtype, name ?? "zeros");

    public Output Ones(Shape shape, DType dtype = DType.Float32, string? name = null) => Fill(shape, 1, dtype, name ?? "ones");
}
