namespace GraphDL;

/// <summary>y = x converted to another dtype (floats to Int32 truncate toward zero; Bool becomes 0/1).</summary>
public sealed class Cast : Op
{
    /// <summary>The dtype to convert to.</summary>
    public DType To { get; init; }

    /// <inheritdoc/>
    public override string Attributes => $"to={To}";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [To];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Cast(x[0], y[0]);

    /// <summary>
    /// The gradient is cast back to a float input; an Int32 or Bool input gets none, since such a tensor carries
    /// no gradient (TF1). A loss that reaches the variables only that way still fails, in the gradient builder.
    /// </summary>
    public override Output?[] Gradient(GradientContext g, Output dout) =>
        [g.Input(0).DType.IsFloating() ? g.Cast(dout, g.Input(0).DType) : null];
}

public abstract partial class GraphBuilder
{
    /// <summary>x converted to dtype <paramref name="to"/> (tf.cast): floats to Int32 truncate toward zero, Bool becomes 0/1; x itself when it already has that dtype and no name is asked for.</summary>
    public Output Cast(Output x, DType to, string? name = null) =>
        x.DType == to && name is null ? x : AddOp(new Cast { To = to }, [x], name);
}
