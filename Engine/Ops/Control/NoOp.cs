namespace GraphDL;

/// <summary>Does nothing; with control inputs it groups operations into one (TF1's tf.group).</summary>
public sealed class NoOp : Op
{
    /// <summary>It has neither inputs nor outputs, so no gradient can pass through it.</summary>
    public override bool IsDifferentiable => false;

    public override DType[] InferDTypes(DType[] x) => [];

    public override Shape[] InferShapes(Shape[] x) => [];

    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) { }
}

public sealed partial class Graph
{
    public Node NoOp(string? name = null) => AddNode(new NoOp(), [], name);

    /// <summary>One operation that runs all of <paramref name="operations"/> (TF1's tf.group).</summary>
    public Node Group(IEnumerable<Node> operations, string? name = null)
    {
        using (ControlDependencies(operations))
            return AddNode(new NoOp(), [], name ?? "group_deps");
    }

    public Node Group(params Node[] operations) => Group(operations, null);
}
