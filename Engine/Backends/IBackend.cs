namespace GraphDL;

/// <summary>Elementwise functions of one argument; each has a CPU loop and a CUDA kernel of the same name.</summary>
public enum UnaryFn
{
    /// <summary>x, unchanged.</summary>
    Identity,
    /// <summary>-x.</summary>
    Neg,
    /// <summary>|x|.</summary>
    Abs,
    /// <summary>-1, 0 or 1 by the sign of x.</summary>
    Sign,
    /// <summary>x².</summary>
    Square,
    /// <summary>√x.</summary>
    Sqrt,
    /// <summary>1 / √x.</summary>
    Rsqrt,
    /// <summary>1 / x.</summary>
    Reciprocal,
    /// <summary>eˣ.</summary>
    Exp,
    /// <summary>The natural logarithm, ln x.</summary>
    Log,
    /// <summary>sin x (radians).</summary>
    Sin,
    /// <summary>cos x (radians).</summary>
    Cos,
    /// <summary>The largest integer not above x.</summary>
    Floor,
    /// <summary>σ(x) = 1 / (1 + e⁻ˣ).</summary>
    Sigmoid,
    /// <summary>tanh x.</summary>
    Tanh,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>1 for x &gt;= 0, else 0: the perceptron's activation.</summary>
    Step,
    /// <summary>ln(1 + eˣ), computed without overflow for large x.</summary>
    Softplus,
    /// <summary>max(x, alpha x); alpha is the parameter.</summary>
    LeakyRelu,
    /// <summary>x for x &gt; 0, alpha (e^x - 1) otherwise; alpha is the parameter.</summary>
    Elu,
    /// <summary>tan x (radians).</summary>
    Tan,
    /// <summary>arctan x, in (-π/2, π/2).</summary>
    Atan,
    /// <summary>ln(1 + x), accurate for x near 0 where 1 + x would round away x's digits.</summary>
    Log1p,
    /// <summary>eˣ - 1, accurate for x near 0 where eˣ rounds to about 1.</summary>
    Expm1,
    /// <summary>The nearest integer, halves to the even one (2.5 gives 2, -0.5 gives -0).</summary>
    Round,
}

/// <summary>Elementwise functions of two operands with broadcasting.</summary>
public enum BinaryFn
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a - b.</summary>
    Sub,
    /// <summary>a * b.</summary>
    Mul,
    /// <summary>a / b.</summary>
    Div,
    /// <summary>a raised to the power b.</summary>
    Pow,
    /// <summary>The larger of a and b.</summary>
    Maximum,
    /// <summary>The smaller of a and b.</summary>
    Minimum,
    /// <summary>(a - b)².</summary>
    SquaredDifference,
    /// <summary>ReLU's gradient: ReluGrad(dout, x) = x &gt; 0 ? dout : 0.</summary>
    ReluGrad,
}

/// <summary>Elementwise comparisons with broadcasting; the result is Bool.</summary>
public enum CompareFn
{
    /// <summary>a == b.</summary>
    Equal,
    /// <summary>a != b.</summary>
    NotEqual,
    /// <summary>a &lt; b.</summary>
    Less,
    /// <summary>a &lt;= b.</summary>
    LessEqual,
    /// <summary>a &gt; b.</summary>
    Greater,
    /// <summary>a &gt;= b.</summary>
    GreaterEqual,
}

/// <summary>The reductions along axes; each has a CPU loop and a CUDA kernel of the same name.</summary>
public enum ReduceFn
{
    /// <summary>The sum (TF1's reduce_sum).</summary>
    Sum,
    /// <summary>The arithmetic mean (TF1's reduce_mean).</summary>
    Mean,
    /// <summary>The largest element (TF1's reduce_max).</summary>
    Max,
    /// <summary>The smallest element (TF1's reduce_min).</summary>
    Min,
    /// <summary>The product (TF1's reduce_prod); 1 over no elements.</summary>
    Prod,
    /// <summary>Logical or of Bool elements (TF1's reduce_any); false over no elements.</summary>
    Any,
    /// <summary>Logical and of Bool elements (TF1's reduce_all); true over no elements.</summary>
    All,
}

/// <summary>
/// The device primitives every op's forward pass is written against. A backend implements each once
/// (CPU: MathNet + TensorPrimitives; CUDA: kernels of the same names). Outputs are preallocated with the
/// right shape and dtype; primitives never allocate them.
/// </summary>
public interface IBackend
{
    /// <summary>What the backend is, for messages and the Tour's table: "CPU", "CUDA (NVIDIA H100 ...)".</summary>
    string Name { get; }

    /// <summary>A new tensor in this backend's memory: a zero-filled array on the CPU, uninitialised device memory on a GPU.</summary>
    Tensor Allocate(Shape shape, DType dtype) => new(shape, dtype);

    /// <summary>
    /// True when this backend's tensors live in device memory (<see cref="Tensor.DeviceStorage"/>): a session then
    /// copies feeds in and fetches out once per run, and keeps variables and intermediate values on the device.
    /// </summary>
    bool UsesDeviceMemory => false;

    /// <summary>
    /// The host backend that runs a node this one cannot: a primitive that throws <see cref="MissingKernelException"/>,
    /// or an op that must run on the host (<see cref="Op.RunsOnHost"/>). A host backend is its own.
    /// </summary>
    IBackend Host => this;

    /// <summary>
    /// y = op(a) op(b), op = transpose or not, for float matrices; for rank 3 and more, one product per matrix over
    /// the last two axes, the leading (batch) axes of a and b broadcasting into y's.
    /// </summary>
    void MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB, Tensor y);

    /// <summary>y = fn(x) elementwise; <paramref name="alpha"/> parameterises LeakyRelu and Elu.</summary>
    void Unary(UnaryFn fn, Tensor x, Tensor y, double alpha = 0);

    /// <summary>y = fn(a, b) with broadcasting into y's shape.</summary>
    void Binary(BinaryFn fn, Tensor a, Tensor b, Tensor y);

    /// <summary>y = fn(a, b) as Bool, with broadcasting.</summary>
    void Compare(CompareFn fn, Tensor a, Tensor b, Tensor y);

    /// <summary>y = condition ? a : b, all three broadcast into y's shape.</summary>
    void Where(Tensor condition, Tensor a, Tensor b, Tensor y);

    /// <summary>y = converted x (Bool converts to 0/1).</summary>
    void Cast(Tensor x, Tensor y);

    /// <summary>y = x, element for element (same dtype and size), both in this backend's memory.</summary>
    void Copy(Tensor x, Tensor y);

    /// <summary>Sets every element of y to <paramref name="value"/>, converted to y's dtype.</summary>
    void Fill(Tensor y, double value);

    /// <summary>y = x[0] + x[1] + ... (same shapes).</summary>
    void AddN(IReadOnlyList<Tensor> x, Tensor y);

    /// <summary>Reduces the sorted, distinct <paramref name="axes"/> of x; y has x's shape with those axes dropped or set to 1.</summary>
    void Reduce(ReduceFn fn, Tensor x, int[] axes, Tensor y);

    /// <summary>Index of the largest (or smallest) element along <paramref name="axis"/>, as Int32.</summary>
    void ArgReduce(bool max, Tensor x, int axis, Tensor y);

    /// <summary>Sums x over the axes along which it was broadcast from y's shape (NumPy rules).</summary>
    void SumTo(Tensor x, Tensor y);

    /// <summary>Broadcasts x into y's shape (NumPy rules).</summary>
    void BroadcastTo(Tensor x, Tensor y);

    /// <summary>Softmax along the last axis, shifted by the row maximum so large logits do not overflow.</summary>
    void Softmax(Tensor x, Tensor y);

    /// <summary>log(softmax(x)) along the last axis, computed as x - max - log(sum(exp(x - max))).</summary>
    void LogSoftmax(Tensor x, Tensor y);

    /// <summary>loss[i] = -sum_k labels[i,k] log softmax(logits)[i,k], for every row of the last axis.</summary>
    void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss);

    /// <summary>loss[i] = -log softmax(logits)[i, labels[i]]; labels are Int32 class indices.</summary>
    void SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss);

    /// <summary>y = max(x, 0) - x z + log(1 + exp(-|x|)), the stable form of -z log σ(x) - (1 - z) log(1 - σ(x)).</summary>
    void SigmoidCrossEntropy(Tensor logits, Tensor labels, Tensor y);

    /// <summary>y = x with its axes permuted: y's axis i is x's axis perm[i].</summary>
    void Transpose(Tensor x, int[] perm, Tensor y);

    /// <summary>Joins the inputs along <paramref name="axis"/>.</summary>
    void Concat(IReadOnlyList<Tensor> x, int axis, Tensor y);

    /// <summary>y = the block of x starting at <paramref name="begin"/> with y's shape.</summary>
    void Slice(Tensor x, int[] begin, Tensor y);

    /// <summary>The gradient of Slice: y = zeros of y's shape with x written at <paramref name="begin"/>.</summary>
    void SliceGrad(Tensor dout, int[] begin, Tensor dx);

    /// <summary>y = slices of x along <paramref name="axis"/> picked by the Int32 <paramref name="indices"/>.</summary>
    void Gather(Tensor x, Tensor indices, int axis, Tensor y);

    /// <summary>The gradient of Gather: dx = zeros, then dout's slices added at their indices (repeats add up).</summary>
    void GatherGrad(Tensor dout, Tensor indices, int axis, Tensor dx);

    /// <summary>y[..., k] = k == indices[...] ? on : off.</summary>
    void OneHot(Tensor indices, double on, double off, Tensor y);

    /// <summary>y = x repeated multiples[i] times along axis i.</summary>
    void Tile(Tensor x, Tensor y);

    /// <summary>The gradient of Tile: dx = the sum of dout's tiles.</summary>
    void TileGrad(Tensor dout, Tensor dx);

    /// <summary>
    /// y = x with <paramref name="before"/>[a] cells ahead of it along each axis a and as many after as y's shape
    /// leaves: <paramref name="constantValue"/> in Constant mode, x's mirror image in Reflect (without the edge)
    /// and Symmetric (with it) mode.
    /// </summary>
    void Pad(Tensor x, int[] before, PadMode mode, double constantValue, Tensor y);

    /// <summary>The gradient of Pad: dx[i] = the sum of dout over the cells of the padded tensor that read x[i] (Constant: dout's block at <paramref name="before"/>).</summary>
    void PadGrad(Tensor dout, int[] before, PadMode mode, Tensor dx);

    // Convolution and pooling over NHWC tensors: the window gives the filter or pool size, the strides and the zeros
    // before the first row and column; the input's and output's heights and widths come from the tensors.

    /// <summary>y (N, OH, OW, Cout) = x (N, H, W, Cin) cross-correlated with filter (KH, KW, Cin, Cout).</summary>
    void Conv2D(Tensor x, Tensor filter, Window2D window, Tensor y);

    /// <summary>The gradient of Conv2D for its input: dx = dout slid back through the filter, summed where windows overlap.</summary>
    void Conv2DBackpropInput(Tensor dout, Tensor filter, Window2D window, Tensor dx);

    /// <summary>The gradient of Conv2D for its filter: dW = Σ over the batch and the windows of x's window times dout.</summary>
    void Conv2DBackpropFilter(Tensor x, Tensor dout, Window2D window, Tensor dW);

    /// <summary>y = the maximum of each window of x, channel by channel; padded cells never win.</summary>
    void MaxPool(Tensor x, Window2D window, Tensor y);

    /// <summary>The gradient of MaxPool: dx = zeros with each dout added at its window's (first) maximum in x.</summary>
    void MaxPoolGrad(Tensor x, Tensor dout, Window2D window, Tensor dx);

    /// <summary>The gradient of MaxPoolGrad for dout: y = d read at each window's (first) maximum in x.</summary>
    void MaxPoolGradGrad(Tensor x, Tensor d, Window2D window, Tensor y);

    /// <summary>y = the mean of each window of x, channel by channel, over the cells inside the input.</summary>
    void AvgPool(Tensor x, Window2D window, Tensor y);

    /// <summary>The gradient of AvgPool: each dout shared evenly by the cells its window averaged.</summary>
    void AvgPoolGrad(Tensor dout, Window2D window, Tensor dx);

    // Optimizer updates, in place on the variable and its slots (TF1's Apply* kernels). The hyperparameters are scalar
    // tensors of the variable's dtype, read where the update runs: a learning rate that changes while training (a
    // variable, a placeholder, a schedule) never makes a device wait for the host.

    /// <summary>var -= lr grad.</summary>
    void ApplyGradientDescent(Tensor variable, Tensor lr, Tensor grad);

    /// <summary>accum = momentum accum + grad; var -= lr accum (Nesterov: var -= lr grad + lr momentum accum).</summary>
    void ApplyMomentum(Tensor variable, Tensor accum, Tensor lr, Tensor grad, Tensor momentum, bool nesterov);

    /// <summary>accum += grad²; var -= lr grad / √accum.</summary>
    void ApplyAdagrad(Tensor variable, Tensor accum, Tensor lr, Tensor grad);

    /// <summary>
    /// ms = ρ ms + (1 - ρ) grad²; with a mean-gradient slot mg (centered): mg = ρ mg + (1 - ρ) grad and the
    /// denominator is ms - mg² + ε, else ms + ε; mom = momentum mom + lr grad / √denominator; var -= mom.
    /// </summary>
    void ApplyRmsProp(Tensor variable, Tensor ms, Tensor mom, Tensor? mg, Tensor lr, Tensor rho, Tensor momentum, Tensor epsilon, Tensor grad);

    /// <summary>
    /// lrT = lr √(1 - β₂ᵗ) / (1 - β₁ᵗ), in the variable's precision; m = β₁ m + (1 - β₁) grad; v = β₂ v + (1 - β₂) grad²;
    /// var -= lrT m / (√v + ε).
    /// </summary>
    void ApplyAdam(Tensor variable, Tensor m, Tensor v, Tensor beta1Power, Tensor beta2Power, Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad);

    /// <summary>
    /// accum = ρ accum + (1 - ρ) grad²; update = √(accumUpdate + ε) / √(accum + ε) grad;
    /// accumUpdate = ρ accumUpdate + (1 - ρ) update²; var -= lr update.
    /// </summary>
    void ApplyAdadelta(Tensor variable, Tensor accum, Tensor accumUpdate, Tensor lr, Tensor rho, Tensor epsilon, Tensor grad);

    /// <summary>m = β₁ m + (1 - β₁) grad; u = max(β₂ u, |grad|); var -= lr / (1 - β₁ᵗ) · m / (u + ε).</summary>
    void ApplyAdaMax(Tensor variable, Tensor m, Tensor u, Tensor beta1Power, Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad);

    /// <summary>
    /// Keras's Nadam with Πₜ = momentumSchedule μₜ: m = β₁ m + (1 - β₁) grad; v = β₂ v + (1 - β₂) grad²;
    /// m̄ = (1 - μₜ) grad / (1 - Πₜ) + μₜ₊₁ m / (1 - Πₜ μₜ₊₁); var -= lr m̄ / (√(v / (1 - β₂ᵗ)) + ε).
    /// </summary>
    void ApplyNadam(Tensor variable, Tensor m, Tensor v, Tensor momentumSchedule, Tensor momentum, Tensor nextMomentum, Tensor beta2Power,
                    Tensor lr, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor grad);

    // Recurrent cells: one fused step of an LSTM (TF1's LSTMBlockCell) and its gradient. z (batch, 4 * units) holds the
    // gate pre-activations in the order i, f, g, o; a null cPrev is the zero state.

    /// <summary>c = σ(z_f) cPrev + σ(z_i) tanh(z_g); h = σ(z_o) tanh(c); each (batch, units).</summary>
    void LstmBlockCell(Tensor z, Tensor? cPrev, Tensor c, Tensor h);

    /// <summary>
    /// The gradient of <see cref="LstmBlockCell"/>: with dcTotal = dc + dh σ(z_o) (1 - tanh²(c)), dz's blocks are
    /// dcTotal g i (1 - i), dcTotal cPrev f (1 - f), dcTotal i (1 - g²) and dh tanh(c) o (1 - o), and dcPrev = dcTotal f
    /// (both null without cPrev), the gates and c recomputed from z and cPrev.
    /// </summary>
    void LstmBlockCellGrad(Tensor z, Tensor? cPrev, Tensor dc, Tensor dh, Tensor dz, Tensor? dcPrev);

    // One fused step of a GRU (TF1's GRUBlockCell, reset gate before the product) and its gradient. gates (batch, 2 * units)
    // holds the gate pre-activations in the order z, r; candidateFromX is x W_h + b_h; a null hPrev (and candidateKernel)
    // is the zero state. The product (r hPrev) candidateKernel is taken inside with the backend's own MatMul.

    /// <summary>
    /// z = σ(gates_z), r = σ(gates_r), c = tanh(candidateFromX + (r hPrev) candidateKernel), h = z hPrev + (1 - z) c;
    /// each (batch, units); from the zero state c = tanh(candidateFromX) and h = (1 - z) c.
    /// </summary>
    void GruBlockCell(Tensor gates, Tensor candidateFromX, Tensor? hPrev, Tensor? candidateKernel, Tensor z, Tensor r, Tensor c, Tensor h);

    /// <summary>
    /// The gradient of <see cref="GruBlockCell"/> from its z, r, c and dh: dCandidate = dh (1 - z) (1 - c²); dGates =
    /// [dh (hPrev - c) z (1 - z), d(rh) hPrev r (1 - r)] with d(rh) = dCandidate candidateKernelᵀ; dhPrev = dh z + d(rh) r
    /// (the share outside the gates' product). From the zero state hPrev counts as 0, dGates' r block is 0 and dhPrev is null.
    /// </summary>
    void GruBlockCellGrad(Tensor z, Tensor r, Tensor c, Tensor dh, Tensor? hPrev, Tensor? candidateKernel, Tensor dGates, Tensor dCandidate, Tensor? dhPrev);
}
