namespace GraphDL;

/// <summary>A value fixed when the graph is built. The tensor is copied so later changes to the caller's array do not leak in.</summary>
public sealed class Const : SourceOp
{
    /// <summary>A constant holding a copy of <paramref name="value"/>.</summary>
    public Const(Tensor value) => Value = value.Clone();

    /// <summary>The constant's value (the op's own copy).</summary>
    public Tensor Value { get; }

    /// <inheritdoc/>
    public override Shape OutputShape => Value.Shape;

    /// <inheritdoc/>
    public override DType OutputDType => Value.DType;

    /// <inheritdoc/>
    public override string Attributes => Value.Size <= 4 ? $"value={Value}" : "";

    /// <inheritdoc/>
    public override bool ProducesOwnOutputs => true;

    /// <summary>The stored tensor itself is the output: consumers only read it.</summary>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) => y[0] = Value;
}

public abstract partial class GraphBuilder
{
    /// <summary>A value fixed in the graph (tf.constant), copied so later changes to the caller's array do not leak in.</summary>
    public Output Constant(Tensor value, string? name = null) => AddOp(new Const(value), [], name);

    /// <summary>A constant of the given shape with every element set to <paramref name="value"/>.</summary>
    /// <exception cref="ShapeException">The shape has an unknown dimension or more elements than one tensor holds.</exception>
    public Output Constant(double value, Shape shape, DType dtype = DType.Float32, string? name = null)
    {
        Tensor filled;
        try
        {
            filled = Tensor.Filled(shape, dtype, value);
        }
        catch (ShapeException e)
        {
            // The tensor's own message knows nothing of the node it was meant for.
            throw new ShapeException($"Cannot build Const '{name ?? "Const"}': {e.Message}");
        }
        return Constant(filled, name);
    }
}
