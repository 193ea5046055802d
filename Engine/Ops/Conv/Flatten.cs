namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// x of shape (N, d1, d2, ...) viewed as (N, d1·d2·...): what sits between the last convolution or pooling and
    /// the first dense layer. A Reshape, so nothing is copied; the sizes after the batch axis must be known.
    /// </summary>
    public Output Flatten(Output x, string? name = null)
    {
        var shape = x.Shape;
        if (shape.Rank < 1)
            throw new ShapeException($"Flatten needs a batch axis; '{x.Name}' is a scalar.");
        for (int axis = 1; axis < shape.Rank; axis++)
            if (shape[axis] == Shape.Unknown)
                throw new ShapeException($"Flatten needs the size of every axis after the batch axis; '{x.Name}' has shape {shape}.");
        return Composite(nameof(Flatten), name, [x], () => Reshape(x, [-1, shape.SizeOf(1, shape.Rank)], name ?? "Flatten"));
    }
}
