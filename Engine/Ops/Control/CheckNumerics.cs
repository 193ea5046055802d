namespace GraphDL;

/// <summary>
/// y = x, after checking that x holds no NaN or infinity (TF1's tf.debugging.check_numerics); otherwise the run
/// stops with an error that names this node, its message and how many elements are bad. The gradient is
/// checked too, so a value that goes bad on the way back is caught at the same place.
/// </summary>
public sealed class CheckNumerics : Op
{
    /// <summary>Said in the error, to tell which check failed: "after the softmax".</summary>
    public required string Message { get; init; }

    /// <inheritdoc/>
    public override string Attributes => $"message=\"{Message}\"";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    /// <inheritdoc/>
    public override bool ProducesOwnOutputs => true;

    /// <inheritdoc/>
    public override bool OutputIsViewOfInput => true;

    private Node _node = null!;

    /// <inheritdoc/>
    protected internal override void OnAdded(Node node) => _node = node;

    /// <inheritdoc/>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y)
    {
        var check = FiniteCheck.Of(x[0]);
        if (!check.AllFinite)
            throw new RunException($"CheckNumerics '{_node.Name}': {Message}: '{_node.Inputs[0].Name}' {x[0].Shape} has {check.Problems}; its finite elements are {check.Range}.", _node);
        y[0] = x[0];
    }

    /// <summary>dout, checked the same way under the message plus " (gradient)".</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.CheckNumerics(dout, $"{Message} (gradient)")];
}

public abstract partial class GraphBuilder
{
    /// <summary>y = x, stopping the run with an error naming this node when x holds a NaN or an infinity.</summary>
    public Output CheckNumerics(Output x, string message, string? name = null) =>
        AddOp(new CheckNumerics { Message = message }, [x], name);
}
