namespace GraphDL;

/// <summary>
/// Reduces over <see cref="Axes"/> (all axes when null); <see cref="KeepDims"/> keeps them as size 1.
/// </summary>
public abstract class ReductionOp : Op
{
    /// <summary>The axes to reduce; null reduces all of them to a scalar.</summary>
    public int[]? Axes { get; init; }

    /// <summary>Keep the reduced axes as size 1 (TF's keepdims), so the result broadcasts against the input.</summary>
    public bool KeepDims { get; init; }

    /// <summary>The reduction the backend applies, which names the CPU loop and the CUDA kernel.</summary>
    protected abstract ReduceFn Fn { get; }

    /// <inheritdoc/>
    public override string Attributes => $"axis={(Axes is null ? "all" : string.Join(",", Axes))}{(KeepDims ? ", keepDims" : "")}";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => x[0] == DType.Bool
        ? throw new ArgumentException($"{TypeName} is not defined for Bool; Cast to a number first.")
        : [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var axes = x[0].NormalizeAxes(Axes);
        var dims = new List<int>();
        for (int i = 0; i < x[0].Rank; i++)
        {
            if (!axes.Contains(i)) dims.Add(x[0][i]);
            else if (KeepDims) dims.Add(1);
        }
        return [new Shape(dims.ToArray())];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Reduce(Fn, x[0], AxesFor(x[0].Shape), y[0]);

    // The normalised axes depend only on the input's rank; remembering the last ones keeps each run allocation-free.
    private sealed record NormalizedAxes(int Rank, int[] Axes);
    private NormalizedAxes? _lastAxes;

    private int[] AxesFor(Shape shape)
    {
        var last = _lastAxes;
        if (last is not null && last.Rank == shape.Rank) return last.Axes;
        var axes = shape.NormalizeAxes(Axes);
        _lastAxes = new NormalizedAxes(shape.Rank, axes);
        return axes;
    }

    /// <summary>
    /// The gradient of a reduction that picks an element (ReduceMax, ReduceMin): dout goes to the elements equal
    /// to the result, split evenly between ties (as in TF). The Equal is a Bool edge, which the gradient builder
    /// does not differentiate, so this gradient is itself differentiable (its own gradient is zero almost everywhere).
    /// </summary>
    protected Output?[] GradientToPickedElements(GradientContext g, Output dout)
    {
        var x = g.Input(0);
        var isPicked = g.Cast(g.Equal(x, g.BroadcastTo(WithReducedAxesKept(g, g.Y), x)), x.DType);
        var ties = g.ReduceSum(isPicked, Axes, keepDims: true);
        return [isPicked / ties * g.BroadcastTo(WithReducedAxesKept(g, dout), x)];
    }

    /// <summary>dout with the reduced axes put back as size 1, ready to broadcast against the input.</summary>
    protected Output WithReducedAxesKept(GradientContext g, Output dout)
    {
        if (KeepDims) return dout;
        foreach (int axis in g.Input(0).Shape.NormalizeAxes(Axes)) dout = g.ExpandDims(dout, axis);
        return dout;
    }
}
