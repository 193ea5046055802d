namespace GraphDL;

/// <summary>
/// One GRU step's gates, candidate and state update as a single node, TF1's GRUBlockCell idea. From the gate
/// pre-activations s = [x_t, h_{t-1}] [W_zr; U_zr] + b_zr (batch, 2 * units), blocks in Keras's order z, r, the
/// candidate's input part a = x_t W_h + b_h (batch, units), h_{t-1} and the candidate's recurrent kernel U_h (units, units):
/// <code>
///   z = σ(s_z)   r = σ(s_r)
///   c = tanh(a + (r * h_{t-1}) U_h)
///   h_t = z * h_{t-1} + (1 - z) * c
/// </code>
/// Outputs z, r, c and h_t, each (batch, units). Without h_{t-1} and U_h (the first step of an unroll from the zero
/// state) c = tanh(a) and h_t = (1 - z) * c.
/// </summary>
/// <remarks>
/// <para>
/// The reset gate sits between two products: r must be known before (r * h_{t-1}) U_h can be taken, so that one product
/// is inside the node (the backend's own MatMul). The other products stay ordinary MatMul nodes of the cell, as in
/// <see cref="LstmBlockCell"/>, so their gradients (dx, dW, the gates' share of dh_{t-1}) are MatMul's own.
/// TF1's GRUBlockCell instead takes x, h_{t-1} and the four weights and does every product inside.
/// </para>
/// <para>
/// Unrolled from graph ops a step is about twenty nodes and its gradient some forty more; here it is one node and one
/// <see cref="GruBlockCellGrad"/>. The values are those of <see cref="GruCell"/>'s unrolled equations (<c>fused: false</c>)
/// within float rounding. z, r and c are outputs because the gradient reads them, as TF1's does.
/// </para>
/// </remarks>
public sealed class GruBlockCell : Op
{
    /// <summary>True when the node has h_{t-1} and U_h as its third and fourth inputs; false for a step from the zero state.</summary>
    public bool HasPreviousState { get; init; }

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x)
    {
        var dtype = RequireFloating(x)[0];
        return [dtype, dtype, dtype, dtype];
    }

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var state = StateShape(x[0], x[1], HasPreviousState ? x[2] : null, HasPreviousState ? x[3] : null);
        return [state, state, state, state];
    }

    /// <summary>
    /// The (batch, units) shape of z, r, c and h from the gate pre-activations (batch, 2 * units), the candidate's input
    /// part (batch, units) and, when there are, h_{t-1} (batch, units) and U_h (units, units), which must all agree.
    /// </summary>
    /// <exception cref="ShapeException">One of them does not fit the others.</exception>
    internal static Shape StateShape(Shape gates, Shape candidateFromX, Shape? hPrev, Shape? candidateKernel)
    {
        if (gates.Rank != 2 || (gates[1] != Shape.Unknown && gates[1] % 2 != 0))
            throw new ShapeException($"the gate pre-activations should be (batch, 2 * units), got {gates}.");
        var state = new Shape(gates[0], gates[1] == Shape.Unknown ? Shape.Unknown : gates[1] / 2);
        if (!candidateFromX.IsCompatibleWith(state))
            throw new ShapeException($"the candidate's input part x W_h + b_h should be (batch, units) = {state} to match the gates {gates}, got {candidateFromX}.");
        if (hPrev is { } h && !h.IsCompatibleWith(state))
            throw new ShapeException($"h_{{t-1}} should be (batch, units) = {state} to match the gates {gates}, got {h}.");
        if (candidateKernel is { } u && !u.IsCompatibleWith(new Shape(state[1], state[1])))
            throw new ShapeException($"U_h should be (units, units) = ({ShapeText(state[1])}, {ShapeText(state[1])}) to match the gates {gates}, got {u}.");
        return state;
    }

    private static string ShapeText(int dim) => dim == Shape.Unknown ? "?" : dim.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        be.GruBlockCell(x[0], x[1], HasPreviousState ? x[2] : null, HasPreviousState ? x[3] : null, y[0], y[1], y[2], y[3]);

    /// <summary>
    /// The gradients of the gate pre-activations, the candidate's input part, h_{t-1} and U_h. When only h_t reaches a
    /// loss (an unroll's case) one <see cref="GruBlockCellGrad"/> node gives the first three and U_h's is
    /// (r * h_{t-1})ᵀ dc̄; when z, r or c reach one too, the gradient of the composed step is built instead.
    /// </summary>
    public override Output?[] Gradient(GradientContext g, IReadOnlyList<Output?> douts)
    {
        if (douts[0] is not null || douts[1] is not null || douts[2] is not null || douts[3] is not { } dh)
            return ComposedGradient(g, douts);
        Output z = g.Output(0), r = g.Output(1), c = g.Output(2);
        if (!HasPreviousState)
        {
            var (dGatesOnly, dCandidateOnly, _) = g.GruBlockCellGrad(z, r, c, dh);
            return [dGatesOnly, dCandidateOnly];
        }
        Output hPrev = g.Input(2), candidateKernel = g.Input(3);
        var (dGates, dCandidate, dhPrev) = g.GruBlockCellGrad(z, r, c, dh, hPrev, candidateKernel);
        var dCandidateKernel = g.MatMul(r * hPrev, dCandidate, transposeA: true);
        return [dGates, dCandidate, dhPrev, dCandidateKernel];
    }

    /// <summary>Every output's gradient through the same step built from graph ops, its inputs held as independent variables.</summary>
    private Output?[] ComposedGradient(GradientContext g, IReadOnlyList<Output?> douts)
    {
        Output[] inputs = [.. g.Node.Inputs];
        var (z, r, c, h) = Compose(g, inputs[0], inputs[1], HasPreviousState ? inputs[2] : null, HasPreviousState ? inputs[3] : null);
        Output[] outputs = [z, r, c, h];
        var reached = Enumerable.Range(0, outputs.Length).Where(k => douts[k] is not null).ToArray();
        return inputs[0].Graph.Gradients([.. reached.Select(k => outputs[k])], inputs, [.. reached.Select(k => douts[k]!.Value)],
            stopGradients: inputs, unconnectedZeros: true);
    }

    /// <inheritdoc/>
    public override string Attributes => HasPreviousState ? "" : "zero state";

    /// <summary>
    /// The same step from graph ops (slices, Sigmoid, Tanh, a MatMul, products): the unrolled form that
    /// <see cref="GruCell"/> builds with <c>fused: false</c>, in this node's terms.
    /// </summary>
    internal static (Output Z, Output R, Output C, Output H) Compose(GraphBuilder g, Output gates, Output candidateFromX, Output? hPrev, Output? candidateKernel)
    {
        int units = gates.Shape[1] / 2;
        if (gates.Shape[1] == Shape.Unknown)
            throw new InvalidOperationException($"A GRU step on gates {gates.Shape} cannot be composed: its number of units is not known.");
        var z = g.Sigmoid(g.Slice(gates, [0, 0], [-1, units]), "z");
        var r = g.Sigmoid(g.Slice(gates, [0, units], [-1, units]), "r");
        if (hPrev is not { } previous)
        {
            var first = g.Tanh(candidateFromX, "candidate");
            return (z, r, first, (1.0 - z) * first);
        }
        var c = g.Tanh(candidateFromX + g.MatMul(r * previous, candidateKernel!.Value), "candidate");
        return (z, r, c, z * previous + (1.0 - z) * c);
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// One fused GRU step (TF1's GRUBlockCell in Keras's gate order z, r, with the products outside the reset gate left to
    /// the caller): z = σ(gates_z), r = σ(gates_r), c = tanh(candidateFromX + (r * hPrev) candidateKernel),
    /// h = z * hPrev + (1 - z) * c.
    /// </summary>
    /// <param name="gates">The gate pre-activations [x, h_prev] [W_zr; U_zr] + b_zr, (batch, 2 * units), blocks z then r.</param>
    /// <param name="candidateFromX">The candidate's input part x W_h + b_h, (batch, units).</param>
    /// <param name="hPrev">The previous state (batch, units), or null for the zero state.</param>
    /// <param name="candidateKernel">U_h, the candidate's recurrent kernel (units, units); given exactly when <paramref name="hPrev"/> is.</param>
    /// <param name="name">The node's name; GruBlockCell by default.</param>
    /// <returns>The update gate z, the reset gate r, the candidate c and the new state h, each (batch, units).</returns>
    /// <exception cref="ArgumentException">Only one of <paramref name="hPrev"/> and <paramref name="candidateKernel"/> is given.</exception>
    public (Output Z, Output R, Output C, Output H) GruBlockCell(Output gates, Output candidateFromX, Output? hPrev = null, Output? candidateKernel = null, string? name = null)
    {
        if ((hPrev is null) != (candidateKernel is null))
            throw new ArgumentException($"GruBlockCell '{name ?? "GruBlockCell"}' needs h_prev and U_h together (both for a step with a previous state, neither from the zero state).");
        Output[] inputs = hPrev is { } h ? [gates, candidateFromX, h, candidateKernel!.Value] : [gates, candidateFromX];
        var node = AddNode(new GruBlockCell { HasPreviousState = hPrev is not null }, inputs, name);
        return (node[0], node[1], node[2], node[3]);
    }
}
