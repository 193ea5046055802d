namespace GraphDL;

/// <summary>
/// One time step of a recurrent network (TF1's tf.nn.rnn_cell): from the input x_t (batch, features) and the
/// previous state it builds the step's output and the new state. The same weights serve every step, which is
/// what "shared across time" means on the slide: <see cref="GraphBuilder"/> sees one variable read by T steps,
/// and the gradient builder sums the T contributions to dW (backpropagation through time).
/// </summary>
/// <remarks>
/// A cell made with a unit count creates its variables the first time it is called, when the input's feature
/// count is known (as TF1's cells do); a cell made from existing weights (<c>FromWeights</c>) uses those, which
/// is how a layer API or a gradient check supplies its own.
/// </remarks>
public abstract class RnnCell
{
    private Output[]? _weights;

    /// <summary>A cell of <paramref name="units"/> hidden units whose weights go under the name scope <paramref name="name"/>, drawn with <paramref name="seed"/>.</summary>
    protected RnnCell(int units, string name, int? seed)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, "A recurrent cell needs at least one unit.");
        Units = units;
        Name = name;
        Seed = seed;
    }

    /// <summary>The size of the hidden state h (Keras's <c>units</c>, TF1's <c>num_units</c>).</summary>
    public int Units { get; }

    /// <summary>The name scope its variables are created in.</summary>
    public string Name { get; }

    /// <summary>The seed of its random initializers (null: the graph seed decides).</summary>
    public int? Seed { get; }

    /// <summary>How many tensors make up the state: 1 for a simple RNN or a GRU (h), 2 for an LSTM (c, h).</summary>
    public abstract int StateCount { get; }

    /// <summary>
    /// The width of each state tensor (TF1's state_size): <see cref="Units"/> for every one of a single cell's,
    /// each layer's own for a <see cref="MultiRnnCell"/>.
    /// </summary>
    public virtual IReadOnlyList<int> StateSizes => [.. Enumerable.Repeat(Units, StateCount)];

    /// <summary>The number of input features, once the weights exist.</summary>
    public int? InputSize { get; private set; }

    /// <summary>The weights shared by every time step (empty until the cell is first called).</summary>
    public IReadOnlyList<Output> Weights => _weights ?? [];

    /// <summary>
    /// The step's output and new state from x_t and the previous state. A null state is the zero state:
    /// the terms it would multiply are left out, which needs no batch size at build time.
    /// </summary>
    public (Output Output, Output[] State) Call(Output x, Output[]? state = null)
    {
        if (x.Shape.Rank != 2)
            throw new ShapeException($"Cell '{Name}' takes one time step of shape (batch, features), got {x.Shape}.");
        int features = x.Shape[1];
        if (features == Shape.Unknown)
            throw new ShapeException($"Cell '{Name}' needs the number of input features, but the input's shape is {x.Shape}.");
        if (_weights is not null && features != InputSize)
            throw new ShapeException($"Cell '{Name}' was built for {InputSize} input features, got an input of shape {x.Shape}.");
        if (state is not null)
        {
            if (state.Length != StateCount)
                throw new ArgumentException($"Cell '{Name}' has a state of {StateCount} tensor(s), got {state.Length}.", nameof(state));
            for (int k = 0; k < state.Length; k++)
            {
                var s = state[k];
                int size = StateSizes[k];
                if (s.Shape.Rank != 2 || s.Shape[1] != size && s.Shape[1] != Shape.Unknown)
                    throw new ShapeException($"Cell '{Name}' needs state {k} of shape (batch, {size}), got {s.Shape}.");
                if (s.DType != x.DType)
                    throw new ArgumentException($"Cell '{Name}' got an input of {x.DType} and a state of {s.DType}.");
            }
        }

        // Created only after the checks, so that a refused call leaves no variables behind.
        EnsureWeights(x.Graph, features, x.DType);
        return Step(x, state);
    }

    /// <summary>
    /// Creates the weights for inputs of <paramref name="features"/> features unless they exist, and checks that
    /// existing ones fit: how a <see cref="MultiRnnCell"/> builds its layers, each on the previous layer's width.
    /// </summary>
    internal IReadOnlyList<Output> EnsureWeights(Graph g, int features, DType dtype)
    {
        if (_weights is { } weights)
        {
            if (features != InputSize)
                throw new ShapeException($"Cell '{Name}' was built for {InputSize} input features, got {features}.");
            if (weights[0].DType != dtype)
                throw new ArgumentException($"Cell '{Name}' has {weights[0].DType} weights, got an input of {dtype}.");
            return weights;
        }
        _weights = CreateWeights(g, features, dtype);
        InputSize = features;
        return _weights;
    }

    /// <summary>
    /// After a failed build rolled the graph back to <paramref name="nodeCount"/> nodes: forgets the weights and
    /// cached nodes that went with it, so the next call creates them again.
    /// </summary>
    internal void ForgetNodesFrom(int nodeCount)
    {
        if (_weights is { } weights && weights.Any(w => w.Node.Id >= nodeCount))
        {
            _weights = null;
            InputSize = null;
        }
        ForgetCachedNodesFrom(nodeCount);
    }

    /// <summary>Cells that cache nodes between calls drop those built at or after <paramref name="nodeCount"/>.</summary>
    protected virtual void ForgetCachedNodesFrom(int nodeCount) { }

    /// <summary>Creates the variables (in a name scope called <see cref="Name"/>) for inputs of <paramref name="inputSize"/> features.</summary>
    protected abstract Output[] CreateWeights(Graph g, int inputSize, DType dtype);

    /// <summary>
    /// Keras's three weights of a recurrent cell whose <paramref name="blocks"/> gate blocks sit side by side:
    /// kernel (inputSize, blocks · units), Glorot uniform; recurrent_kernel (units, blocks · units), orthogonal, drawn
    /// from the next seed; and bias from <paramref name="bias"/>; in a name scope called <see cref="Name"/>.
    /// </summary>
    protected Output[] KerasWeights(Graph g, int inputSize, DType dtype, int blocks, Initializer bias)
    {
        using (g.NameScope(Name))
            return
            [
                g.Variable(Init.GlorotUniform([inputSize, blocks * Units], Seed) with { DType = dtype }, "kernel"),
                g.Variable(new OrthogonalInit(new Shape(Units, blocks * Units), Seed: Seed + 1) { DType = dtype }, "recurrent_kernel"),
                g.Variable(bias with { DType = dtype }, "bias"),
            ];
    }

    /// <summary>The cell's equations for one step; the weights exist and the shapes have been checked.</summary>
    protected abstract (Output Output, Output[] State) Step(Output x, Output[]? state);

    /// <summary>For cells made from given weights: records them and the input size they imply.</summary>
    protected void UseWeights(int inputSize, params Output[] weights)
    {
        _weights = weights;
        InputSize = inputSize;
    }

    /// <summary>Checks that a given weight has the shape the cell's equations need.</summary>
    protected static void Require(Output weight, string role, params int[] dims)
    {
        if (weight.Shape != new Shape(dims))
            throw new ShapeException($"The {role} '{weight.Name}' should have shape {new Shape(dims)}, got {weight.Shape}.");
    }
}

/// <summary>What <see cref="Graph.StaticRnn(RnnCell, Output, Output[], string)"/> returns: each step's output and the state after the last step.</summary>
/// <param name="Outputs">h_1 ... h_T, each (batch, units).</param>
/// <param name="FinalState">The state after step T: [h_T] for a simple RNN, [c_T, h_T] for an LSTM (TF1's LSTMStateTuple order).</param>
public sealed record RnnResult(Output[] Outputs, Output[] FinalState)
{
    /// <summary>The last step's output h_T (Keras's output when return_sequences is false).</summary>
    public Output LastOutput => Outputs[^1];

    /// <summary>Builds the outputs stacked along a time axis: (batch, time, units), Keras's return_sequences=True.</summary>
    public Output OutputSequence(string name = "outputs")
    {
        var graph = Outputs[0].Graph;
        using (graph.NameScope(name))
            return graph.Concat([.. Outputs.Select(h => graph.ExpandDims(h, 1))], axis: 1);
    }
}
