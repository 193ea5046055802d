namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.stack</c>: N tensors of one shape joined along a new axis at <paramref name="axis"/>, so three
    /// (2, 4) tensors stack into (3, 2, 4) at axis 0 and into (2, 4, 3) at axis -1. Built as an ExpandDims of each
    /// value and one Concat along the new axis, whose gradients (a slice of dout for each value, reshaped back)
    /// are the gradient of the stack; no kernel of its own.
    /// </summary>
    /// <param name="values">One or more tensors of one dtype and compatible shapes.</param>
    /// <param name="axis">Where the new axis goes among the result's axes, in [-(rank + 1), rank].</param>
    /// <param name="name">The name of the result; "Stack" when null.</param>
    public Output Stack(IReadOnlyList<Output> values, int axis = 0, string? name = null)
    {
        if (values.Count == 0)
            throw new ArgumentException("Stack needs at least one tensor.", nameof(values));
        for (int i = 1; i < values.Count; i++)
            if (!values[i].Shape.IsCompatibleWith(values[0].Shape))
                throw new ShapeException(
                    $"Stack needs tensors of one shape, but '{values[i].Name}' {values[i].Shape} differs from '{values[0].Name}' {values[0].Shape}.");
        int rank = values[0].Shape.Rank;
        if (axis < -(rank + 1) || axis > rank)
            throw new ShapeException($"Stack of tensors of shape {values[0].Shape} takes an axis in [{-(rank + 1)}, {rank}], got {axis}.");
        int newAxis = axis < 0 ? axis + rank + 1 : axis;
        return Composite(nameof(Stack), name, values, () =>
        {
            var expanded = values.Select(v => ExpandDims(v, newAxis)).ToArray();
            return Concat(expanded, newAxis, name ?? nameof(Stack));
        });
    }
}
