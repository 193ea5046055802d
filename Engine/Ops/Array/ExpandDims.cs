namespace GraphDL;

/// <summary>y = x with a new axis of size 1 inserted at <see cref="Axis"/> (-1: last). A view.</summary>
public sealed class ExpandDims : Op
{
    /// <summary>Where the new axis goes, in the output's axes; -1 appends it.</summary>
    public int Axis { get; init; }

    /// <inheritdoc/>
    public override string Attributes => $"axis={Axis}";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        int axis = x[0].NormalizeAxis(Axis, x[0].Rank + 1);
        var dims = x[0].ToArray().ToList();
        dims.Insert(axis, 1);
        return [new Shape(dims.ToArray())];
    }

    /// <inheritdoc/>
    public override bool ProducesOwnOutputs => true;

    /// <inheritdoc/>
    public override bool OutputIsViewOfInput => true;

    /// <inheritdoc/>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        y[0] = y[0] is { } previous && previous.IsViewOf(x[0]) ? previous : x[0].Reshaped(InferShapes([x[0].Shape])[0]);

    /// <summary>dout reshaped back to x's shape.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ReshapeLike(dout, g.Input(0))];
}

/// <summary>y = x without the given axes of size 1 (all of them when none are named). A view.</summary>
public sealed class Squeeze : Op
{
    /// <summary>The axes to drop, each of size 1; null drops every axis of size 1.</summary>
    public int[]? Axes { get; init; }

    /// <inheritdoc/>
    public override string Attributes => Axes is null ? "" : $"axis={string.Join(",", Axes)}";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var s = x[0];
        int[] drop = Axes is null
            ? Enumerable.Range(0, s.Rank).Where(i => s[i] == 1).ToArray()
            : s.NormalizeAxes(Axes);
        foreach (int a in drop)
            if (s[a] != 1 && s[a] != Shape.Unknown)
                throw new ShapeException($"Cannot squeeze axis {a} of shape {s}: its size is {s[a]}, not 1.");
        return [new Shape(s.ToArray().Where((_, i) => !drop.Contains(i)).ToArray())];
    }

    /// <inheritdoc/>
    public override bool ProducesOwnOutputs => true;

    /// <inheritdoc/>
    public override bool OutputIsViewOfInput => true;

    /// <inheritdoc/>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        y[0] = y[0] is { } previous && previous.IsViewOf(x[0]) ? previous : x[0].Reshaped(InferShapes([x[0].Shape])[0]);

    /// <summary>dout reshaped back to x's shape.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ReshapeLike(dout, g.Input(0))];
}

public abstract partial class GraphBuilder
{
    /// <summary>x with a new axis of size 1 at <paramref name="axis"/> (tf.expand_dims): (3,) becomes (1, 3) at 0 and (3, 1) at -1. A view.</summary>
    public Output ExpandDims(Output x, int axis, string? name = null) => AddOp(new ExpandDims { Axis = axis }, [x], name);

    /// <summary>x without the named axes of size 1, or without all of them when none are named (tf.squeeze). A view.</summary>
    public Output Squeeze(Output x, int[]? axes = null, string? name = null) => AddOp(new Squeeze { Axes = axes }, [x], name);
}
