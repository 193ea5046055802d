namespace GraphDL;

/// <summary>
/// The slide's LSTM cell. One matrix product of [x_t, h_{t-1}] with the stacked weights gives a (batch, 4 * units)
/// block that is cut four ways into the gates:
/// <code>
///   i = σ(·)   input gate       how much of the candidate to write
///   f = σ(·)   forget gate      how much of c_{t-1} to keep
///   g = tanh(·) candidate       what to write
///   o = σ(·)   output gate      how much of the cell to show
///   c_t = f * c_{t-1} + i * g
///   h_t = o * tanh(c_t)
/// </code>
/// c is the "conveyor belt": its gradient flows back through f only, not through a weight matrix and a squashing
/// function at every step, which is why an LSTM remembers longer than a simple RNN.
/// </summary>
/// <remarks>
/// Conventions are Keras's, so its weights would fit unchanged: the four column blocks are in the order
/// i, f, g, o (Keras calls g "c"; the slide lists i, f, o, g, which is only another order of the same blocks);
/// the weights are kernel (features, 4 * units), Glorot-uniform, recurrent_kernel (units, 4 * units), orthogonal,
/// and bias (4 * units), zeros except the forget gate's block, which starts at 1 (Keras's unit_forget_bias)
/// so that a fresh cell keeps its memory rather than forgetting it. The gates use the logistic sigmoid, as in the
/// slide's formulas and tf.keras (old Keras defaulted to a piecewise-linear "hard" sigmoid).
/// </remarks>
public sealed class LstmCell : RnnCell
{
    private readonly bool _unitForgetBias;
    private Output? _stackedKernel;

    /// <summary>A cell whose variables are created at its first call.</summary>
    /// <param name="units">The size of h and c.</param>
    /// <param name="name">The name scope of its variables.</param>
    /// <param name="seed">The seed of the kernel's draws (the recurrent kernel uses seed + 1); null leaves it to the graph seed.</param>
    /// <param name="unitForgetBias">Start the forget gate's bias at 1 instead of 0.</param>
    /// <param name="fused">Compute each step's gates and cell update in one <see cref="GraphDL.LstmBlockCell"/> node (the default); false unrolls them into slices, activations and products.</param>
    public LstmCell(int units, string name = "lstm_cell", int? seed = null, bool unitForgetBias = true, bool fused = true)
        : base(units, name, seed)
    {
        _unitForgetBias = unitForgetBias;
        Fused = fused;
    }

    /// <summary>
    /// True (the default) when each step's gates and cell update are one <see cref="GraphDL.LstmBlockCell"/> node and its
    /// gradient one <see cref="LstmBlockCellGrad"/>; false for the same equations as separate graph ops, node by node.
    /// Both give the same numbers within float rounding; the fused form is faster.
    /// </summary>
    public bool Fused { get; }

    /// <summary>A cell over existing weights: kernel (features, 4u), recurrent kernel (u, 4u), bias (4u), blocks in the order i, f, g, o.</summary>
    public static LstmCell FromWeights(Output kernel, Output recurrentKernel, Output bias, string name = "lstm_cell", bool fused = true)
    {
        if (kernel.Shape.Rank != 2 || kernel.Shape[1] % 4 != 0)
            throw new ShapeException($"The LSTM kernel '{kernel.Name}' should be (features, 4 * units), got {kernel.Shape}.");
        int features = kernel.Shape[0], units = kernel.Shape[1] / 4;
        Require(recurrentKernel, "recurrent kernel", units, 4 * units);
        Require(bias, "bias", 4 * units);
        var cell = new LstmCell(units, name, fused: fused);
        cell.UseWeights(features, kernel, recurrentKernel, bias);
        return cell;
    }

    /// <inheritdoc/>
    public override int StateCount => 2;

    /// <summary>W_x of all four gates, (features, 4 * units).</summary>
    public Output Kernel => Weights[0];

    /// <summary>W_h of all four gates, (units, 4 * units).</summary>
    public Output RecurrentKernel => Weights[1];

    /// <summary>b of all four gates, (4 * units).</summary>
    public Output Bias => Weights[2];

    /// <inheritdoc/>
    protected override Output[] CreateWeights(Graph g, int inputSize, DType dtype) =>
        KerasWeights(g, inputSize, dtype, blocks: 4, bias: new LstmBiasInit(Units, _unitForgetBias));

    /// <inheritdoc/>
    protected override (Output Output, Output[] State) Step(Output x, Output[]? state)
    {
        var g = x.Graph;
        // With the zero state, [x, 0] W is just x W_x: the first step of an unroll skips the recurrent half.
        var z = state is null
            ? g.MatMul(x, Kernel)
            : g.MatMul(g.Concat([x, state[1]], axis: 1), StackedKernel(g));
        z += Bias;

        var (c, h) = Fused ? g.LstmBlockCell(z, state?[0]) : GraphDL.LstmBlockCell.Compose(g, z, state?[0], Units);
        return (h, [c, h]);
    }

    /// <inheritdoc/>
    protected override void ForgetCachedNodesFrom(int nodeCount)
    {
        if (_stackedKernel is { } stacked && stacked.Node.Id >= nodeCount) _stackedKernel = null;
    }

    /// <summary>[W_x; W_h], built once and read by every step, so [x_t, h_{t-1}] needs a single product.</summary>
    private Output StackedKernel(Graph g) => _stackedKernel ??= g.Concat([Kernel, RecurrentKernel], axis: 0, "stacked_kernel");
}

/// <summary>An LSTM's bias, (4 * units) in the gate order i, f, g, o: zeros, with the forget gate's block at 1 when <paramref name="UnitForgetBias"/>.</summary>
public sealed record LstmBiasInit(int Units, bool UnitForgetBias = true) : Initializer(new Shape(4 * Units))
{
    /// <inheritdoc/>
    public override Output Build(GraphBuilder g)
    {
        var bias = new Tensor(Shape, DType);
        if (UnitForgetBias)
            for (int k = Units; k < 2 * Units; k++) bias.SetDouble(k, 1);
        return g.Constant(bias, UnitForgetBias ? "unit_forget_bias" : "zeros");
    }
}
