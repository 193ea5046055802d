namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.unstack</c>: the tensors along <paramref name="axis"/>, each without that axis, so a (3, 2, 4)
    /// tensor unstacks into three (2, 4) tensors at axis 0. Their number is the size of the axis, which must be
    /// known when the graph is built (as TF1 needs it without <c>num</c>). Each is a Slice of width 1 and a
    /// Squeeze, whose gradients write dout back into its place; no kernel of its own.
    /// </summary>
    /// <param name="value">A tensor of rank 1 or more.</param>
    /// <param name="axis">The axis to take apart, in [-rank, rank).</param>
    /// <param name="name">The name of the first result ("Unstack" when null); the others get suffixes _1, _2, ...</param>
    public Output[] Unstack(Output value, int axis = 0, string? name = null)
    {
        var shape = value.Shape;
        if (shape.Rank == 0)
            throw new ShapeException($"Unstack needs a tensor of rank 1 or more; '{value.Name}' is a scalar.");
        if (axis < -shape.Rank || axis >= shape.Rank)
            throw new ShapeException($"Unstack of '{value.Name}' {shape} takes an axis in [{-shape.Rank}, {shape.Rank}), got {axis}.");
        int along = axis < 0 ? axis + shape.Rank : axis;
        int count = shape[along];
        if (count == Shape.Unknown)
            throw new ShapeException($"Unstack of '{value.Name}' {shape} needs the size of axis {along} to know how many tensors to make, but it is unknown.");
        var size = Enumerable.Repeat(-1, shape.Rank).ToArray();
        size[along] = 1;
        var result = new Output[count];
        for (int i = 0; i < count; i++)
        {
            var begin = new int[shape.Rank];
            begin[along] = i;
            result[i] = Squeeze(Slice(value, begin, size), [along], name ?? nameof(Unstack));
        }
        return result;
    }
}
