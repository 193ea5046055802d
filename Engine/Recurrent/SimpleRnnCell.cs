namespace GraphDL;

/// <summary>
/// The slide's vanilla RNN: h_t = tanh(x_t W_xh + h_{t-1} W_hh + b). The output of a step is h_t itself
/// (a W_hy on top is the next layer's business), and so is the state.
/// </summary>
/// <remarks>
/// Weights and their first values as Keras's SimpleRNN: kernel W_xh (features, units) Glorot-uniform,
/// recurrent_kernel W_hh (units, units) orthogonal, bias (units) zeros.
/// </remarks>
public sealed class SimpleRnnCell : RnnCell
{
    private readonly Func<Output, Output> _activation;

    /// <summary>A cell whose variables are created at its first call.</summary>
    /// <param name="units">The size of h.</param>
    /// <param name="name">The name scope of its variables.</param>
    /// <param name="seed">The seed of W_xh's draws (W_hh uses seed + 1); null leaves it to the graph seed.</param>
    /// <param name="activation">tanh unless given.</param>
    public SimpleRnnCell(int units, string name = "simple_rnn_cell", int? seed = null, Func<Output, Output>? activation = null)
        : base(units, name, seed) =>
        _activation = activation ?? (z => z.Graph.Tanh(z));

    /// <summary>A cell over existing weights: W_xh (features, units), W_hh (units, units), b (units).</summary>
    public static SimpleRnnCell FromWeights(Output kernel, Output recurrentKernel, Output bias,
        Func<Output, Output>? activation = null, string name = "simple_rnn_cell")
    {
        if (kernel.Shape.Rank != 2) throw new ShapeException($"The kernel W_xh '{kernel.Name}' should be a matrix, got {kernel.Shape}.");
        int features = kernel.Shape[0], units = kernel.Shape[1];
        Require(recurrentKernel, "recurrent kernel W_hh", units, units);
        Require(bias, "bias", units);
        var cell = new SimpleRnnCell(units, name, activation: activation);
        cell.UseWeights(features, kernel, recurrentKernel, bias);
        return cell;
    }

    /// <inheritdoc/>
    public override int StateCount => 1;

    /// <summary>W_xh: input to hidden.</summary>
    public Output Kernel => Weights[0];

    /// <summary>W_hh: hidden to hidden, the recurrence.</summary>
    public Output RecurrentKernel => Weights[1];

    /// <summary>b: one per unit, added at every step.</summary>
    public Output Bias => Weights[2];

    /// <inheritdoc/>
    protected override Output[] CreateWeights(Graph g, int inputSize, DType dtype) =>
        KerasWeights(g, inputSize, dtype, blocks: 1, bias: Init.Zeros(Units));

    /// <inheritdoc/>
    protected override (Output Output, Output[] State) Step(Output x, Output[]? state)
    {
        var g = x.Graph;
        var z = g.MatMul(x, Kernel);
        if (state is not null) z += g.MatMul(state[0], RecurrentKernel);
        var h = _activation(z + Bias);
        return (h, [h]);
    }
}
