namespace GraphDL;

/// <summary>A value fed at run time (TF1's tf.placeholder); dims of -1 take any size. Running without a feed is an error.</summary>
public sealed class Placeholder : SourceOp
{
    /// <summary>The shape a feed must have; -1 dimensions take any size.</summary>
    public required Shape Shape { get; init; }

    /// <summary>The dtype a feed must have (Float32 by default).</summary>
    public DType DType { get; init; } = DType.Float32;

    /// <inheritdoc/>
    public override Shape OutputShape => Shape;

    /// <inheritdoc/>
    public override DType OutputDType => DType;

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        throw new InvalidOperationException("A placeholder must be fed.");
}

public abstract partial class GraphBuilder
{
    /// <summary>A value fed at every run (tf.placeholder): <c>g.Placeholder(DType.Float32, new Shape(-1, 784), "x")</c> takes batches of any size; a run that needs it without a feed fails naming it.</summary>
    public Output Placeholder(DType dtype, Shape shape, string? name = null) =>
        AddOp(new Placeholder { Shape = shape, DType = dtype }, [], name);
}
