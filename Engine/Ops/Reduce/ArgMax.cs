namespace GraphDL;

/// <summary>The index of the largest (<see cref="ArgMax"/>) or smallest (<see cref="ArgMin"/>) element along an axis, as Int32.</summary>
public abstract class ArgReduceOp : Op
{
    public int Axis { get; init; }

    protected abstract bool Max { get; }

    public override bool IsDifferentiable => false;

    public override string Attributes => $"axis={Axis}";

    public override DType[] InferDTypes(DType[] x) => x[0] == DType.Bool
        ? throw new ArgumentException($"{TypeName} is not defined for Bool.")
        : [DType.Int32];

    public override Shape[] InferShapes(Shape[] x)
    {
        int axis = x[0].NormalizeAxis(Axis);
        return [new Shape(x[0].Dims.ToArray().Where((_, i) => i != axis).ToArray())];
    }

    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.ArgReduce(Max, x[0], x[0].Shape.NormalizeAxis(Axis), y[0]);
}

public sealed class ArgMax : ArgReduceOp { protected override bool Max => true; }

public sealed class ArgMin : ArgReduceOp { protected override bool Max => false; }

public abstract partial class GraphBuilder
{
    public Output ArgMax(Output x, int axis, string? name = null) => AddOp(new ArgMax { Axis = axis }, [x], name);

    public Output ArgMin(Output x, int axis, string? name = null) => AddOp(new ArgMin { Axis = axis }, [x], name);
}
