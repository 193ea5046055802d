namespace GraphDL;

/// <summary>
/// y = slices of x along <see cref="Axis"/> picked by Int32 indices (an embedding lookup when Axis = 0).
/// y's shape is x's with that axis replaced by the indices' shape.
/// </summary>
public sealed class Gather : Op
{
    /// <summary>The axis the indices pick along: 0 picks rows (an embedding lookup).</summary>
    public int Axis { get; init; }

    /// <inheritdoc/>
    public override string Attributes => $"axis={Axis}";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => x[1] == DType.Int32
        ? [x[0]]
        : throw new ArgumentException($"Gather needs Int32 indices, got {x[1]}.");

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        int axis = x[0].NormalizeAxis(Axis);
        return [new Shape([.. x[0].Dims[..axis], .. x[1].Dims, .. x[0].Dims[(axis + 1)..]])];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Gather(x[0], x[1], x[0].Shape.NormalizeAxis(Axis), y[0]);

    /// <summary>Rows that were picked get their gradient back, summed where an index repeats; the indices get none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) =>
        [g.AddOp(new GatherGrad { Axis = Axis }, [dout, g.Input(1), g.Input(0)]), null];
}

/// <summary>Gather's gradient: zeros of x's shape (third input, values not read) with dout's slices added at the indices.</summary>
public sealed class GatherGrad : Op
{
    /// <summary>The axis Gather picked along.</summary>
    public int Axis { get; init; }

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating([x[0], x[2]]);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [x[2]];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.GatherGrad(x[0], x[1], x[2].Shape.NormalizeAxis(Axis), y[0]);

    /// <summary>Linear in dout: its gradient gathers the same slices again; the indices and the shape input get none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.Gather(dout, g.Input(1), Axis), null, null];
}

public abstract partial class GraphBuilder
{
    /// <summary>The slices of x along <paramref name="axis"/> picked by Int32 <paramref name="indices"/> (tf.gather); x (V, D) with indices (N, T) gives (N, T, D), an embedding lookup.</summary>
    public Output Gather(Output x, Output indices, int axis = 0, string? name = null) =>
        AddOp(new Gather { Axis = axis }, [x, indices], name);
}
