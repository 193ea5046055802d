namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// tf.nn.conv1d in its NWC layout: input (batch, width, in channels) and filter (width, in channels, out
    /// channels) give (batch, out width, out channels), y[n, j, k] = Σ_{dj, c} x[n, j·stride + dj - left, c] ·
    /// filter[dj, c, k]. As in TF, it is a Conv2D over images one row high: the input gains a height axis of 1,
    /// the filter a height of 1, and the result loses that axis again, so the gradients are Conv2D's. An explicit
    /// padding may pad only left and right. The padding is <see cref="Padding.Valid"/> unless given.
    /// </summary>
    /// <exception cref="ShapeException">The input or the filter is not of rank 3, their channels differ, or a padding pads the missing height.</exception>
    public Output Conv1D(Output input, Output filter, int stride = 1, Padding? padding = null, string? name = null)
    {
        if (input.Shape.Rank != 3 || filter.Shape.Rank != 3)
            throw new ShapeException(
                $"Conv1D needs an input of rank 3 (batch, width, in channels) and a filter of rank 3 (width, in channels, out channels), " +
                $"got '{input.Name}' {input.Shape} and '{filter.Name}' {filter.Shape}.");
        if (input.Shape[2] != Shape.Unknown && filter.Shape[1] != Shape.Unknown && input.Shape[2] != filter.Shape[1])
            throw new ShapeException(
                $"Conv1D: the input '{input.Name}' {input.Shape} has {input.Shape[2]} channels but the filter '{filter.Name}' {filter.Shape} expects {filter.Shape[1]}.");
        padding ??= Padding.Valid;
        if (padding.Top != 0 || padding.Bottom != 0)
            throw new ShapeException($"Conv1D pads only along the width, got {padding}.");
        return Composite(nameof(Conv1D), name, [input, filter], () =>
        {
            var rows = ExpandDims(input, 1);
            var rowFilter = ExpandDims(filter, 0);
            return Squeeze(Conv2D(rows, rowFilter, (1, stride), padding), [1], name);
        });
    }
}
