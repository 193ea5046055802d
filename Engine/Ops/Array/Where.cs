namespace GraphDL;

/// <summary>y = condition ? a : b elementwise, all three broadcast together. The condition gets no gradient.</summary>
public sealed class Where : Op
{
    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x)
    {
        if (x[0] != DType.Bool) throw new ArgumentException($"Where's condition must be Bool, got {x[0]}.");
        return InferDTypesOfOneKind(x[1..]);
    }

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [Shape.Broadcast(x[0], Shape.Broadcast(x[1], x[2]))];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Where(x[0], x[1], x[2], y[0]);

    /// <summary>dout goes to a where the condition holds and to b elsewhere (zeros for the other), each summed back to its shape; the condition gets none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output condition = g.Input(0), a = g.Input(1), b = g.Input(2);
        var zero = g.ScalarLike(0, dout);
        return [null, g.SumToShape(g.Where(condition, dout, zero), a), g.SumToShape(g.Where(condition, zero, dout), b)];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>condition ? a : b elementwise, the three broadcast together (tf.where, TF2's form); the condition is Bool.</summary>
    public Output Where(Output condition, Output a, Output b, string? name = null) => AddOp(new Where(), [condition, a, b], name);
}
