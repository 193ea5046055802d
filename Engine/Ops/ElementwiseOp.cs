namespace GraphDL;

/// <summary>An op that applies one <see cref="UnaryFn"/> to every element; y has x's shape and dtype.</summary>
public abstract class UnaryOp : Op
{
    /// <summary>The function the backend applies, which names the CPU loop and the CUDA kernel.</summary>
    protected abstract UnaryFn Fn { get; }

    /// <summary>The parameter of LeakyRelu and Elu.</summary>
    protected virtual double Alpha => 0;

    /// <summary>Neg, Abs, Sign and Square are also defined on Int32.</summary>
    protected virtual bool AcceptsInt32 => false;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) =>
        AcceptsInt32 && x[0] == DType.Int32 ? [DType.Int32] : RequireFloating(x);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [x[0]];

    /// <summary>y[i] is f(x[i]) on every backend, x[i] read first.</summary>
    public override bool MayOverwriteInput(int index) => index == 0;

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Unary(Fn, x[0], y[0], Alpha);
}

/// <summary>An op that combines two tensors elementwise with NumPy broadcasting.</summary>
public abstract class BinaryOp : Op
{
    /// <summary>The function the backend applies, which names the CPU loop and the CUDA kernel.</summary>
    protected abstract BinaryFn Fn { get; }

    /// <summary>Add, Sub, Mul, Maximum and Minimum are also defined on Int32.</summary>
    protected virtual bool AcceptsInt32 => false;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) =>
        AcceptsInt32 && x[0] == DType.Int32 ? InferDTypesOfOneKind(x) : RequireFloating(x);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [Shape.Broadcast(x[0], x[1])];

    /// <summary>
    /// y[i] is f(a[ia], b[ib]) on every backend; an operand of y's own shape has ia (or ib) = i, and the one that is
    /// broadcast cannot share y's buffer, being smaller.
    /// </summary>
    public override bool MayOverwriteInput(int index) => index is 0 or 1;

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Binary(Fn, x[0], x[1], y[0]);

    /// <summary>
    /// The gradient of an op whose output is one of its inputs, elementwise (Maximum, Minimum): dout goes to a
    /// where <paramref name="aWins"/> holds and to b elsewhere, each summed back over what was broadcast.
    /// </summary>
    protected static Output?[] GradientToWinner(GradientContext g, Output dout, Output aWins)
    {
        Output a = g.Input(0), b = g.Input(1);
        var zeros = g.ZerosLike(dout);
        return [g.SumToShape(g.Where(aWins, dout, zeros), a), g.SumToShape(g.Where(aWins, zeros, dout), b)];
    }
}

/// <summary>An elementwise comparison with broadcasting; the result is Bool and has no gradient.</summary>
public abstract class ComparisonOp : Op
{
    /// <summary>The comparison the backend applies, which names the CPU loop and the CUDA kernel.</summary>
    protected abstract CompareFn Fn { get; }

    /// <inheritdoc/>
    public override bool IsDifferentiable => false;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x)
    {
        InferDTypesOfOneKind(x);
        return [DType.Bool];
    }

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [Shape.Broadcast(x[0], x[1])];

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) => be.Compare(Fn, x[0], x[1], y[0]);
}
