namespace GraphDL;

/// <summary>
/// TF1's <c>tf.unstack</c> as one node with one output per index along <see cref="Axis"/>, each a copy of that slice
/// without the axis. One node, not a Slice per index, because of the gradient: the douts go back as one Stack, where
/// Slice's gradient would write each dout into a zero tensor of the whole input's size and add them all up, which
/// costs the square of the count (an RNN unrolled over T steps reads its input this way).
/// </summary>
public sealed class Unstack : Op
{
    /// <summary>The axis taken apart, in [0, rank).</summary>
    public int Axis { get; init; }

    /// <summary>The number of outputs: the size of <see cref="Axis"/>.</summary>
    public int Count { get; init; }

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => Count is >= 0 and <= GraphBuilder.MaxPieces
        ? [.. Enumerable.Repeat(x[0], Count)]
        : throw new ShapeException($"Unstack makes between 0 and {GraphBuilder.MaxPieces:N0} tensors, not {Count:N0}.");

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        if (x[0].Rank <= Axis || x[0][Axis] != Count)
            throw new ShapeException($"Unstack of {Count} along axis {Axis} takes a tensor with {Count} there, got {x[0]}.");
        var piece = new Shape([.. x[0].Dims[..Axis], .. x[0].Dims[(Axis + 1)..]]);
        return [.. Enumerable.Repeat(piece, Count)];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y)
    {
        var begins = _begins ??= [.. Enumerable.Range(0, Count).Select(i => { var b = new int[x[0].Shape.Rank]; b[Axis] = i; return b; })];
        for (int i = 0; i < Count; i++)
            be.Slice(x[0], begins[i], WithAxis(y[i]));
    }

    // Each output is filled as the slice of width 1 it is, through a view of it that keeps the axis. The executor hands the
    // node the same buffers every run, so the views are kept beside them and a steady-state run makes no new ones.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Tensor, Tensor> _views = [];
    private int[][]? _begins;

    private Tensor WithAxis(Tensor output)
    {
        if (_views.TryGetValue(output, out var view) && view.IsViewOf(output)) return view;
        view = output.Reshaped(new Shape([.. output.Shape.Dims[..Axis], 1, .. output.Shape.Dims[Axis..]]));
        _views.AddOrUpdate(output, view);
        return view;
    }

    /// <inheritdoc/>
    public override Output?[] Gradient(GradientContext g, IReadOnlyList<Output?> douts) =>
        [g.Stack([.. douts.Select((dout, i) => dout ?? g.ZerosLike(g.Output(i)))], Axis)];

    /// <inheritdoc/>
    public override string Attributes => $"axis={Axis}, num={Count}";
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.unstack</c>: the tensors along <paramref name="axis"/>, each without that axis, so a (3, 2, 4)
    /// tensor unstacks into three (2, 4) tensors at axis 0. Their number is the size of the axis, which must be
    /// known when the graph is built (as TF1 needs it without <c>num</c>). One node with that many outputs; its
    /// gradient stacks the douts back.
    /// </summary>
    /// <param name="value">A tensor of rank 1 or more.</param>
    /// <param name="axis">The axis to take apart, in [-rank, rank); its size, at most <see cref="MaxPieces"/>, must be known.</param>
    /// <param name="name">The node's name ("Unstack" when null).</param>
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
        if (count > MaxPieces)
            throw new ShapeException($"Unstack of '{value.Name}' {shape} along axis {along} would make {count:N0} tensors, more than the {MaxPieces:N0} one call may; use Gather or Slice.");
        var node = AddNode(new Unstack { Axis = along, Count = count }, [value], name ?? nameof(Unstack));
        return [.. Enumerable.Range(0, count).Select(i => node[i])];
    }
}
