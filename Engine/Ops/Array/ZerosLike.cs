namespace GraphDL;

/// <summary>A tensor of x's run-time shape and dtype filled with one value. Depends on x's shape only.</summary>
public abstract class FillLikeOp : Op
{
    /// <summary>The value every element gets.</summary>
    protected abstract double Value { get; }

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Fill(y[0], Value);

    /// <summary>None: the result depends on x's shape, not on its values.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [null];
}

/// <summary>Zeros of x's run-time shape and dtype.</summary>
public sealed class ZerosLike : FillLikeOp
{
    /// <inheritdoc/>
    protected override double Value => 0;
}

/// <summary>Ones of x's run-time shape and dtype: the seed of every gradient.</summary>
public sealed class OnesLike : FillLikeOp
{
    /// <inheritdoc/>
    protected override double Value => 1;
}

/// <summary>A tensor of a fixed shape filled with one value (TF's tf.fill, tf.zeros, tf.ones).</summary>
public sealed class Fill : SourceOp
{
    /// <summary>The output's shape, fully known.</summary>
    public required Shape Shape { get; init; }

    /// <summary>The output's dtype (Float32 by default).</summary>
    public DType DType { get; init; } = DType.Float32;

    /// <summary>The value every element gets.</summary>
    public double Value { get; init; }

    /// <inheritdoc/>
    public override Shape OutputShape => Shape;

    /// <inheritdoc/>
    public override DType OutputDType => DType;

    /// <inheritdoc/>
    public override string Attributes => $"value={Value}";

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Fill(y[0], Value);
}

public abstract partial class GraphBuilder
{
    /// <summary>Zeros of x's run-time shape and dtype (tf.zeros_like); x's values are not read.</summary>
    public Output ZerosLike(Output x, string? name = null) => AddOp(new ZerosLike(), [x], name);

    /// <summary>Ones of x's run-time shape and dtype (tf.ones_like): the seed the gradient builder starts each y from.</summary>
    public Output OnesLike(Output x, string? name = null) => AddOp(new OnesLike(), [x], name);

    /// <summary>A tensor of a fully known shape with every element <paramref name="value"/> (tf.fill); for run-time shapes use <see cref="ZerosLike"/> or <see cref="OnesLike"/>.</summary>
    public Output Fill(Shape shape, double value, DType dtype = DType.Float32, string? name = null) => shape.IsFullyDefined
        ? AddOp(new Fill { Shape = shape, Value = value, DType = dtype }, [], name)
        : throw new ShapeException($"Fill needs a fully known shape, got {shape}; use ZerosLike/OnesLike for run-time shapes.");

    /// <summary>Zeros of a fully known shape (tf.zeros).</summary>
    public Output Zeros(Shape shape, DType dtype = DType.Float32, string? name = null) => Fill(shape, 0, dtype, name ?? "zeros");

    /// <summary>Ones of a fully known shape (tf.ones).</summary>
    public Output Ones(Shape shape, DType dtype = DType.Float32, string? name = null) => Fill(shape, 1, dtype, name ?? "ones");
}
