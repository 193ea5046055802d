namespace GraphDL;

/// <summary>y = max(x, 0).</summary>
public sealed class Relu : UnaryOp
{
    /// <inheritdoc/>
    protected override UnaryFn Fn => UnaryFn.Relu;

    /// <summary>
    /// dx = dout where x &gt; 0, else 0: one fused <see cref="ReluGrad"/> node. It reads the mask off y, which is
    /// positive exactly where x is (NaN and -0 included), so that x need not outlive this op: y can then be written
    /// over x's buffer (<see cref="Op.MayOverwriteInput"/>), as TF's gradient also reads the output.
    /// </summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [g.ReluGrad(dout, g.Y)];
}

/// <summary>
/// ReLU's gradient, dx = dout where x > 0 and 0 elsewhere (at 0 too, as TF); x may be ReLU's input or its output,
/// positive at the same places (Relu's gradient passes the output). Composed it is a Greater and a
/// Where; fused it is one pass, which the benchmark shows pays: on a CNN step the pair took about 12 ms of
/// 65-85 ms, on the 784-360-10 MLP about 150 us of 1.4 ms (Bench's mlp_epoch_s is 600 such steps:
/// <c>dotnet run --project Bench -c Release -- --only mlp_epoch_s</c>).
/// </summary>
public sealed class ReluGrad : BinaryOp
{
    /// <inheritdoc/>
    protected override BinaryFn Fn => BinaryFn.ReluGrad;

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => x[0].IsCompatibleWith(x[1])
        ? [x[0].IsFullyDefined ? x[0] : x[1]]
        : throw new ShapeException($"ReluGrad needs dout and x of one shape, got {x[0]} and {x[1]}.");

    /// <summary>Linear in dout with the same mask; piecewise constant in x, so x gets zeros.</summary>
    public override Output?[] Gradient(GradientContext g, Output ddx) => [g.ReluGrad(ddx, g.Input(1)), g.ZerosLike(g.Input(1))];
}

public abstract partial class GraphBuilder
{
    /// <summary>max(x, 0) elementwise (tf.nn.relu).</summary>
    public Output Relu(Output x, string? name = null) => AddOp(new Relu(), [x], name);

    /// <summary>ReLU's gradient as one node: dout where x &gt; 0, else 0 (TF's ReluGrad). Relu's gradient builds it; user code rarely needs it.</summary>
    public Output ReluGrad(Output dout, Output x, string? name = null) => AddOp(new ReluGrad(), [dout, x], name);
}
