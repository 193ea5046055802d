namespace GraphDL;

/// <summary>
/// What an op's gradient sees: the forward node (its inputs and outputs) and a builder. Nodes built while a
/// gradient is built, through this builder or the operators on outputs, are marked as gradient nodes and named
/// under "gradients/&lt;node&gt;_grad/".
/// </summary>
public sealed class GradientContext : GraphBuilder
{
    private readonly Graph _graph;

    internal GradientContext(Graph graph, Node node)
    {
        _graph = graph;
        Node = node;
    }

    /// <inheritdoc/>
    protected override Graph Target => _graph;

    /// <summary>The forward node whose gradient is being built.</summary>
    public Node Node { get; }

    /// <summary>The forward node's input <paramref name="i"/> (x, W, ...).</summary>
    public Output Input(int i) => Node.Inputs[i];

    /// <summary>The forward node's output <paramref name="i"/>, for gradients written in terms of the result (sigmoid: y (1 - y)).</summary>
    public Output Output(int i) => Node[i];

    /// <summary>The forward node's first output.</summary>
    public Output Y => Node[0];

    /// <summary>
    /// Sums a broadcast gradient back to the shape of <paramref name="like"/>: the one place where broadcasting is
    /// undone. Skipped when the static shapes already agree and are fully known.
    /// </summary>
    public Output SumToShape(Output grad, Output like) =>
        grad.Shape.IsFullyDefined && grad.Shape == like.Shape ? grad : AddOp(new SumToShape(), [grad, like]);
}
