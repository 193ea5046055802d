namespace GraphDL;

/// <summary>y[n, i, j, c] = the mean of x[n, .., .., c] over the window at (i, j), padded cells not counted.</summary>
public sealed class AvgPool : PoolingOp
{
    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [OutputShape(x[0])];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.AvgPool(x[0], WindowOver(x[0].Shape), y[0]);

    /// <summary>Each window's dout is shared evenly by the cells it averaged.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.AddOp(Alike<AvgPoolGrad>(), [dout, g.Input(0)])];
}

/// <summary>
/// AvgPool's gradient: inputs (dy, x), dy being the gradient of the pooled output; only x's shape is read.
/// dx[cell] = Σ over the windows holding the cell of dy / (the number of cells in that window). It is linear and
/// AvgPool is its transpose, so its gradient is AvgPool.
/// </summary>
public sealed class AvgPoolGrad : PoolingOp
{
    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        RequirePooledShape(x[0], x[1], "dout");
        return [x[1]];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.AvgPoolGrad(x[0], WindowOver(x[1].Shape), y[0]);

    /// <summary>Linear in dout: its gradient is the average pooling of the incoming gradient; the shape input gets none.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.AddOp(Alike<AvgPool>(), [dout]), null];
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// Average pooling over square windows of <paramref name="poolSize"/>, moved by <paramref name="stride"/>
    /// (default: the pool size), VALID unless told otherwise.
    /// </summary>
    public Output AvgPool(Output x, int poolSize = 2, int? stride = null, Padding? padding = null, string? name = null) =>
        AvgPool(x, (poolSize, poolSize), stride is int s ? (s, s) : null, padding, name);

    /// <summary>Average pooling with different window and stride sizes along height and width.</summary>
    public Output AvgPool(Output x, (int Height, int Width) poolSize, (int Height, int Width)? strides = null,
        Padding? padding = null, string? name = null) =>
        AddOp(PoolingOp.Create<AvgPool>(poolSize, strides ?? poolSize, padding), [x], name);
}
