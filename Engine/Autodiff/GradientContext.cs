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
    /// undone. Skipped when the shapes are sure to agree when run, where it would only copy.
    /// </summary>
    public Output SumToShape(Output grad, Output like) =>
        SameShapeWhenRun(grad, like) ? grad : AddOp(new SumToShape(), [grad, like]);

    /// <summary>
    /// True when the static shapes agree and are fully known; or when they agree with unknown dims (a batch of -1),
    /// grad has the shape of an elementwise op's output and the op's other inputs are fully known. Then along each
    /// unknown axis the others are 1 or absent (a known size there would have made the output's dim known), so the
    /// output, and with it grad, takes like's size: a bias added to a batch of activations passes its gradient on to
    /// the activations without a (batch, width) copy.
    /// </summary>
    private bool SameShapeWhenRun(Output grad, Output like)
    {
        if (grad.Shape != like.Shape) return false;
        if (grad.Shape.IsFullyDefined) return true;
        return Node.Op is BinaryOp && grad.Shape == Node[0].Shape && Node.Inputs.All(input => input == like || input.Shape.IsFullyDefined);
    }
}
