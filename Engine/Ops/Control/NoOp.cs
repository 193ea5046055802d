namespace GraphDL;

/// <summary>Does nothing; with control inputs it groups operations into one (TF1's tf.group).</summary>
public sealed class NoOp : Op
{
    /// <summary>It has neither inputs nor outputs, so no gradient can pass through it.</summary>
    public override bool IsDifferentiable => false;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) { }
}

public sealed partial class Graph
{
    /// <summary>An operation that does nothing (tf.no_op); with control dependencies around it, it runs them.</summary>
    public Node NoOp(string? name = null) => AddNode(new NoOp(), [], name);

    /// <summary>One operation that runs all of <paramref name="operations"/> (TF1's tf.group).</summary>
    public Node Group(IEnumerable<Node> operations, string? name = null)
    {
        using (ControlDependencies(operations))
            return AddNode(new NoOp(), [], name ?? "group_deps");
    }

    /// <summary>One operation that runs all of <paramref name="operations"/> (TF1's tf.group): <c>sess.Run(g.Group(trainA, trainB))</c>.</summary>
    public Node Group(params Node[] operations) => Group(operations, null);
}
