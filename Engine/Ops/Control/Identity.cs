namespace GraphDL;

/// <summary>y = x. Useful to name a value, or to read a variable after a control dependency.</summary>
public sealed class Identity : Op
{
    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Copy(x[0], y[0]);

    /// <summary>dx = dout.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [dout];
}

/// <summary>y = x in the forward pass; in the backward pass no gradient flows through it.</summary>
public sealed class StopGradient : Op
{
    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    /// <inheritdoc/>
    public override bool ProducesOwnOutputs => true;

    /// <inheritdoc/>
    public override bool OutputIsViewOfInput => true;

    /// <inheritdoc/>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) => y[0] = x[0];

    /// <summary>Never called: the gradient builder does not walk through this op.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [null];
}

public abstract partial class GraphBuilder
{
    /// <summary>A copy of x (tf.identity): names a value, or reads a variable inside a control-dependency block after an update.</summary>
    public Output Identity(Output x, string? name = null) => AddOp(new Identity(), [x], name);

    /// <summary>x in the forward pass and a wall in the backward pass (tf.stop_gradient): gradients treat it as a constant.</summary>
    public Output StopGradient(Output x, string? name = null) => AddOp(new StopGradient(), [x], name);
}
