namespace GraphDL;

/// <summary>
/// The gradient of <see cref="GruBlockCell"/> in one node (TF1's GRUBlockCellGrad): from the step's z, r and c, the
/// gradient dh_t that reaches its output and, for a step with a previous state, h_{t-1} and U_h, it gives
/// <code>
///   dc̄ = dh_t (1 - z) (1 - c²)                     the candidate's pre-activation, also x W_h + b_h's gradient
///   dz̄ = dh_t (h_{t-1} - c) z (1 - z)
///   d(r h) = dc̄ U_hᵀ                                 through the product inside the step
///   dr̄ = d(r h) h_{t-1} r (1 - r)
///   dh_{t-1} = dh_t z + d(r h) r                     the share that does not pass through the gates' product
/// </code>
/// Inputs z, r, c, dh_t, then h_{t-1} and U_h when <see cref="HasPreviousState"/>; outputs the gates' gradient [dz̄, dr̄]
/// (batch, 2 * units), dc̄ (batch, units) and, with a previous state, that share of dh_{t-1} (batch, units). From the
/// zero state r plays no part and dr̄ is 0.
/// </summary>
/// <remarks>
/// The gates' share of dh_{t-1} is [dz̄, dr̄] U_zrᵀ, which the gradient of the cell's own MatMul node adds, as it adds
/// dx and dW. The gradient of this node (a GRU's second derivative) is the gradient of the same formula written in graph
/// ops (<see cref="ComposeGradient"/>), built on demand, so it is differentiable again.
/// </remarks>
public sealed class GruBlockCellGrad : Op
{
    /// <summary>True when the forward step had h_{t-1}: the node then reads it and U_h and gives its share of dh_{t-1}.</summary>
    public bool HasPreviousState { get; init; }

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x)
    {
        var dtype = RequireFloating(x)[0];
        return HasPreviousState ? [dtype, dtype, dtype] : [dtype, dtype];
    }

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var state = x[0];
        if (state.Rank != 2)
            throw new ShapeException($"z should be (batch, units), got {state}.");
        string[] names = ["z", "r", "c", "dh"];
        for (int k = 1; k < names.Length; k++)
            if (!x[k].IsCompatibleWith(state))
                throw new ShapeException($"{names[k]} should be (batch, units) like z {state}, got {x[k]}.");
        var gates = new Shape(state[0], state[1] == Shape.Unknown ? Shape.Unknown : 2 * state[1]);
        if (!HasPreviousState) return [gates, state];
        GruBlockCell.StateShape(gates, state, x[4], x[5]);
        return [gates, state, state];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        be.GruBlockCellGrad(x[0], x[1], x[2], x[3], HasPreviousState ? x[4] : null, HasPreviousState ? x[5] : null,
            y[0], y[1], HasPreviousState ? y[2] : null);

    /// <summary>
    /// The second derivative: this node's formula rebuilt from graph ops (<see cref="ComposeGradient"/>) and
    /// differentiated with respect to each input, the inputs held as independent variables.
    /// </summary>
    public override Output?[] Gradient(GradientContext g, IReadOnlyList<Output?> douts)
    {
        Output[] inputs = [.. g.Node.Inputs];
        var (dGates, dCandidate, dhPrev) = ComposeGradient(g, inputs[0], inputs[1], inputs[2], inputs[3],
            HasPreviousState ? inputs[4] : null, HasPreviousState ? inputs[5] : null);
        Output?[] firstOrder = [dGates, dCandidate, dhPrev];
        var reached = Enumerable.Range(0, g.Node.OutputCount).Where(k => douts[k] is not null).ToArray();
        return inputs[0].Graph.Gradients([.. reached.Select(k => firstOrder[k]!.Value)], inputs, [.. reached.Select(k => douts[k]!.Value)],
            stopGradients: inputs, unconnectedZeros: true);
    }

    /// <inheritdoc/>
    public override string Attributes => HasPreviousState ? "" : "zero state";

    /// <summary>The formula of this node from graph ops: the gates' gradient, dc̄ and, with h_{t-1}, its share of dh_{t-1}.</summary>
    internal static (Output DGates, Output DCandidate, Output? DhPrev) ComposeGradient(GraphBuilder g, Output z, Output r, Output c, Output dh,
        Output? hPrev, Output? candidateKernel)
    {
        var dCandidate = dh * (1.0 - z) * (1.0 - c * c);
        var keep = z * (1.0 - z);
        if (hPrev is not { } previous)
            return (g.Concat([g.Neg(dh * c * keep), g.ZerosLike(r)], axis: 1), dCandidate, null);
        var dUpdate = dh * (previous - c) * keep;
        var dResetProduct = g.MatMul(dCandidate, candidateKernel!.Value, transposeB: true);
        var dReset = dResetProduct * previous * r * (1.0 - r);
        return (g.Concat([dUpdate, dReset], axis: 1), dCandidate, dh * z + dResetProduct * r);
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// The gradient of one <see cref="GruBlockCell(Output, Output, Output?, Output?, string?)"/> step (TF1's
    /// GRUBlockCellGrad) from the step's z, r, c and the gradient of its h: the gates' gradient, the candidate's
    /// pre-activation gradient dc̄ and, with <paramref name="hPrev"/>, the share of dhPrev outside the gates' product.
    /// </summary>
    /// <param name="z">The step's update gate (batch, units).</param>
    /// <param name="r">The step's reset gate (batch, units).</param>
    /// <param name="c">The step's candidate (batch, units).</param>
    /// <param name="dh">The gradient of the step's h (batch, units).</param>
    /// <param name="hPrev">The step's previous state (batch, units), or null for a step from the zero state.</param>
    /// <param name="candidateKernel">The step's U_h (units, units); given exactly when <paramref name="hPrev"/> is.</param>
    /// <param name="name">The node's name; GruBlockCellGrad by default.</param>
    /// <returns>[dz̄, dr̄] (batch, 2 * units), dc̄ (batch, units), and dhPrev's share (batch, units), null without <paramref name="hPrev"/>.</returns>
    /// <exception cref="ArgumentException">Only one of <paramref name="hPrev"/> and <paramref name="candidateKernel"/> is given.</exception>
    public (Output DGates, Output DCandidate, Output? DhPrev) GruBlockCellGrad(Output z, Output r, Output c, Output dh,
        Output? hPrev = null, Output? candidateKernel = null, string? name = null)
    {
        if ((hPrev is null) != (candidateKernel is null))
            throw new ArgumentException($"GruBlockCellGrad '{name ?? "GruBlockCellGrad"}' needs h_prev and U_h together (both for a step with a previous state, neither from the zero state).");
        Output[] inputs = hPrev is { } h ? [z, r, c, dh, h, candidateKernel!.Value] : [z, r, c, dh];
        var node = AddNode(new GruBlockCellGrad { HasPreviousState = hPrev is not null }, inputs, name);
        return (node[0], node[1], hPrev is null ? null : node[2]);
    }
}
