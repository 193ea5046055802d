namespace GraphDL;

/// <summary>A value fed at run time (TF1's tf.placeholder); dims of -1 take any size. Running without a feed is an error.</summary>
public sealed class Placeholder : SourceOp
{
    public required Shape Shape { get; init; }

    public DType DType { get; init; } = DType.Float32;

    public override Shape OutputShape => Shape;

    public override DType OutputDType => DType;

    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        throw new InvalidOperationException("A placeholder must be fed.");
}

public abstract partial class GraphBuilder
{
    public Output Placeholder(DType dtype, Shape shape, string? name = null) =>
        AddOp(new Placeholder { Shape = shape, DType = dtype }, [], name);
}
