using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace GraphDL.Keras;

// The graph of layer calls behind a model: its order, the graph and session it shares with other models, a model
// called as a layer, and a subclass's Call.
public partial class Model
{
    /// <summary>
    /// The graph and session of every model that shares layers: the weights live in one graph and have one value.
    /// Found from the graph, so that whichever model builds first makes it and the others join it.
    /// </summary>
    private sealed class Workspace(Graph graph)
    {
        private static readonly ConditionalWeakTable<Graph, Workspace> ByGraph = [];

        public Graph Graph { get; } = graph;
        public Session? Session { get; set; }
        public int InitializedVariables { get; set; }

        public static Workspace Of(Graph g) => ByGraph.GetValue(g, g => new Workspace(g));
    }

    /// <summary>
    /// Takes <paramref name="inputs"/> and <paramref name="outputs"/> as the model's ends: orders the layer calls
    /// between them and adopts their layers. The graph is made later, on first use.
    /// </summary>
    private protected void SetGraph(IReadOnlyList<KerasTensor> inputs, IReadOnlyList<KerasTensor> outputs, bool listInputLayers)
    {
        var adopted = new List<Layer>();
        try
        {
            // The inputs first, so that an error about them names them as this model does.
            foreach (var t in inputs)
            {
                Adopt(t.Layer, listInputLayers);
                adopted.Add(t.Layer);
            }
            var calls = CallsBetween(inputs, outputs);
            // Layers that other models named but no graph uses yet may all be renamed together here.
            var renamable = calls.Select(c => c.Layer).Where(l => l.CanRename).ToHashSet();
            foreach (var call in calls)
            {
                if (call.Layer.Models.Contains(this)) continue;
                Adopt(call.Layer, renamingTogether: renamable);
                adopted.Add(call.Layer);
            }
            _listsInputLayers = listInputLayers;
            _inputs.AddRange(inputs);
            _outputs.AddRange(outputs);
            _calls.AddRange(calls);
        }
        catch
        {
            foreach (var layer in adopted) Disown(layer);
            throw;
        }
    }

    /// <summary>Undoes <see cref="SetGraph"/> for a model whose graph could not be built (its input layers leave it; its other layers stay).</summary>
    private protected void ForgetGraph()
    {
        foreach (var t in _inputs) Disown(t.Layer);
        _inputs.Clear();
        _outputs.Clear();
        _calls.Clear();
        _workspace = null;
    }

    /// <summary>
    /// The layer calls from <paramref name="inputs"/> to <paramref name="outputs"/>, each after the calls that make its
    /// inputs (a depth-first walk back from the outputs), each named by its first output tensor.
    /// </summary>
    private List<KerasTensor> CallsBetween(IReadOnlyList<KerasTensor> inputs, IReadOnlyList<KerasTensor> outputs)
    {
        var order = new List<KerasTensor>();
        var visited = new HashSet<KerasTensor>();
        var reached = new HashSet<KerasTensor>();
        var isInput = inputs.ToHashSet();
        void Visit(KerasTensor t)
        {
            if (isInput.Contains(t))
            {
                reached.Add(t);
                return;
            }
            var call = t.Siblings[0];
            if (!visited.Add(call)) return;
            if (t.Inputs.Count == 0)
                throw new ArgumentException($"Model '{Name}': the outputs depend on input '{t.Layer.Name}' {Layer.Format(t.Shape)}, which is not among the model's inputs.");
            foreach (var x in t.Inputs) Visit(x);
            order.Add(call);
        }
        foreach (var t in outputs) Visit(t);
        var unused = inputs.Where(t => !reached.Contains(t)).ToList();
        if (unused.Count > 0)
            throw new ArgumentException($"Model '{Name}': input {string.Join(", ", unused.Select(t => $"'{t.Layer.Name}' {Layer.Format(t.Shape)}"))} is not connected to the outputs; every input must be needed by some output.");
        return order;
    }

    /// <summary>The workspace with the model's nodes in it, building them on first use.</summary>
    private Workspace Built()
    {
        if (_workspace is not null) return _workspace;
        if (!IsBuilt) throw NotBuilt();
        var graphs = LayersDeep().Select(l => l.Graph).OfType<Graph>().Distinct().ToList();
        if (graphs.Count > 1)
            throw new InvalidOperationException($"Model '{Name}' joins layers whose weights are in {graphs.Count} different graphs: models that share layers share one graph, which the first of them to build makes, so build the combined model before its parts are built apart.");
        var g = graphs.Count == 1 ? graphs[0] : new Graph { Seed = _seed };
        var ws = Workspace.Of(g);
        _training = Layer.LearningPhase(g);
        Evaluate(g, _inputs, _calls);
        _workspace = ws;
        InitializeNewVariables();
        return ws;
    }

    /// <summary>
    /// Makes the nodes of <paramref name="calls"/> that no model has made yet (and the inputs' placeholders), each
    /// call on the nodes of its inputs. Shared layers were built before; a failure leaves no nodes behind.
    /// </summary>
    private static void Evaluate(Graph g, IReadOnlyList<KerasTensor> inputs, IReadOnlyList<KerasTensor> calls)
    {
        var mark = g.Mark();
        var made = new List<KerasTensor>();
        var unbuilt = LayersOf(inputs, calls).Where(l => !l.IsBuilt).ToList();
        try
        {
            foreach (var t in inputs)
            {
                if (t.Node is not null) continue;
                t.Node = ((Keras.Layers.InputLayer)t.Layer).CreatePlaceholder(g);
                made.Add(t);
            }
            var training = Layer.LearningPhase(g);
            foreach (var call in calls)
            {
                if (call.Node is not null) continue;
                var ys = call.Layer.Apply(g, [.. call.Inputs.Select(t => t.Node!.Value)], training);
                for (int i = 0; i < ys.Count; i++) call.Siblings[i].Node = ys[i];
                made.AddRange(call.Siblings);
            }
        }
        catch
        {
            foreach (var t in made) t.Node = null;
            foreach (var layer in unbuilt) layer.Unbuild(g);
            g.RollBack(mark);
            throw;
        }
    }

    private static IEnumerable<Layer> LayersOf(IReadOnlyList<KerasTensor> inputs, IReadOnlyList<KerasTensor> calls) =>
        inputs.Select(t => t.Layer).Concat(calls.Select(c => c.Layer)).Distinct();

    /// <summary>Every layer the model's graph holds, those of the models it calls included.</summary>
    private IEnumerable<Layer> LayersDeep() => LayersOf(_inputs, _calls)
        .SelectMany(l => l is ModelLayer nested ? [l, .. nested.Model.LayersDeep()] : new[] { l }).Distinct();

    /// <summary>Puts <paramref name="t"/>, one more layer's output on top of the current one, as the model's output (Sequential's Add).</summary>
    private protected void Extend(KerasTensor t)
    {
        if (CurrentOutput is not { } current || t.Input != current)
            throw new ArgumentException($"Layer '{t.Layer.Name}' is not applied to the model's current output.");
        if (_workspace is not null) Evaluate(_workspace.Graph, [], [t]);
        _outputs[0] = t;
        _calls.Add(t);
        _trainingNodes = null;   // a compiled loss belongs to the old output; the next Fit builds one for the new
        InitializeNewVariables();
    }

    /// <summary>Makes the graph now rather than on first use, so that a layer that cannot be built fails at once (Sequential's Add).</summary>
    private protected void BuildNow() => Built();

    /// <summary>
    /// A subclass's forward pass (Keras's <c>call</c>): apply the layers made in the constructor to
    /// <paramref name="inputs"/> and return the output. It runs once, when the model is built: by
    /// <see cref="Build"/>, or by the first Fit, Evaluate or Predict with the data's shape.
    /// </summary>
    protected virtual KerasTensor Call(KerasTensor inputs) =>
        throw new InvalidOperationException($"Model '{Name}' ({GetType().Name}) has no layers to call: a functional model is made from inputs and outputs, and a subclass overrides Call.");

    /// <summary>
    /// Tells a model its input shape without the batch (Keras's <c>build</c>): a subclass then runs
    /// <see cref="Call(KerasTensor)"/> on an input of that shape, and its layers are known.
    /// </summary>
    public virtual void Build(params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (IsBuilt) throw new InvalidOperationException($"Model '{Name}' already knows its input shape, {Layer.Format(InputShape!)}.");
        var inputs = Keras.Layers.Input(inputShape);
        var outputs = Call(inputs) ?? throw new InvalidOperationException($"Model '{Name}' ({GetType().Name}): Call returned null.");
        SetGraph([inputs], [outputs], listInputLayers: false);
    }

    /// <summary>A subclass learns its input shape from the first data it is given; a Sequential model overrides this.</summary>
    private protected virtual void KnowInputFrom(IReadOnlyList<Tensor> x)
    {
        if (!IsBuilt && x.Count == 1 && x[0].Rank >= 2) Build(x[0].Shape.Dims[1..].ToArray());
    }

    private ModelLayer? _asLayer;

    /// <summary>
    /// Calls the model as a layer on a symbolic tensor (Keras's <c>model(x)</c>): the output is computed by the
    /// model's own layers, with its weights, so training the outer model trains them too.
    /// </summary>
    public KerasTensor Apply(KerasTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Apply([input]);
    }

    /// <summary>Calls a model with several inputs as a layer, one tensor per input, in <see cref="Inputs"/> order.</summary>
    public KerasTensor Apply(IReadOnlyList<KerasTensor> inputs)
    {
        if (!IsBuilt) throw NotBuilt();
        _asLayer ??= new ModelLayer(this);
        return _asLayer.Apply(inputs);
    }

    /// <summary>Calls a model with several outputs as a layer: one symbolic tensor per output, in <see cref="Outputs"/> order.</summary>
    public IReadOnlyList<KerasTensor> ApplyAll(IReadOnlyList<KerasTensor> inputs)
    {
        if (!IsBuilt) throw NotBuilt();
        _asLayer ??= new ModelLayer(this);
        return _asLayer.Connect(inputs);
    }

    /// <summary>A model as one layer of another: its calls replayed on the outer model's tensors, with the same weights.</summary>
    private sealed class ModelLayer(Model model) : Layer(model.Name)
    {
        public Model Model { get; } = model;

        /// <summary>Keras's word for a functional model in a summary; a Sequential model is itself.</summary>
        public override string TypeName => Model is Sequential ? "Sequential" : "Functional";

        public override IReadOnlyList<Output> Weights => Model.LayerWeights;

        public override IReadOnlyList<Output> Losses => Model.LayerPenalties;

        public override IReadOnlyList<Node> Updates => Model.LayerUpdates;

        /// <summary>The nested model's own config, under the class name Sequential or Functional.</summary>
        public override JsonObject GetConfig() => Model.GetConfig();

        public override Shape ComputeOutputShape(Shape inputShape) => ComputeOutputShapes([inputShape])[0];

        public override IReadOnlyList<Shape> ComputeOutputShapes(IReadOnlyList<Shape> inputShapes)
        {
            var inputs = Model._inputs;
            if (inputShapes.Count != inputs.Count)
                throw new ArgumentException($"Model '{Name}' takes {inputs.Count} input(s), but was given {inputShapes.Count}.");
            for (int i = 0; i < inputs.Count; i++)
                if (!inputShapes[i].IsCompatibleWith(inputs[i].Shape))
                    throw new ShapeException($"Model '{Name}' takes inputs of shape {Format(inputs[i].Shape)}, but input {i} has shape {Format(inputShapes[i])}.");
            return [.. Model._outputs.Select(t => t.Shape)];
        }

        private protected override IReadOnlyList<DType> OutputDTypes(int count) => [.. Model._outputs.Select(t => t.DType)];

        protected override void Build(Graph g, Shape inputShape) { }

        protected override Output Call(Graph g, Output x, Output training) => Call(g, [x], training)[0];

        protected override IReadOnlyList<Output> Call(Graph g, IReadOnlyList<Output> inputs, Output training)
        {
            var values = new Dictionary<KerasTensor, Output>();
            for (int i = 0; i < inputs.Count; i++) values[Model._inputs[i]] = inputs[i];
            foreach (var call in Model._calls)
            {
                var ys = call.Layer.Apply(g, [.. call.Inputs.Select(t => values[t])], training);
                for (int i = 0; i < ys.Count; i++) values[call.Siblings[i]] = ys[i];
            }
            return [.. Model._outputs.Select(t => values[t])];
        }
    }
}
