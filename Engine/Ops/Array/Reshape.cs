namespace GraphDL;

/// <summary>y = x with a new shape of the same size; one dimension may be -1 and is then inferred. A view: nothing is copied.</summary>
public sealed class Reshape : Op
{
    /// <summary>The target dimensions; at most one is -1, inferred from the size.</summary>
    public required int[] NewShape { get; init; }

    /// <inheritdoc/>
    public override string Attributes => $"shape=({string.Join(", ", NewShape)})";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [Resolve(x[0], NewShape)];

    /// <inheritdoc/>
    public override bool ProducesOwnOutputs => true;

    /// <inheritdoc/>
    public override bool OutputIsViewOfInput => true;

    /// <inheritdoc/>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        y[0] = y[0] is { } previous && previous.IsViewOf(x[0]) ? previous : x[0].Reshaped(Resolve(x[0].Shape, NewShape));

    /// <summary>dout reshaped back to x's run-time shape.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ReshapeLike(dout, g.Input(0))];

    /// <summary>Fills in the -1 of <paramref name="target"/> from the size of <paramref name="from"/>, when that is known.</summary>
    internal static Shape Resolve(Shape from, int[] target)
    {
        int unknownAt = Array.IndexOf(target, -1);
        if (unknownAt >= 0 && Array.LastIndexOf(target, -1) != unknownAt)
            throw new ShapeException($"Reshape target ({string.Join(", ", target)}) may contain at most one -1.");
        long known = target.Where(d => d != -1).Aggregate(1L, (p, d) => p * d);
        if (!from.IsFullyDefined)
            return new Shape(target);
        if (unknownAt < 0)
            return known == from.Size ? new Shape(target)
                : throw new ShapeException($"Cannot reshape {from} ({from.Size} elements) to ({string.Join(", ", target)}) ({known} elements).");
        if (known == 0 || from.Size % known != 0)
            throw new ShapeException($"Cannot reshape {from} ({from.Size} elements) to ({string.Join(", ", target)}): {from.Size} is not a multiple of {known}.");
        var dims = (int[])target.Clone();
        dims[unknownAt] = (int)(from.Size / known);
        return new Shape(dims);
    }
}

/// <summary>y = x viewed with the shape of <c>like</c> (run-time shape; its values are not read): how reshaping ops' gradients undo them.</summary>
public sealed class ReshapeLike : Op
{
    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        if (x[0].IsFullyDefined && x[1].IsFullyDefined && x[0].Size != x[1].Size)
            throw new ShapeException($"Cannot reshape {x[0]} ({x[0].Size} elements) to {x[1]} ({x[1].Size} elements).");
        return [x[1]];
    }

    /// <inheritdoc/>
    public override bool ProducesOwnOutputs => true;

    /// <inheritdoc/>
    public override bool OutputIsViewOfInput => true;

    /// <inheritdoc/>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        y[0] = y[0] is { } previous && previous.IsViewOf(x[0]) && previous.Shape == x[1].Shape ? previous : x[0].Reshaped(x[1].Shape);

    /// <summary>dout reshaped back to x's run-time shape; the shape donor gets none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ReshapeLike(dout, g.Input(0)), null];
}

public abstract partial class GraphBuilder
{
    /// <summary>x with the same elements under a new shape (tf.reshape): <c>g.Reshape(x, [-1, 28, 28, 1])</c>; one dimension may be -1 and is inferred. A view: nothing is copied.</summary>
    public Output Reshape(Output x, int[] shape, string? name = null) => AddOp(new Reshape { NewShape = shape }, [x], name);

    /// <summary>x under the run-time shape of <paramref name="like"/>, whose values are not read: how the gradients of reshaping ops undo them when shapes are known only at run time.</summary>
    public Output ReshapeLike(Output x, Output like, string? name = null) => AddOp(new ReshapeLike(), [x, like], name);
}
