namespace GraphDL.Keras;

/// <summary>
/// A Keras model: layers from an input to an output, with what it takes to train and use them. The functional
/// form applies layers to symbolic tensors, then names the ends:
/// <code>
/// var inputs = Layers.Input([4]);
/// var x = new Layers.Dense(5, activation: "relu").Apply(inputs);
/// var outputs = new Layers.Dense(3, activation: "softmax").Apply(x);
/// var model = new Model(inputs, outputs);
/// </code>
/// A functional model is a graph of layers: several inputs and outputs, branches, and joins by merge layers
/// (<see cref="Keras.Layers.Concatenate"/>, <see cref="Keras.Layers.Add"/>, ...); a model is itself a layer that
/// another model can call (<see cref="Apply(KerasTensor)"/>), sharing its weights. <see cref="Sequential"/> stacks
/// layers instead, and a subclass may override <see cref="Call(KerasTensor)"/> (Keras's model subclassing).
/// Either way the model has a <see cref="GraphDL.Graph"/> (a placeholder per input, then each layer's weights and
/// nodes; the weights are variables, which hold no values yet) and a <see cref="GraphDL.Session"/> that holds the
/// weights' values once something runs. A functional model makes them on first use (Summary, Fit, Predict,
/// <see cref="Graph"/>), not when it is constructed, and models that share layers share them: the seed's sub-models
/// <c>x</c> and <c>y</c> and the model joining their outputs are three views of one graph, so training the joint
/// model changes the sub-models' weights.
/// </summary>
public partial class Model
{
    private readonly List<Layer> _layers = [];
    private readonly List<Layer> _named = [];
    private readonly List<KerasTensor> _inputs = [], _outputs = [], _calls = [];
    private bool _listsInputLayers;
    private Workspace? _workspace;
    private Output _training;
    private int? _seed;

    /// <summary>A functional model from <paramref name="inputs"/> (made by <see cref="Keras.Layers.Input"/>) to <paramref name="outputs"/> (Keras's <c>Model(inputs, outputs)</c>).</summary>
    public Model(KerasTensor inputs, KerasTensor outputs, string name = "model") : this([inputs], [outputs], name) { }

    /// <summary>A functional model with several inputs and one output: <c>new Model([x.Input, y.Input], z)</c>.</summary>
    public Model(IReadOnlyList<KerasTensor> inputs, KerasTensor outputs, string name = "model") : this(inputs, [outputs], name) { }

    /// <summary>A functional model with one input and several outputs.</summary>
    public Model(KerasTensor inputs, IReadOnlyList<KerasTensor> outputs, string name = "model") : this([inputs], outputs, name) { }

    /// <summary>
    /// A functional model from several inputs to several outputs (Keras's <c>Model(inputs=[a, b], outputs=[c, d])</c>).
    /// Every input must come from <see cref="Keras.Layers.Input"/> and every one must be needed by some output.
    /// </summary>
    public Model(IReadOnlyList<KerasTensor> inputs, IReadOnlyList<KerasTensor> outputs, string name = "model") : this(name)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Count == 0 || inputs.Any(t => t is null)) throw new ArgumentException("A model needs inputs, none of them null.", nameof(inputs));
        if (outputs.Count == 0 || outputs.Any(t => t is null)) throw new ArgumentException("A model needs outputs, none of them null.", nameof(outputs));
        foreach (var t in inputs)
            if (t.Layer is not Keras.Layers.InputLayer)
                throw new ArgumentException($"A model's inputs must come from Layers.Input(...), not from layer '{t.Layer.Name}' ({t.Layer.TypeName}).", nameof(inputs));
        if (inputs.Distinct().Count() != inputs.Count) throw new ArgumentException($"Model '{name}' is given the same input twice.", nameof(inputs));
        SetGraph(inputs, outputs, listInputLayers: true);
    }

    /// <summary>
    /// A model with no layers yet: <see cref="Sequential"/>'s start, and the constructor a subclass calls (Keras's
    /// model subclassing: create the layers in the subclass's constructor, connect them in <see cref="Call(KerasTensor)"/>).
    /// </summary>
    protected Model(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A model needs a name.", nameof(name));
        Name = name;
    }

    /// <summary>The name the summary prints: "sequential", "model", "vgg16".</summary>
    public string Name { get; }

    /// <summary>
    /// The graph seed: with it, the first weights and every dropout mask are the same on each run. Set it before
    /// anything runs (Fit, Evaluate, Predict, GetWeights); null draws fresh numbers each run, as Keras does. Models
    /// that share layers share a graph, whose seed is that of the model that made it.
    /// </summary>
    public int? Seed
    {
        get => _seed;
        set
        {
            if (_workspace?.Session is not null) throw new InvalidOperationException($"Model '{Name}' has run already, with its weights drawn; set Seed before Fit, Evaluate, Predict or GetWeights.");
            _seed = value;
            if (_workspace is not null) _workspace.Graph.Seed = value;
        }
    }

    /// <summary>The layers in order (Keras's <c>model.layers</c>); a functional model lists its InputLayers first.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>True once the model knows its input shape: a functional model always, a Sequential or subclassed one once built.</summary>
    public bool IsBuilt => _inputs.Count > 0;

    /// <summary>The graph of the model, made on first use (shared with the models whose layers this one shares).</summary>
    public Graph Graph => Built().Graph;

    /// <summary>The symbolic input (Keras's <c>model.input</c>), which converts to the input's placeholder; a model with several inputs has <see cref="Inputs"/>.</summary>
    public KerasTensor Input => IsBuilt ? Single(_inputs, "inputs", nameof(Inputs)) : throw NotBuilt();

    /// <summary>The symbolic output (Keras's <c>model.output</c>), which converts to the output's node; a model with several outputs has <see cref="Outputs"/>.</summary>
    public KerasTensor Output => IsBuilt ? Single(_outputs, "outputs", nameof(Outputs)) : throw NotBuilt();

    /// <summary>Every symbolic input, in the order Fit, Evaluate and Predict take the data (Keras's <c>model.inputs</c>).</summary>
    public IReadOnlyList<KerasTensor> Inputs => IsBuilt ? _inputs : throw NotBuilt();

    /// <summary>Every symbolic output, in the order Fit and Evaluate take the targets (Keras's <c>model.outputs</c>).</summary>
    public IReadOnlyList<KerasTensor> Outputs => IsBuilt ? _outputs : throw NotBuilt();

    /// <summary>The training flag every layer sees: feed 1 to train (dropout on), 0 to evaluate or predict.</summary>
    public Output TrainingFlag
    {
        get
        {
            _ = Built();
            return _training;
        }
    }

    /// <summary>The session holding the weights' values, started (and the weights initialised) on first use; models sharing a graph share it.</summary>
    public Session Session
    {
        get
        {
            var ws = Built();
            if (ws.Session is null)
            {
                ws.Session = new Session(ws.Graph);
                InitializeNewVariables();
            }
            return ws.Session;
        }
    }

    /// <summary>The (first) input's shape, batch (None) first; null while a Sequential or subclassed model does not know it yet.</summary>
    public Shape? InputShape => _inputs.Count > 0 ? _inputs[0].Shape : null;

    /// <summary>The (first) output's shape, batch (None) first; null while a Sequential or subclassed model does not know its input yet.</summary>
    public Shape? OutputShape => _outputs.Count > 0 ? _outputs[0].Shape : null;

    /// <summary>
    /// Every layer's weights, in layer order (a nested model's once, however often it is called). A functional model
    /// builds its graph first, as Keras builds one when it is constructed, so that <c>SetWeights</c> right after
    /// <c>new Model(inputs, outputs)</c> finds them; a Sequential model that does not know its input yet has none.
    /// </summary>
    public IReadOnlyList<Output> Weights => BuiltIfKnown().LayerWeights;

    /// <summary>Every layer's trainable weights, in layer order: what Fit's optimizer updates.</summary>
    public IReadOnlyList<Output> TrainableWeights => [.. BuiltIfKnown()._layers.SelectMany(l => l.TrainableWeights).Distinct()];

    /// <summary>Every layer's weights that Fit leaves alone, in layer order.</summary>
    public IReadOnlyList<Output> NonTrainableWeights => [.. BuiltIfKnown()._layers.SelectMany(l => l.NonTrainableWeights).Distinct()];

    /// <summary>The weights the layers hold so far, without building: what an outer model sees of this one while it builds itself.</summary>
    private protected IReadOnlyList<Output> LayerWeights => [.. _layers.SelectMany(l => l.Weights).Distinct()];

    private Model BuiltIfKnown()
    {
        if (IsBuilt) _ = Built();
        return this;
    }

    /// <summary>The number of parameters, counted from the weights' shapes: building the graph creates no values.</summary>
    public long CountParams()
    {
        _ = Graph;
        return Weights.Sum(w => (long)w.Shape.Size);
    }

    /// <summary>The current value of every weight, in <see cref="Weights"/> order (Keras's <c>get_weights()</c>).</summary>
    public Tensor[] GetWeights() => [.. Weights.Select(Session.GetValue)];

    /// <summary>Sets every weight, in <see cref="Weights"/> order (Keras's <c>set_weights()</c>).</summary>
    public void SetWeights(IReadOnlyList<Tensor> values)
    {
        var weights = Weights;
        if (values.Count != weights.Count)
            throw new ArgumentException($"Model '{Name}' has {weights.Count} weights, got {values.Count} values.", nameof(values));
        var session = Session;
        for (int i = 0; i < weights.Count; i++) session.SetValue(weights[i], values[i]);
    }

    /// <summary>The graph nodes of the inputs, in <see cref="Inputs"/> order.</summary>
    internal IReadOnlyList<Output> InputNodes => NodesOf(_inputs);

    /// <summary>The graph nodes of the outputs, in <see cref="Outputs"/> order.</summary>
    internal IReadOnlyList<Output> OutputNodes => NodesOf(_outputs);

    private Output[] NodesOf(List<KerasTensor> tensors)
    {
        _ = Built();
        return [.. tensors.Select(t => t.Node!.Value)];
    }

    /// <summary>The symbolic output so far of a one-output model; null while the input shape is unknown.</summary>
    private protected KerasTensor? CurrentOutput => _outputs.Count == 1 ? _outputs[0] : null;

    /// <summary>
    /// Gives <paramref name="layer"/> a name unique in this model and makes it the model's: its own, or the one
    /// another model gave it, or else dense, dense_1, ... A layer another model named but no graph uses yet is
    /// renamed where its name is taken here, so that joining two sub-models' outputs names their layers apart.
    /// </summary>
    /// <param name="layer">The layer joining the model.</param>
    /// <param name="listed">Whether <see cref="Layers"/> lists it (a Sequential model's input layer is not).</param>
    /// <param name="renamingTogether">Layers being renamed in the same pass, whose names in other models do not block a new name.</param>
    private protected void Adopt(Layer layer, bool listed = true, IReadOnlySet<Layer>? renamingTogether = null)
    {
        if (layer.Models.Contains(this)) return;
        bool named = layer.HasExplicitName(out string name);
        if (named && !layer.CanRename)
        {
            if (IsTaken(name, layer))
                throw new ArgumentException($"Model '{Name}' already has a layer named '{name}'; layer names must be unique.");
        }
        else if (!named || IsTaken(name, layer))
        {
            for (int k = 0; ; k++)
            {
                name = layer is Keras.Layers.InputLayer ? $"input_{k + 1}" : k == 0 ? layer.DefaultName : $"{layer.DefaultName}_{k}";
                if (!IsTaken(name, layer) && layer.Models.All(m => !m.IsTaken(name, layer, renamingTogether))) break;
            }
        }
        if (layer.Models.Count > 0 && layer.Name != name) layer.Rename(name);
        layer.JoinModel(this, name);
        _named.Add(layer);
        if (listed) _layers.Add(layer);
    }

    private bool IsTaken(string name, Layer except, IReadOnlySet<Layer>? ignored = null) =>
        _named.Any(l => l != except && l.Name == name && ignored?.Contains(l) != true);

    /// <summary>Undoes <see cref="Adopt"/> for a layer that could not be added after all.</summary>
    private protected void Disown(Layer layer)
    {
        _layers.Remove(layer);
        _named.Remove(layer);
        layer.LeaveModel(this);
    }

    private protected virtual Exception NotBuilt() =>
        new InvalidOperationException($"Model '{Name}' has not been built yet: it does not know its input shape.");

    private static KerasTensor Single(List<KerasTensor> tensors, string what, string listName) => tensors.Count == 1 ? tensors[0]
        : throw new InvalidOperationException($"The model has {tensors.Count} {what}; take them from {listName}.");

    /// <summary>Runs the initializers of the variables created since the last call (weights, then optimizer slots and totals after a Compile).</summary>
    private void InitializeNewVariables()
    {
        var ws = _workspace;
        if (ws?.Session is null) return;
        var all = ws.Graph.GlobalVariables;
        if (all.Count == ws.InitializedVariables) return;
        ws.Session.Run(ws.Graph.VariablesInitializer(all.Skip(ws.InitializedVariables)));
        ws.InitializedVariables = all.Count;
    }
}
