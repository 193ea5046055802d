namespace GraphDL;

/// <summary>
/// Cells stacked into one (tf.nn.rnn_cell.MultiRNNCell): at every time step layer 0 reads x_t, each further layer
/// reads the output of the layer below, and the step's output is the top layer's. The state is the layers' states
/// one after the other, layer 0 first: for an LSTM over a GRU, [c⁰, h⁰, h¹] (TF1 nests them as a tuple of tuples;
/// here they are one flat list, each layer's in its own order).
/// </summary>
/// <remarks>
/// Each layer keeps its own weights, created at the first call under this cell's name scope as
/// <c>multi_rnn_cell/cell_k/...</c> (TF1's variable names), layer k on inputs as wide as layer k - 1's units.
/// A cell may appear only once: its weights fit one input width, and TF1 too refuses a list of one cell repeated.
/// </remarks>
public sealed class MultiRnnCell : RnnCell
{
    private readonly RnnCell[] _cells;

    /// <summary>Stacks <paramref name="cells"/>, the first reading the inputs and the last giving the output.</summary>
    /// <param name="cells">The layers, bottom first; at least one, each a different cell.</param>
    /// <param name="name">The name scope of the layers' variables.</param>
    public MultiRnnCell(IReadOnlyList<RnnCell> cells, string name = "multi_rnn_cell")
        : base(TopUnits(cells), name, seed: null)
    {
        if (cells.Distinct().Count() != cells.Count)
            throw new ArgumentException($"MultiRnnCell '{name}' got the same cell more than once; stack a new cell for each layer.", nameof(cells));
        _cells = [.. cells];
    }

    /// <summary>The layers, bottom first.</summary>
    public IReadOnlyList<RnnCell> Cells => _cells;

    /// <inheritdoc/>
    public override int StateCount => _cells.Sum(c => c.StateCount);

    /// <inheritdoc/>
    public override IReadOnlyList<int> StateSizes => [.. _cells.SelectMany(c => c.StateSizes)];

    /// <inheritdoc/>
    protected override Output[] CreateWeights(Graph g, int inputSize, DType dtype)
    {
        var weights = new List<Output>();
        using (g.NameScope(Name))
            for (int k = 0; k < _cells.Length; k++)
                using (g.NameScope($"cell_{k}"))
                {
                    weights.AddRange(_cells[k].EnsureWeights(g, inputSize, dtype));
                    inputSize = _cells[k].Units;
                }
        return [.. weights];
    }

    /// <inheritdoc/>
    protected override (Output Output, Output[] State) Step(Output x, Output[]? state)
    {
        var g = x.Graph;
        var next = new List<Output>(StateCount);
        var input = x;
        int first = 0;
        for (int k = 0; k < _cells.Length; k++)
        {
            var cell = _cells[k];
            var layerState = state?[first..(first + cell.StateCount)];
            Output[] layerNext;
            using (g.NameScope($"cell_{k}"))
                (input, layerNext) = cell.Call(input, layerState);
            next.AddRange(layerNext);
            first += cell.StateCount;
        }
        return (input, [.. next]);
    }

    /// <inheritdoc/>
    protected override void ForgetCachedNodesFrom(int nodeCount)
    {
        foreach (var cell in _cells) cell.ForgetNodesFrom(nodeCount);
    }

    private static int TopUnits(IReadOnlyList<RnnCell> cells) => cells.Count > 0
        ? cells[^1].Units
        : throw new ArgumentException("MultiRnnCell needs at least one cell.", nameof(cells));
}
