namespace GraphDL;

/// <summary>
/// One LSTM step's gates and cell update as a single node, TF1's tf.contrib.rnn.LSTMBlockCell idea: from the gate
/// pre-activations z = [x_t, h_{t-1}] W + b (batch, 4 * units), blocks in Keras's order i, f, g, o, and c_{t-1}:
/// <code>
///   i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)
///   c_t = f * c_{t-1} + i * g
///   h_t = o * tanh(c_t)
/// </code>
/// Outputs c_t and h_t, each (batch, units). Without c_{t-1} (the first step of an unroll from the zero state) c_t = i * g.
/// </summary>
/// <remarks>
/// <para>
/// Unrolled from graph ops, one step is four slices, four activations, three products, a sum and a tanh, and its gradient
/// about twenty nodes more; 50 steps make over a thousand small nodes whose fixed cost and memory traffic outweigh their
/// arithmetic. Here the forward is one pass over z and the gradient one <see cref="LstmBlockCellGrad"/> node. The values
/// are those of the unrolled equations (<see cref="LstmCell"/> with <c>fused: false</c>) within float rounding.
/// </para>
/// <para>
/// TF1's LSTMBlockCell orders its blocks i, g, f, o and adds forget_bias inside; this op keeps Keras's order, and the
/// forget bias is in b (Keras's unit_forget_bias), so it fits <see cref="LstmCell"/>'s weights unchanged. It has no
/// peepholes and no cell clipping.
/// </para>
/// </remarks>
public sealed class LstmBlockCell : Op
{
    /// <summary>True when the node has c_{t-1} as its second input; false for a step from the zero state.</summary>
    public bool HasPreviousCell { get; init; }

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x)
    {
        var dtype = RequireFloating(x)[0];
        return [dtype, dtype];
    }

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var cell = CellShape(x[0], HasPreviousCell ? x[1] : null);
        return [cell, cell];
    }

    /// <summary>
    /// The (batch, units) shape of c and h from z (batch, 4 * units) and, when there is one, c_{t-1}, which must agree.
    /// </summary>
    /// <exception cref="ShapeException">z is not (batch, 4 * units), or c_{t-1} is not (batch, units).</exception>
    internal static Shape CellShape(Shape z, Shape? previousCell)
    {
        if (z.Rank != 2 || (z[1] != Shape.Unknown && z[1] % 4 != 0))
            throw new ShapeException($"the gate pre-activations z should be (batch, 4 * units), got {z}.");
        var cell = new Shape(z[0], z[1] == Shape.Unknown ? Shape.Unknown : z[1] / 4);
        if (previousCell is { } c && !c.IsCompatibleWith(cell))
            throw new ShapeException($"c_{{t-1}} should be (batch, units) = {cell} to match z {z}, got {c}.");
        return cell;
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        be.LstmBlockCell(x[0], HasPreviousCell ? x[1] : null, y[0], y[1]);

    /// <summary>dz and dc_{t-1} from dc_t and dh_t, both computed by one <see cref="LstmBlockCellGrad"/> node.</summary>
    public override Output?[] Gradient(GradientContext g, IReadOnlyList<Output?> douts)
    {
        Output z = g.Input(0);
        Output? cPrev = HasPreviousCell ? g.Input(1) : null;
        // A step whose c_t (the last one's) or h_t reaches no loss still gets the other's gradient.
        Output dc = douts[0] ?? g.ZerosLike(g.Output(0)), dh = douts[1] ?? g.ZerosLike(g.Output(1));
        var (dz, dcPrev) = g.LstmBlockCellGrad(z, cPrev, dc, dh);
        return HasPreviousCell ? [dz, dcPrev] : [dz];
    }

    /// <inheritdoc/>
    public override string Attributes => HasPreviousCell ? "" : "zero state";

    /// <summary>
    /// The same step from graph ops (slices, Sigmoid, Tanh, products): the unrolled form that <see cref="LstmCell"/> builds
    /// with <c>fused: false</c> and whose gradients define <see cref="LstmBlockCellGrad"/>'s own.
    /// </summary>
    internal static (Output C, Output H) Compose(GraphBuilder g, Output z, Output? cPrev, int units)
    {
        Output Gate(int k) => g.Slice(z, [0, k * units], [-1, units]);
        var i = g.Sigmoid(Gate(0), "i");
        var f = g.Sigmoid(Gate(1), "f");
        var candidate = g.Tanh(Gate(2), "g");
        var o = g.Sigmoid(Gate(3), "o");
        var c = cPrev is { } previous ? f * previous + i * candidate : i * candidate;
        return (c, o * g.Tanh(c));
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// One fused LSTM step (the gate nonlinearities and the cell update of tf.contrib.rnn.LSTMBlockCell, in Keras's gate
    /// order i, f, g, o, without forget_bias, peepholes or clipping): c = σ(z_f) * cPrev + σ(z_i) * tanh(z_g),
    /// h = σ(z_o) * tanh(c).
    /// </summary>
    /// <param name="z">The gate pre-activations [x, h_prev] W + b, (batch, 4 * units).</param>
    /// <param name="cPrev">The previous cell state (batch, units), or null for the zero state.</param>
    /// <param name="name">The node's name; LstmBlockCell by default.</param>
    /// <returns>The new cell state c and output h, each (batch, units).</returns>
    public (Output C, Output H) LstmBlockCell(Output z, Output? cPrev = null, string? name = null)
    {
        var node = AddNode(new LstmBlockCell { HasPreviousCell = cPrev is not null }, cPrev is { } c ? [z, c] : [z], name);
        return (node[0], node[1]);
    }
}
