namespace GraphDL;

/// <summary>y = x. Useful to name a value, or to read a variable after a control dependency.</summary>
public sealed class Identity : Op
{
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Copy(x[0], y[0]);

    public override Output?[] Gradient(GradientContext g, Output dout) => [dout];
}

/// <summary>y = x in the forward pass; in the backward pass no gradient flows through it.</summary>
public sealed class StopGradient : Op
{
    public override DType[] InferDTypes(DType[] x) => [x[0]];

    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    public override bool ProducesOwnOutputs => true;

    public override bool OutputIsViewOfInput => true;

    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) => y[0] = x[0];

    /// <summary>Never called: the gradient builder does not walk through this op.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [null];
}

public abstract partial class GraphBuilder
{
    public Output Identity(Output x, string? name = null) => AddOp(new Identity(), [x], name);

    public Output StopGradient(Output x, string? name = null) => AddOp(new StopGradient(), [x], name);
}
