namespace GraphDL;

/// <summary>
/// Sums x over the axes along which it was broadcast from the shape of <c>like</c> (the second input, whose
/// values are not read): how a broadcasting op's gradient gets back to its input's shape, at run time, so it
/// works when dims are unknown at build time. The inverse of <see cref="BroadcastTo"/>.
/// </summary>
public sealed class SumToShape : Op
{
    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        Shape.Broadcast(x[0], x[1]);   // checks that like broadcasts into x
        return [x[1]];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.SumTo(x[0], y[0]);

    /// <summary>dout broadcast back to x's shape; the shape donor gets none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.BroadcastTo(dout, g.Input(0)), null];
}

/// <summary>Broadcasts x to the shape of <c>like</c> (whose values are not read). The inverse of <see cref="SumToShape"/>.</summary>
public sealed class BroadcastTo : Op
{
    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var result = Shape.Broadcast(x[0], x[1]);
        if (result.Rank != x[1].Rank || !result.IsCompatibleWith(x[1]))
            throw new ShapeException($"{x[0]} does not broadcast to {x[1]}.");
        return [x[1]];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.BroadcastTo(x[0], y[0]);

    /// <summary>dout summed back to x's shape over the broadcast axes; the shape donor gets none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.SumToShape(dout, g.Input(0)), null];
}

/// <summary>The number of elements of x (known at run time), as a scalar of the chosen dtype. Depends on x's shape only.</summary>
public sealed class Size : Op
{
    /// <summary>The result's dtype (Int32 by default; a float to divide by it, as ReduceMean's gradient does).</summary>
    public DType OutType { get; init; } = DType.Int32;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [OutType];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [Shape.Scalar];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Fill(y[0], x[0].Size);

    /// <summary>None: the size depends on x's shape, not on its values.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [null];
}

public abstract partial class GraphBuilder
{
    /// <summary>x broadcast to the run-time shape of <paramref name="like"/>, whose values are not read (tf.broadcast_to with tf.shape(like)).</summary>
    public Output BroadcastTo(Output x, Output like, string? name = null) => AddOp(new BroadcastTo(), [x, like], name);

    /// <summary>The number of elements of x at run time, as a scalar (tf.size); works when the batch size is unknown when building.</summary>
    public Output Size(Output x, DType outType = DType.Int32, string? name = null) => AddOp(new Size { OutType = outType }, [x], name);
}
