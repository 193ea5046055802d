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
/// <see cref="Sequential"/> stacks layers instead. Either way the model owns a <see cref="GraphDL.Graph"/>, built as
/// soon as the input shape is known (a placeholder for the input, then each layer's weights and nodes in turn; the
/// weights are variables, which hold no values yet), and a <see cref="GraphDL.Session"/> that holds the weights'
/// values once something runs.
/// </summary>
public partial class Model
{
    private readonly List<Layer> _layers = [];
    private readonly HashSet<string> _layerNames = new(StringComparer.Ordinal);
    private KerasTensor? _inputs, _outputs;
    private Graph? _graph;
    private Output _input, _output, _training;
    private Session? _session;
    private int _initializedVariables;
    private int? _seed;

    /// <summary>A functional model from <paramref name="inputs"/> (made by <see cref="Keras.Layers.Input"/>) to <paramref name="outputs"/>.</summary>
    public Model(KerasTensor inputs, KerasTensor outputs, string name = "model") : this(name)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Layer is not Keras.Layers.InputLayer)
            throw new ArgumentException($"A model's inputs must come from Layers.Input(...), not from layer '{inputs.Layer.Name}' ({inputs.Layer.TypeName}).", nameof(inputs));
        var chain = Chain(inputs, outputs);
        Adopt(inputs.Layer);
        foreach (var t in chain) Adopt(t.Layer);
        BuildGraph(inputs, chain);
    }

    private protected Model(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A model needs a name.", nameof(name));
        Name = name;
    }

    /// <summary>The name the summary prints: "sequential", "model", "vgg16".</summary>
    public string Name { get; }

    /// <summary>
    /// The graph seed: with it, the first weights and every dropout mask are the same on each run. Set it before
    /// anything runs (Fit, Evaluate, Predict, GetWeights); null draws fresh numbers each run, as Keras does.
    /// </summary>
    public int? Seed
    {
        get => _seed;
        set
        {
            if (_session is not null) throw new InvalidOperationException($"Model '{Name}' has run already, with its weights drawn; set Seed before Fit, Evaluate, Predict or GetWeights.");
            _seed = value;
            if (_graph is not null) _graph.Seed = value;
        }
    }

    /// <summary>The layers in order (Keras's <c>model.layers</c>); a functional model lists its InputLayer first.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>True once the model knows its input shape and has built its graph.</summary>
    public bool IsBuilt => _graph is not null;

    /// <summary>The graph of the model.</summary>
    public Graph Graph => _graph ?? throw NotBuilt();

    /// <summary>The input placeholder, (None, ...).</summary>
    public Output Input => _graph is not null ? _input : throw NotBuilt();

    /// <summary>The model's output node.</summary>
    public Output Output => _graph is not null ? _output : throw NotBuilt();

    /// <summary>The training flag every layer sees: feed 1 to train (dropout on), 0 to evaluate or predict.</summary>
    public Output TrainingFlag => _graph is not null ? _training : throw NotBuilt();

    /// <summary>The session holding the weights' values, started (and the weights initialised) on first use.</summary>
    public Session Session => _session ?? StartSession();

    /// <summary>The input shape, batch (None) first; null while a Sequential model does not know it yet.</summary>
    public Shape? InputShape => _inputs?.Shape;

    /// <summary>The output shape, batch (None) first; null while a Sequential model does not know its input yet.</summary>
    public Shape? OutputShape => _outputs?.Shape;

    /// <summary>Every layer's weights, in layer order.</summary>
    public IReadOnlyList<Output> Weights => [.. _layers.SelectMany(l => l.Weights)];

    /// <summary>Every layer's trainable weights, in layer order: what Fit's optimizer updates.</summary>
    public IReadOnlyList<Output> TrainableWeights => [.. _layers.SelectMany(l => l.TrainableWeights)];

    /// <summary>Every layer's weights that Fit leaves alone, in layer order.</summary>
    public IReadOnlyList<Output> NonTrainableWeights => [.. _layers.SelectMany(l => l.NonTrainableWeights)];

    /// <summary>The number of parameters, counted from the weights' shapes: building the graph creates no values.</summary>
    public long CountParams()
    {
        _ = Graph;
        return Weights.Sum(w => (long)w.Shape.Size);
    }

    /// <summary>
    /// Prints Keras's summary table (layer and type, output shape, parameters, totals) to <paramref name="writer"/>
    /// (the console by default) and returns it.
    /// </summary>
    public string Summary(TextWriter? writer = null)
    {
        _ = Graph;
        var rows = new List<(string, string, long)>();
        if (_layers.Contains(_inputs!.Layer)) rows.Add((_inputs.Layer.ToString(), $"[{Layer.Format(_inputs.Shape)}]", 0));
        foreach (var t in Chain(_inputs, _outputs!))
            rows.Add((t.Layer.ToString(), Layer.Format(t.Shape), t.Layer.CountParams()));
        long trainable = TrainableWeights.Sum(w => (long)w.Shape.Size);
        long nonTrainable = NonTrainableWeights.Sum(w => (long)w.Shape.Size);
        string text = SummaryTable.Format(Name, rows, trainable, nonTrainable);
        (writer ?? Console.Out).Write(text);
        return text;
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

    /// <summary>The symbolic output so far; null while the input shape is unknown.</summary>
    private protected KerasTensor? Outputs => _outputs;

    /// <summary>Gives <paramref name="layer"/> a name unique in this model (its own, or dense, dense_1, ...) and makes it the model's.</summary>
    private protected void Adopt(Layer layer, bool listed = true)
    {
        if (layer.Owner == this) return;
        string name;
        if (layer.HasExplicitName(out name))
        {
            if (_layerNames.Contains(name))
                throw new ArgumentException($"Model '{Name}' already has a layer named '{name}'; layer names must be unique.");
        }
        else
        {
            string stem = layer.DefaultName;
            name = stem;
            for (int k = 1; _layerNames.Contains(name); k++) name = $"{stem}_{k}";
        }
        layer.JoinModel(this, name);
        _layerNames.Add(name);
        if (listed) _layers.Add(layer);
    }

    /// <summary>Undoes <see cref="Adopt"/> for a layer that could not be added after all.</summary>
    private protected void Disown(Layer layer)
    {
        _layers.Remove(layer);
        _layerNames.Remove(layer.Name);
        layer.LeaveModel(this);
    }

    /// <summary>Creates the graph: the input's placeholder, then each layer of <paramref name="chain"/> on the previous one's output.</summary>
    private protected void BuildGraph(KerasTensor inputs, IReadOnlyList<KerasTensor> chain)
    {
        var g = new Graph { Seed = _seed };
        try
        {
            _training = Layer.LearningPhase(g);
            _input = _output = ((Keras.Layers.InputLayer)inputs.Layer).CreatePlaceholder(g);
            (_graph, _inputs, _outputs) = (g, inputs, inputs);
            foreach (var t in chain) Append(t);
        }
        catch
        {
            // Layers built before the failing one would otherwise be tied to a graph nobody keeps.
            inputs.Layer.Unbuild(g);
            foreach (var t in chain) t.Layer.Unbuild(g);
            (_graph, _inputs, _outputs) = (null, null, null);
            throw;
        }
    }

    /// <summary>Adds the nodes of one more layer, <paramref name="t"/>'s, on top of the output so far.</summary>
    private protected void Append(KerasTensor t)
    {
        if (t.Input != _outputs) throw new ArgumentException($"Layer '{t.Layer.Name}' is not applied to the model's current output.");
        _output = t.Layer.Apply(_graph!, _output, _training);
        _outputs = t;
        _trainingNodes = null;   // a compiled loss belongs to the old output; the next Fit builds one for the new
        InitializeNewVariables();
    }

    /// <summary>The tensors from just after <paramref name="inputs"/> to <paramref name="outputs"/>, in order.</summary>
    private protected static List<KerasTensor> Chain(KerasTensor inputs, KerasTensor outputs)
    {
        var chain = new List<KerasTensor>();
        for (var t = outputs; t != inputs; t = t.Input)
        {
            if (t.Input is null)
                throw new ArgumentException($"The outputs do not come from the inputs: following them back ends at '{t.Layer.Name}' ({t.Layer.TypeName}), not at '{inputs.Layer.Name}'.");
            chain.Add(t);
        }
        chain.Reverse();
        return chain;
    }

    private protected virtual Exception NotBuilt() =>
        new InvalidOperationException($"Model '{Name}' has not been built yet: it does not know its input shape.");

    private Session StartSession()
    {
        _session = new Session(Graph);
        InitializeNewVariables();
        return _session;
    }

    /// <summary>Runs the initializers of the variables created since the last call (weights, then optimizer slots and totals after a Compile).</summary>
    private void InitializeNewVariables()
    {
        if (_session is null) return;
        var all = Graph.GlobalVariables;
        if (all.Count == _initializedVariables) return;
        _session.Run(Graph.VariablesInitializer(all.Skip(_initializedVariables)));
        _initializedVariables = all.Count;
    }
}
