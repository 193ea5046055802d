namespace GraphDL;

/// <summary>The attributes Conv2D shares with its two gradient ops: strides and padding.</summary>
public abstract class ConvolutionOp : Op
{
    /// <summary>How many rows the filter moves between outputs (1 by default).</summary>
    public int StrideHeight { get; init; } = 1;

    /// <summary>How many columns the filter moves between outputs (1 by default).</summary>
    public int StrideWidth { get; init; } = 1;

    /// <summary>How the filter treats the border (<see cref="Padding.Valid"/> by default).</summary>
    public Padding Padding { get; init; } = Padding.Valid;

    /// <inheritdoc/>
    public override string Attributes => $"strides=({StrideHeight}, {StrideWidth}), padding={Padding}";

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <summary>
    /// Checks an input (N, H, W, Cin) against a filter (KH, KW, Cin, Cout) and gives the output shape
    /// (N, OH, OW, Cout); dims unknown at build time stay unknown.
    /// </summary>
    protected Shape OutputShape(Shape x, Shape filter)
    {
        Window2D.RequireNhwc(x, "input");
        if (filter.Rank != 4)
            throw new ShapeException($"The filter must have rank 4 (height, width, in channels, out channels), got {filter}.");
        if (x[3] != Shape.Unknown && filter[2] != Shape.Unknown && x[3] != filter[2])
            throw new ShapeException($"The input has {x[3]} channels but the filter {filter} expects {filter[2]}.");
        if (filter[0] == Shape.Unknown || filter[1] == Shape.Unknown)
            return new Shape(x[0], Shape.Unknown, Shape.Unknown, filter[3]);
        var (_, outHeight, outWidth) = Window2D.Over(x, filter[0], filter[1], StrideHeight, StrideWidth, Padding, "filter");
        return new Shape(x[0], outHeight, outWidth, filter[3]);
    }

    /// <summary>The filter's window over an input of run-time shape <paramref name="x"/>.</summary>
    protected Window2D WindowOver(Shape x, Shape filter) =>
        Window2D.Over(x, filter[0], filter[1], StrideHeight, StrideWidth, Padding, "filter").Window;

    /// <summary>A new op of type <typeparamref name="T"/> with this op's strides and padding, for the gradients.</summary>
    protected T Alike<T>() where T : ConvolutionOp, new() =>
        new() { StrideHeight = StrideHeight, StrideWidth = StrideWidth, Padding = Padding };
}

/// <summary>
/// y[n, i, j, k] = Σ_{di, dj, c} x[n, i·sh + di - top, j·sw + dj - left, c] · filter[di, dj, c, k]: the
/// convolution of deep learning (a cross-correlation: the filter is not flipped), in NHWC like TF, with zeros
/// where the window hangs over the padded border.
/// </summary>
public sealed class Conv2D : ConvolutionOp
{
    /// <summary>
    /// The slides' output size (input - filter + 2·padding) / stride + 1, floored as a VALID convolution does
    /// when the filter does not tile the input: 227, 11, stride 4 → 55; 64, 7, stride 2 → 29 (29.5 floored).
    /// </summary>
    public static int OutputSize(int input, int filter, int stride = 1, int padding = 0) =>
        OutputSize(input, filter, stride, padding, padding);

    /// <summary>The output size with different padding before and after.</summary>
    public static int OutputSize(int input, int filter, int stride, int padBefore, int padAfter)
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "A stride must be positive.");
        int span = input + padBefore + padAfter - filter;
        if (span < 0)
            throw new ArgumentException($"A filter of size {filter} does not fit an input of size {input} padded by {padBefore} and {padAfter}.");
        return span / stride + 1;
    }

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [OutputShape(x[0], x[1])];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        be.Conv2D(x[0], x[1], WindowOver(x[0].Shape, x[1].Shape), y[0]);

    /// <summary>dx = the filter slid back over dout (a transposed convolution); dW = x correlated with dout.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output x = g.Input(0), W = g.Input(1);
        return [g.AddOp(Alike<Conv2DBackpropInput>(), [dout, W, x]), g.AddOp(Alike<Conv2DBackpropFilter>(), [x, dout, W])];
    }
}

/// <summary>
/// Conv2D's gradient with respect to its input: dx = Σ over the windows of dout[n, i, j, k] · filter[.., .., .., k]
/// added back where each window read x. Inputs (dout, filter, x), dout being the gradient of the convolution's output; only x's shape is read. It is linear in dout
/// and in the filter, so its own gradient is a Conv2D and a Conv2DBackpropFilter.
/// </summary>
public sealed class Conv2DBackpropInput : ConvolutionOp
{
    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var expected = OutputShape(x[2], x[1]);
        if (!expected.IsCompatibleWith(x[0]))
            throw new ShapeException($"dout {x[0]} does not match the output {expected} of the convolution of {x[2]} by {x[1]}.");
        return [x[2]];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        be.Conv2DBackpropInput(x[0], x[1], WindowOver(x[2].Shape, x[1].Shape), y[0]);

    /// <summary>
    /// With dy the convolution's output gradient this op reads and dout the gradient of its result:
    /// Σ dx·dout = Σ dy·Conv2D(dout, W), so d dy = Conv2D(dout, W) and dW = Conv2DBackpropFilter(dout, dy).
    /// </summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output dy = g.Input(0), W = g.Input(1);
        return [g.AddOp(Alike<Conv2D>(), [dout, W]), g.AddOp(Alike<Conv2DBackpropFilter>(), [dout, dy, W]), null];
    }
}

/// <summary>
/// Conv2D's gradient with respect to its filter: dW[di, dj, c, k] = Σ_{n, i, j} x[n, i·sh + di - top, j·sw + dj - left, c]
/// · dout[n, i, j, k]. Inputs (x, dout, filter), dout being the gradient of the convolution's output; only the filter's shape is read. Its own gradient is a
/// Conv2DBackpropInput and a Conv2D.
/// </summary>
public sealed class Conv2DBackpropFilter : ConvolutionOp
{
    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var expected = OutputShape(x[0], x[2]);
        if (!expected.IsCompatibleWith(x[1]))
            throw new ShapeException($"dout {x[1]} does not match the output {expected} of the convolution of {x[0]} by {x[2]}.");
        return [x[2]];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        be.Conv2DBackpropFilter(x[0], x[1], WindowOver(x[0].Shape, x[2].Shape), y[0]);

    /// <summary>
    /// With dy the convolution's output gradient this op reads and dout the gradient of its result:
    /// Σ dW·dout = Σ dy·Conv2D(x, dout), so dx = Conv2DBackpropInput(dy, dout) and d dy = Conv2D(x, dout).
    /// </summary>
    public override Output?[] Gradient(GradientContext g, Output dout)
    {
        Output x = g.Input(0), dy = g.Input(1);
        return [g.AddOp(Alike<Conv2DBackpropInput>(), [dy, dout, x]), g.AddOp(Alike<Conv2D>(), [x, dout]), null];
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF's conv2d: input (N, H, W, Cin) and filter (KH, KW, Cin, Cout) give (N, OH, OW, Cout). The padding is
    /// <see cref="Padding.Valid"/> unless given.
    /// </summary>
    public Output Conv2D(Output input, Output filter, int stride = 1, Padding? padding = null, string? name = null) =>
        Conv2D(input, filter, (stride, stride), padding, name);

    /// <summary>Conv2D with different vertical and horizontal strides.</summary>
    public Output Conv2D(Output input, Output filter, (int Height, int Width) strides, Padding? padding = null, string? name = null) =>
        AddOp(new Conv2D { StrideHeight = strides.Height, StrideWidth = strides.Width, Padding = padding ?? Padding.Valid },
            [input, filter], name);
}
