namespace GraphDL;

/// <summary>y[n, i, j, c] = the largest x[n, .., .., c] in the window at (i, j): the slides' max pooling.</summary>
public sealed class MaxPool : PoolingOp
{
    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [OutputShape(x[0])];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.MaxPool(x[0], WindowOver(x[0].Shape), y[0]);

    /// <summary>Each window's dout goes to the element that was its maximum (the first one, when several tie).</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.AddOp(Alike<MaxPoolGrad>(), [g.Input(0), dout])];
}

/// <summary>
/// MaxPool's gradient: inputs (x, dy), dy being the gradient of the pooled output; dx = zeros of x's shape with each
/// dy added at its window's maximum in x. Linear in dy, and constant in x wherever the maxima do not tie.
/// </summary>
public sealed class MaxPoolGrad : PoolingOp
{
    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        RequirePooledShape(x[1], x[0], "dout");
        return [x[0]];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.MaxPoolGrad(x[0], x[1], WindowOver(x[0].Shape), y[0]);

    /// <summary>dx routes dy to the maxima, so the gradient for dy reads dout back from the same places.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [null, g.AddOp(Alike<MaxPoolGradGrad>(), [g.Input(0), dout])];
}

/// <summary>
/// MaxPoolGrad's gradient with respect to dy: inputs (x, d) with d of x's shape; y[n, i, j, c] = d at the place
/// where the window (i, j) of x has its maximum. Its own gradient is MaxPoolGrad again.
/// </summary>
public sealed class MaxPoolGradGrad : PoolingOp
{
    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        if (!x[1].IsCompatibleWith(x[0])) throw new ShapeException($"The gradient {x[1]} must have the input's shape {x[0]}.");
        return [OutputShape(x[0])];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.MaxPoolGradGrad(x[0], x[1], WindowOver(x[0].Shape), y[0]);

    /// <summary>Linear in d: its gradient is MaxPoolGrad of the incoming gradient at the same maxima; x gets none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [null, g.AddOp(Alike<MaxPoolGrad>(), [g.Input(0), dout])];
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// Max pooling over square windows of <paramref name="poolSize"/>, moved by <paramref name="stride"/>
    /// (default: the pool size, so windows do not overlap), VALID unless told otherwise.
    /// </summary>
    public Output MaxPool(Output x, int poolSize = 2, int? stride = null, Padding? padding = null, string? name = null) =>
        MaxPool(x, (poolSize, poolSize), stride is int s ? (s, s) : null, padding, name);

    /// <summary>Max pooling with different window and stride sizes along height and width.</summary>
    public Output MaxPool(Output x, (int Height, int Width) poolSize, (int Height, int Width)? strides = null,
        Padding? padding = null, string? name = null) =>
        AddOp(PoolingOp.Create<MaxPool>(poolSize, strides ?? poolSize, padding), [x], name);
}
