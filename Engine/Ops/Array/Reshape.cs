namespace GraphDL;

/// <summary>y = x with a new shape of the same size; one dimension may be -1 and is then inferred. A view: nothing is copied.</summary>
public sealed class Reshape : Op
{
    public required int[] NewShape { get; init; }

    public override string Attributes => $"shape=({string.Join(", ", NewShape)})";

    public override DType[] InferDTypes(DType[] x) => [x[0]];

    public override Shape[] InferShapes(Shape[] x) => [Resolve(x[0], NewShape)];

    public override bool ProducesOwnOutputs => true;

    public override bool OutputIsViewOfInput => true;

    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        y[0] = y[0] is { } previous && previous.IsViewOf(x[0]) ? previous : x[0].Reshaped(Resolve(x[0].Shape, NewShape));

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
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    public override Shape[] InferShapes(Shape[] x)
    {
        if (x[0].IsFullyDefined && x[1].IsFullyDefined && x[0].Size != x[1].Size)
            throw new ShapeException($"Cannot reshape {x[0]} ({x[0].Size} elements) to {x[1]} ({x[1].Size} elements).");
        return [x[1]];
    }

    public override bool ProducesOwnOutputs => true;

    public override bool OutputIsViewOfInput => true;

    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        y[0] = y[0] is { } previous && previous.IsViewOf(x[0]) && previous.Shape == x[1].Shape ? previous : x[0].Reshaped(x[1].Shape);

    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ReshapeLike(dout, g.Input(0)), null];
}

public abstract partial class GraphBuilder
{
    public Output Reshape(Output x, int[] shape, string? name = null) => AddOp(new Reshape { NewShape = shape }, [x], name);

    public Output ReshapeLike(Output x, Output like, string? name = null) => AddOp(new ReshapeLike(), [x, like], name);
}
