namespace GraphDL;

/// <summary>y = x with a new axis of size 1 inserted at <see cref="Axis"/> (-1: last). A view.</summary>
public sealed class ExpandDims : Op
{
    public int Axis { get; init; }

    public override string Attributes => $"axis={Axis}";

    public override DType[] InferDTypes(DType[] x) => [x[0]];

    public override Shape[] InferShapes(Shape[] x)
    {
        int axis = x[0].NormalizeAxis(Axis, x[0].Rank + 1);
        var dims = x[0].ToArray().ToList();
        dims.Insert(axis, 1);
        return [new Shape(dims.ToArray())];
    }

    public override bool ProducesOwnOutputs => true;

    public override bool OutputIsViewOfInput => true;

    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        y[0] = y[0] is { } previous && previous.IsViewOf(x[0]) ? previous : x[0].Reshaped(InferShapes([x[0].Shape])[0]);

    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ReshapeLike(dout, g.Input(0))];
}

/// <summary>y = x without the given axes of size 1 (all of them when none are named). A view.</summary>
public sealed class Squeeze : Op
{
    public int[]? Axes { get; init; }

    public override string Attributes => Axes is null ? "" : $"axis={string.Join(",", Axes)}";

    public override DType[] InferDTypes(DType[] x) => [x[0]];

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

    public override bool ProducesOwnOutputs => true;

    public override bool OutputIsViewOfInput => true;

    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) =>
        y[0] = y[0] is { } previous && previous.IsViewOf(x[0]) ? previous : x[0].Reshaped(InferShapes([x[0].Shape])[0]);

    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ReshapeLike(dout, g.Input(0))];
}

public abstract partial class GraphBuilder
{
    public Output ExpandDims(Output x, int axis, string? name = null) => AddOp(new ExpandDims { Axis = axis }, [x], name);

    public Output Squeeze(Output x, int[]? axes = null, string? name = null) => AddOp(new Squeeze { Axes = axes }, [x], name);
}
