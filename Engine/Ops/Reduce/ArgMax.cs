namespace GraphDL;

/// <summary>The index of the largest (<see cref="ArgMax"/>) or smallest (<see cref="ArgMin"/>) element along an axis, as Int32.</summary>
public abstract class ArgReduceOp : Op
{
    /// <summary>The axis to search along; negative counts from the end.</summary>
    public int Axis { get; init; }

    /// <summary>True to find the largest element, false the smallest.</summary>
    protected abstract bool Max { get; }

    /// <inheritdoc/>
    public override bool IsDifferentiable => false;

    /// <inheritdoc/>
    public override string Attributes => $"axis={Axis}";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => x[0] == DType.Bool
        ? throw new ArgumentException($"{TypeName} is not defined for Bool.")
        : [DType.Int32];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        int axis = x[0].NormalizeAxis(Axis);
        return [new Shape(x[0].Dims.ToArray().Where((_, i) => i != axis).ToArray())];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.ArgReduce(Max, x[0], x[0].Shape.NormalizeAxis(Axis), y[0]);
}

/// <summary>The index of the largest element along an axis (TF's argmax); ties give the first.</summary>
public sealed class ArgMax : ArgReduceOp
{
    /// <inheritdoc/>
    protected override bool Max => true;
}

public abstract partial class GraphBuilder
{
    /// <summary>The Int32 index of the largest element along <paramref name="axis"/>, which disappears (tf.argmax): the predicted class of (N, C) scores is <c>g.ArgMax(scores, 1)</c>, shape (N,). Not differentiable.</summary>
    public Output ArgMax(Output x, int axis, string? name = null) => AddOp(new ArgMax { Axis = axis }, [x], name);
}
