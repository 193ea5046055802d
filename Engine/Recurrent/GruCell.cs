namespace GraphDL;

/// <summary>
/// The gated recurrent unit (Cho et al., 2014): an LSTM with the cell state and the hidden state merged into one h
/// and the input and forget gates tied into one update gate z, so "keep" and "write" always add up to 1:
/// <code>
///   z  = σ(x W_z + h_{t-1} U_z + b_z)              update gate    how much of h_{t-1} to keep
///   r  = σ(x W_r + h_{t-1} U_r + b_r)              reset gate     how much of h_{t-1} the candidate sees
///   h~ = tanh(x W_h + (r * h_{t-1}) U_h + b_h)     candidate
///   h_t = z * h_{t-1} + (1 - z) * h~
/// </code>
/// The output of a step is h_t, and so is the state. This matches tf.keras.layers.GRU / GRUCell (Keras's formulas
/// and weights) and computes what tf.nn.rnn_cell.GRUCell computes (TF1's names and layout differ, see below).
/// </summary>
/// <remarks>
/// <para>
/// The two layouts of the same equations. This cell uses Keras's, which is also <see cref="LstmCell"/>'s:
/// kernel W (features, 3 * units), recurrent_kernel U (units, 3 * units), both with the column blocks in the
/// order z, r, h, and bias (3 * units), zeros; W is Glorot-uniform, U orthogonal.
/// TF1's tf.nn.rnn_cell.GRUCell instead has gates/kernel (features + units, 2 * units) on [x, h_{t-1}] with the
/// blocks in the order r, u (its u is z), gates/bias starting at 1, and candidate/kernel (features + units, units)
/// on [x, r * h_{t-1}] with candidate/bias at 0; its new_h = u * h + (1 - u) * c is the last line above. A TF1
/// checkpoint's weights thus map onto this cell by splitting each kernel's rows into W (the first features rows)
/// and U (the rest) and swapping its two gate blocks.
/// </para>
/// <para>
/// Keras's reset_after (<c>resetAfter: true</c>, TF2 Keras's default and cuDNN's form; TF1-era Keras had false):
/// the reset gate is applied after the recurrent product, and U's product has its own bias, so the bias is
/// (2, 3 * units), row 0 the input bias b and row 1 the recurrent bias b':
/// <code>
///   z  = σ(x W_z + b_z + h_{t-1} U_z + b'_z)
///   r  = σ(x W_r + b_r + h_{t-1} U_r + b'_r)
///   h~ = tanh(x W_h + b_h + r * (h_{t-1} U_h + b'_h))
/// </code>
/// </para>
/// <para>
/// Fused (the default): with the reset gate before the product, each step's gates, candidate and update are one
/// <see cref="GruBlockCell"/> node and its gradient one <see cref="GruBlockCellGrad"/>, fed by the products
/// [x_t, h_{t-1}] [W_zr; U_zr] and x_t W_h. reset_after is not fused: its reset gate multiplies the recurrent product
/// and its second bias, which GruBlockCell's formula (TF1's) does not have, so that form stays unrolled.
/// </para>
/// </remarks>
public sealed class GruCell : RnnCell
{
    private Output? _gatesRecurrentKernel, _candidateRecurrentKernel, _inputBias, _recurrentBias;
    private Output? _gatesKernel, _candidateKernel, _stackedGatesKernel, _gatesBias, _candidateBias;

    /// <summary>A cell whose variables are created at its first call.</summary>
    /// <param name="units">The size of h.</param>
    /// <param name="name">The name scope of its variables.</param>
    /// <param name="seed">The seed of the kernel's draws (the recurrent kernel uses seed + 1); null leaves it to the graph seed.</param>
    /// <param name="resetAfter">Apply the reset gate after the recurrent product, with a second bias (Keras's reset_after).</param>
    /// <param name="fused">Compute each step's gates, candidate and update in one <see cref="GraphDL.GruBlockCell"/> node (the default; reset_after stays unrolled); false unrolls them into slices, activations and products.</param>
    public GruCell(int units, string name = "gru_cell", int? seed = null, bool resetAfter = false, bool fused = true)
        : base(units, name, seed)
    {
        ResetAfter = resetAfter;
        Fused = fused;
    }

    /// <summary>
    /// A cell over existing weights: kernel (features, 3u), recurrent kernel (u, 3u), blocks in the order z, r, h,
    /// and bias (3u), or (2, 3u) with <paramref name="resetAfter"/> (input bias, then recurrent bias).
    /// </summary>
    public static GruCell FromWeights(Output kernel, Output recurrentKernel, Output bias, bool resetAfter = false, string name = "gru_cell", bool fused = true)
    {
        if (kernel.Shape.Rank != 2 || kernel.Shape[1] % 3 != 0 || kernel.Shape[1] == 0)
            throw new ShapeException($"The GRU kernel '{kernel.Name}' should be (features, 3 * units), got {kernel.Shape}.");
        int features = kernel.Shape[0], units = kernel.Shape[1] / 3;
        Require(recurrentKernel, "recurrent kernel", units, 3 * units);
        if (resetAfter) Require(bias, "bias (input bias and recurrent bias, as resetAfter needs)", 2, 3 * units);
        else Require(bias, "bias", 3 * units);
        var cell = new GruCell(units, name, resetAfter: resetAfter, fused: fused);
        cell.UseWeights(features, kernel, recurrentKernel, bias);
        return cell;
    }

    /// <summary>Whether the reset gate multiplies h_{t-1} U_h + b'_h (true) or h_{t-1} before the product (false, the paper's and TF1's form).</summary>
    public bool ResetAfter { get; }

    /// <summary>
    /// True (the default) when each step of the reset-before form is one <see cref="GraphDL.GruBlockCell"/> node and its
    /// gradient one <see cref="GruBlockCellGrad"/>; false for the same equations as separate graph ops, node by node.
    /// Both give the same numbers within float rounding; the fused form is faster. <see cref="ResetAfter"/> is never fused.
    /// </summary>
    public bool Fused { get; }

    /// <inheritdoc/>
    public override int StateCount => 1;

    /// <summary>W of the three blocks z, r, h: (features, 3 * units).</summary>
    public Output Kernel => Weights[0];

    /// <summary>U of the three blocks z, r, h: (units, 3 * units).</summary>
    public Output RecurrentKernel => Weights[1];

    /// <summary>b of the three blocks: (3 * units), or (2, 3 * units) with <see cref="ResetAfter"/>.</summary>
    public Output Bias => Weights[2];

    /// <inheritdoc/>
    protected override Output[] CreateWeights(Graph g, int inputSize, DType dtype) =>
        KerasWeights(g, inputSize, dtype, blocks: 3, bias: ResetAfter ? Init.Zeros(2, 3 * Units) : Init.Zeros(3 * Units));

    /// <inheritdoc/>
    protected override (Output Output, Output[] State) Step(Output x, Output[]? state)
    {
        var g = x.Graph;
        var h = state?[0];
        if (ResetAfter) return StepResetAfter(g, x, h);
        return Fused ? StepFused(g, x, h) : StepResetBefore(g, x, h);
    }

    /// <summary>The reset-before step as one <see cref="GraphDL.GruBlockCell"/> node fed by the products it does not take itself.</summary>
    private (Output Output, Output[] State) StepFused(Graph g, Output x, Output? h)
    {
        // With the zero state, [x, 0] [W_zr; U_zr] is just x W_zr, and there is no (r * h_{t-1}) U_h.
        var gates = h is { } previous
            ? g.MatMul(g.Concat([x, previous], axis: 1), StackedGatesKernel(g))
            : g.MatMul(x, GatesKernel(g));
        gates += GatesBias(g);
        var candidateFromX = g.MatMul(x, CandidateKernel(g)) + CandidateBias(g);
        var next = g.GruBlockCell(gates, candidateFromX, h, h is null ? null : CandidateRecurrentKernel(g)).H;
        return (next, [next]);
    }

    private (Output Output, Output[] State) StepResetBefore(Graph g, Output x, Output? h)
    {
        var fromX = g.MatMul(x, Kernel) + Bias;
        Output z, candidate;
        if (h is not { } previous)
        {
            // With the zero state every h_{t-1} term vanishes, r with them.
            z = g.Sigmoid(Gate(g, fromX, 0), "z");
            candidate = g.Tanh(Gate(g, fromX, 2), "candidate");
            return Finish(z, candidate, null);
        }
        var fromH = g.MatMul(previous, GatesRecurrentKernel(g));
        z = g.Sigmoid(Gate(g, fromX, 0) + Gate(g, fromH, 0), "z");
        var r = g.Sigmoid(Gate(g, fromX, 1) + Gate(g, fromH, 1), "r");
        candidate = g.Tanh(Gate(g, fromX, 2) + g.MatMul(r * previous, CandidateRecurrentKernel(g)), "candidate");
        return Finish(z, candidate, previous);
    }

    private (Output Output, Output[] State) StepResetAfter(Graph g, Output x, Output? h)
    {
        var fromX = g.MatMul(x, Kernel) + InputBias(g);
        // With the zero state h_{t-1} U is zero, but the recurrent bias b' still enters: (1, 3u), broadcast over the batch.
        var fromH = h is { } previous ? g.MatMul(previous, RecurrentKernel) + RecurrentBias(g) : RecurrentBias(g);
        var z = g.Sigmoid(Gate(g, fromX, 0) + Gate(g, fromH, 0), "z");
        var r = g.Sigmoid(Gate(g, fromX, 1) + Gate(g, fromH, 1), "r");
        var candidate = g.Tanh(Gate(g, fromX, 2) + r * Gate(g, fromH, 2), "candidate");
        return Finish(z, candidate, h);
    }

    /// <summary>h_t = z * h_{t-1} + (1 - z) * h~; from the zero state only the second term is left.</summary>
    private static (Output Output, Output[] State) Finish(Output z, Output candidate, Output? h)
    {
        var write = (1.0 - z) * candidate;
        var next = h is { } previous ? z * previous + write : write;
        return (next, [next]);
    }

    /// <inheritdoc/>
    protected override void ForgetCachedNodesFrom(int nodeCount)
    {
        Forget(ref _gatesRecurrentKernel, nodeCount);
        Forget(ref _candidateRecurrentKernel, nodeCount);
        Forget(ref _inputBias, nodeCount);
        Forget(ref _recurrentBias, nodeCount);
        Forget(ref _gatesKernel, nodeCount);
        Forget(ref _candidateKernel, nodeCount);
        Forget(ref _stackedGatesKernel, nodeCount);
        Forget(ref _gatesBias, nodeCount);
        Forget(ref _candidateBias, nodeCount);
    }

    private static void Forget(ref Output? cached, int nodeCount)
    {
        if (cached is { } node && node.Node.Id >= nodeCount) cached = null;
    }

    /// <summary>Columns [k * units, (k + 1) * units) of a (batch, 3 * units) block: gate k's part.</summary>
    private Output Gate(Graph g, Output block, int k) => g.Slice(block, [0, k * Units], [-1, Units]);

    // The slices of the weights below are built once and read by every step of an unroll.

    /// <summary>[U_z, U_r], (units, 2 * units): both gates from one product with h_{t-1}.</summary>
    private Output GatesRecurrentKernel(Graph g) =>
        _gatesRecurrentKernel ??= g.Slice(RecurrentKernel, [0, 0], [-1, 2 * Units], "gates_recurrent_kernel");

    /// <summary>U_h, (units, units): the candidate's product with r * h_{t-1}.</summary>
    private Output CandidateRecurrentKernel(Graph g) =>
        _candidateRecurrentKernel ??= g.Slice(RecurrentKernel, [0, 2 * Units], [-1, Units], "candidate_recurrent_kernel");

    /// <summary>W_zr, (features, 2 * units): the gates' input kernel, for the fused step.</summary>
    private Output GatesKernel(Graph g) => _gatesKernel ??= g.Slice(Kernel, [0, 0], [-1, 2 * Units], "gates_kernel");

    /// <summary>W_h, (features, units): the candidate's input kernel, for the fused step.</summary>
    private Output CandidateKernel(Graph g) => _candidateKernel ??= g.Slice(Kernel, [0, 2 * Units], [-1, Units], "candidate_kernel");

    /// <summary>[W_zr; U_zr], (features + units, 2 * units), so [x_t, h_{t-1}] needs a single product for both gates.</summary>
    private Output StackedGatesKernel(Graph g) =>
        _stackedGatesKernel ??= g.Concat([GatesKernel(g), GatesRecurrentKernel(g)], axis: 0, "stacked_gates_kernel");

    /// <summary>b_zr, (2 * units), of the reset-before (3 * units) bias.</summary>
    private Output GatesBias(Graph g) => _gatesBias ??= g.Slice(Bias, [0], [2 * Units], "gates_bias");

    /// <summary>b_h, (units), of the reset-before (3 * units) bias.</summary>
    private Output CandidateBias(Graph g) => _candidateBias ??= g.Slice(Bias, [2 * Units], [Units], "candidate_bias");

    /// <summary>Row 0 of the (2, 3 * units) bias, kept as (1, 3 * units) so it broadcasts over the batch.</summary>
    private Output InputBias(Graph g) => _inputBias ??= g.Slice(Bias, [0, 0], [1, -1], "input_bias");

    /// <summary>Row 1 of the (2, 3 * units) bias, as (1, 3 * units).</summary>
    private Output RecurrentBias(Graph g) => _recurrentBias ??= g.Slice(Bias, [1, 0], [1, -1], "recurrent_bias");
}
