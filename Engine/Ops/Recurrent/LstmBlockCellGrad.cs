namespace GraphDL;

/// <summary>
/// The gradient of <see cref="LstmBlockCell"/> in one node (TF1's LSTMBlockCellGrad): from z, c_{t-1}, and the
/// gradients dc_t and dh_t that reach the step's outputs, it recomputes the gates and tanh(c_t) and gives
/// <code>
///   dc = dc_t + dh_t * o * (1 - tanh²(c_t))         all the gradient that reaches c_t
///   dz_i = dc * g * i (1 - i)      dz_f = dc * c_{t-1} * f (1 - f)
///   dz_g = dc * i * (1 - g²)       dz_o = dh_t * tanh(c_t) * o (1 - o)
///   dc_{t-1} = dc * f
/// </code>
/// Inputs z, c_{t-1} (when <see cref="HasPreviousCell"/>), dc_t, dh_t; outputs dz (batch, 4 * units) and, with
/// c_{t-1}, dc_{t-1} (batch, units).
/// </summary>
/// <remarks>
/// Recomputing the gates from z costs one pass of exponentials, which is cheaper than keeping four (batch, units)
/// blocks per step alive from the forward pass to the backward one. The gradient of this node (an LSTM's second
/// derivative) is the gradient of the same formula written in graph ops, built on demand, so it is differentiable again.
/// </remarks>
public sealed class LstmBlockCellGrad : Op
{
    /// <summary>True when the forward step had c_{t-1}: the node then reads it and gives dc_{t-1}.</summary>
    public bool HasPreviousCell { get; init; }

    private int First => HasPreviousCell ? 2 : 1;   // where dc_t and dh_t start among the inputs

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x)
    {
        var dtype = RequireFloating(x)[0];
        return HasPreviousCell ? [dtype, dtype] : [dtype];
    }

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var cell = LstmBlockCell.CellShape(x[0], HasPreviousCell ? x[1] : null);
        for (int k = First; k < First + 2; k++)
            if (!x[k].IsCompatibleWith(cell))
                throw new ShapeException($"{(k == First ? "dc" : "dh")} should be (batch, units) = {cell} to match z {x[0]}, got {x[k]}.");
        return HasPreviousCell ? [x[0], cell] : [x[0]];
    }

    /// <inheritdoc/>
    public override void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        be.LstmBlockCellGrad(x[0], HasPreviousCell ? x[1] : null, x[First], x[First + 1], y[0], HasPreviousCell ? y[1] : null);

    /// <summary>
    /// The second derivative: this node's formula rebuilt from graph ops (the gradient of <see cref="LstmBlockCell.Compose"/>)
    /// and differentiated with respect to each input, the inputs held as independent variables.
    /// </summary>
    public override Output?[] Gradient(GradientContext g, IReadOnlyList<Output?> douts)
    {
        Output z = g.Input(0);
        int units = z.Shape[1] / 4;
        if (z.Shape[1] == Shape.Unknown)
            throw new InvalidOperationException($"No second derivative through LstmBlockCellGrad '{g.Node.Name}': its number of units, z's {z.Shape}, is not known.");
        var graph = z.Graph;
        Output[] inputs = [.. g.Node.Inputs];
        Output[] cellInputs = inputs[..First];   // z and c_{t-1}
        var (c, h) = LstmBlockCell.Compose(g, z, HasPreviousCell ? inputs[1] : null, units);
        // The inputs are held fixed (stop gradients): c_{t-1} is upstream of z in an unroll, and only the partial derivatives are wanted.
        var firstOrder = graph.Gradients([c, h], cellInputs, [inputs[First], inputs[First + 1]], stopGradients: cellInputs, unconnectedZeros: true);
        var reached = Enumerable.Range(0, firstOrder.Length).Where(k => douts[k] is not null).ToArray();
        return graph.Gradients([.. reached.Select(k => firstOrder[k]!.Value)], inputs, [.. reached.Select(k => douts[k]!.Value)], stopGradients: inputs);
    }

    /// <inheritdoc/>
    public override string Attributes => HasPreviousCell ? "" : "zero state";
}

public abstract partial class GraphBuilder
{
    /// <summary>
    /// The gradient of one <see cref="LstmBlockCell(Output, Output?, string?)"/> step (TF1's LSTMBlockCellGrad): dz and,
    /// with <paramref name="cPrev"/>, dcPrev, from the step's inputs and the gradients of its outputs.
    /// </summary>
    /// <param name="z">The step's gate pre-activations (batch, 4 * units).</param>
    /// <param name="cPrev">The step's previous cell state (batch, units), or null for a step from the zero state.</param>
    /// <param name="dc">The gradient of the step's c (batch, units).</param>
    /// <param name="dh">The gradient of the step's h (batch, units).</param>
    /// <param name="name">The node's name; LstmBlockCellGrad by default.</param>
    /// <returns>dz (batch, 4 * units), and dcPrev (batch, units), null without <paramref name="cPrev"/>.</returns>
    public (Output Dz, Output? DcPrev) LstmBlockCellGrad(Output z, Output? cPrev, Output dc, Output dh, string? name = null)
    {
        var node = AddNode(new LstmBlockCellGrad { HasPreviousCell = cPrev is not null }, cPrev is { } c ? [z, c, dc, dh] : [z, dc, dh], name);
        return (node[0], cPrev is null ? null : node[1]);
    }
}
