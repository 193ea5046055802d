using System.Text;

namespace GraphDL.Keras;

/// <summary>
/// A Keras layer: a piece of a model that owns weights and, given its input, adds the graph nodes that compute
/// its output. A layer says three things, as in Keras:
/// <list type="bullet">
/// <item><see cref="ComputeOutputShape"/>: the output shape for an input shape, rejecting an input it cannot take;</item>
/// <item><see cref="Build(Graph, Shape)"/>: the weights to create once the input shape is known (with <see cref="AddWeight"/>);</item>
/// <item><see cref="Call(Graph, Output, Output)"/>: the nodes from the input to the output.</item>
/// </list>
/// Shapes include the batch dimension first, unknown (-1, Keras's None) until data is fed.
/// </summary>
/// <remarks>
/// A model names its layers when they join it (dense, dense_1, ...), counting per model rather than per process as
/// Keras does, so a model's summary reads the same whatever else the program built before it. A layer may serve
/// several models, as in Keras (a sub-model and the model joining it, a shared tower): its weights live in one graph,
/// which those models share. When a model takes a layer that another model named, but no graph uses yet, and the
/// name is taken, the layer is renamed (the seed's two branches each have a "dense"; joined, they count on).
/// </remarks>
public abstract partial class Layer
{
    private readonly List<Output> _weights = [];
    private readonly List<Output> _losses = [];
    private readonly List<Node> _updates = [];
    private string? _name;
    private bool _hadExplicitName;
    private bool _trainable = true;

    /// <param name="name">The layer's name; by default the model gives it one from <see cref="DefaultName"/>.</param>
    /// <param name="inputShape">The input's shape without the batch dimension, for the first layer of a Sequential model (Keras's input_shape).</param>
    protected Layer(string? name = null, int[]? inputShape = null)
    {
        if (name is not null && (name.Length == 0 || name.Contains('/') || name.Contains(':')))
            throw new ArgumentException($"A layer name must be non-empty without '/' or ':', got '{name}'.", nameof(name));
        _name = name;
        if (inputShape is not null)
        {
            if (inputShape.Any(d => d < 1 && d != Shape.Unknown))
                throw new ArgumentException($"input_shape ({string.Join(", ", inputShape)}) must list the input's dimensions without the batch, each positive or -1.", nameof(inputShape));
            InputShape = new Shape([Shape.Unknown, .. inputShape]);
        }
    }

    /// <summary>The layer's name: "dense", "conv2d_1", ... (unique within its model).</summary>
    public string Name => _name ?? DefaultName;

    /// <summary>What the model's summary shows in brackets: the class name, "Dense", "Conv2D".</summary>
    public virtual string TypeName => GetType().Name;

    /// <summary>The class name in snake case, as Keras names layers: Dense → dense, MaxPooling2D → max_pooling2d, SimpleRNN → simple_rnn.</summary>
    public virtual string DefaultName => SnakeCase(TypeName);

    /// <summary>The input shape given to the constructor, batch dimension (unknown) first; null when not given.</summary>
    public Shape? InputShape { get; }

    /// <summary>The dtype the layer takes as input when it is the first layer (Int32 for an embedding's word ids).</summary>
    public virtual DType InputDType => DType.Float32;

    /// <summary>False freezes the layer: its weights are created non-trainable, so optimizers leave them alone.</summary>
    public bool Trainable { get => _trainable; init => _trainable = value; }

    /// <summary>The graph the layer's weights live in, once built.</summary>
    public Graph? Graph { get; private set; }

    /// <summary>True once the layer has made its weights in a graph (at a model's build or its first call).</summary>
    public bool IsBuilt => Graph is not null;

    /// <summary>The input shape the layer was built for.</summary>
    public Shape? BuiltInputShape { get; private set; }

    /// <summary>Every weight variable, in the order the layer created them (kernel, then bias, ...).</summary>
    public virtual IReadOnlyList<Output> Weights => _weights;

    /// <summary>The weights an optimizer updates (Keras's trainable_weights).</summary>
    public IReadOnlyList<Output> TrainableWeights => [.. Weights.Where(IsTrainable)];

    /// <summary>The weights an optimizer leaves alone (Keras's non_trainable_weights).</summary>
    public IReadOnlyList<Output> NonTrainableWeights => [.. Weights.Where(w => !IsTrainable(w))];

    /// <summary>The number of numbers in the layer's weights, from their shapes alone (no value is needed).</summary>
    public long CountParams() => IsBuilt
        ? Weights.Sum(w => (long)w.Shape.Size)
        : throw new InvalidOperationException($"Layer '{Name}' ({TypeName}) is not built yet, so its weights' shapes are not known: put it in a model with a known input shape first.");

    /// <summary>The output shape for an input of <paramref name="inputShape"/>; throws a <see cref="ShapeException"/> naming the layer when it cannot take that input.</summary>
    public abstract Shape ComputeOutputShape(Shape inputShape);

    /// <summary>Creates the layer's weights for an input of <paramref name="inputShape"/>, with <see cref="AddWeight"/>. Runs once, inside the layer's name scope.</summary>
    protected abstract void Build(Graph g, Shape inputShape);

    /// <summary>The nodes computing the output from <paramref name="x"/>. <paramref name="training"/> is the model's training flag, a Float32 scalar: 1 while Fit trains, 0 otherwise.</summary>
    protected abstract Output Call(Graph g, Output x, Output training);

    /// <summary>
    /// Applies the layer to a symbolic tensor (Keras's functional API, <c>Dense(64)(inputs)</c>): it checks the input
    /// and works out the output's shape; the graph nodes are made when a <see cref="Model"/> is built from it.
    /// </summary>
    public KerasTensor Apply(KerasTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Apply([input]);
    }

    /// <summary>
    /// Applies the layer to several symbolic tensors at once: a merge layer's inputs
    /// (<c>new Layers.Concatenate().Apply([x1, x2])</c>, Keras's <c>Concatenate()([x1, x2])</c>).
    /// </summary>
    public KerasTensor Apply(IReadOnlyList<KerasTensor> inputs)
    {
        var outputs = Connect(inputs);
        return outputs.Length == 1 ? outputs[0]
            : throw new InvalidOperationException($"Layer '{Name}' ({TypeName}) has {outputs.Length} outputs{SeveralOutputsReason}; a chain of layers carries one tensor, so apply it with ApplyAll, which returns one tensor for each.");
    }

    /// <summary>
    /// Applies the layer and returns every output of the call: a recurrent layer's [output, h, c] with returnState
    /// (Keras's <c>out, h, c = LSTM(10, return_state=True)(x)</c>), a Bidirectional's two directions without merging.
    /// </summary>
    public IReadOnlyList<KerasTensor> ApplyAll(IReadOnlyList<KerasTensor> inputs) => Connect(inputs);

    /// <summary>Why the layer gives several outputs, for the error of a one-output apply: " (returnState: true gives [output, h, c])".</summary>
    private protected virtual string SeveralOutputsReason => "";

    /// <summary>One call of the layer on <paramref name="inputs"/>: its output tensors, shapes checked.</summary>
    internal KerasTensor[] Connect(IReadOnlyList<KerasTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0 || inputs.Any(t => t is null))
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) needs input tensors, got {(inputs.Count == 0 ? "none" : "a null one")}.", nameof(inputs));
        var shapes = ComputeOutputShapes([.. inputs.Select(t => t.Shape)]);
        return KerasTensor.Outputs(this, inputs, shapes, OutputDTypes(shapes.Count));
    }

    /// <summary>
    /// The output shapes for the shapes of several inputs. A layer that takes one input (most do) needs nothing
    /// more than <see cref="ComputeOutputShape(Shape)"/>; merge layers and models override this.
    /// </summary>
    public virtual IReadOnlyList<Shape> ComputeOutputShapes(IReadOnlyList<Shape> inputShapes)
    {
        if (inputShapes.Count != 1)
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) takes one input, but was given {inputShapes.Count}.");
        return [ComputeOutputShape(inputShapes[0])];
    }

    /// <summary>The dtype of each of <paramref name="count"/> outputs; by default <see cref="OutputDType"/>.</summary>
    private protected virtual IReadOnlyList<DType> OutputDTypes(int count) => [.. Enumerable.Repeat(OutputDType, count)];

    /// <summary>Creates the weights for several inputs; by default the one-input <see cref="Build(Graph, Shape)"/> on the first.</summary>
    protected virtual void Build(Graph g, IReadOnlyList<Shape> inputShapes) => Build(g, inputShapes[0]);

    /// <summary>The nodes computing the outputs from several inputs; by default the one-input <see cref="Call(Graph, Output, Output)"/>.</summary>
    protected virtual IReadOnlyList<Output> Call(Graph g, IReadOnlyList<Output> inputs, Output training) => [Call(g, inputs[0], training)];

    /// <summary>The dtype of the layer's output.</summary>
    public virtual DType OutputDType => DType.Float32;

    /// <summary>
    /// Adds the layer's nodes to <paramref name="g"/> on <paramref name="x"/> now, building its weights on first use,
    /// all inside a name scope of the layer's name (dense/kernel, dense/MatMul). This is how a model builds its
    /// graph, and how a TF1-style program can use a layer among its own nodes.
    /// </summary>
    /// <param name="g">The graph to build in; every call of one layer must use the same graph.</param>
    /// <param name="x">The layer's input, batch axis first.</param>
    /// <param name="training">The training flag; by default the graph's <see cref="LearningPhase"/>.</param>
    public Output Apply(Graph g, Output x, Output? training = null) => Apply(g, [x], training)[0];

    /// <summary>Adds the layer's nodes on several inputs now (a merge layer's, a model's): the graph form of <see cref="Apply(IReadOnlyList{KerasTensor})"/>.</summary>
    public IReadOnlyList<Output> Apply(Graph g, IReadOnlyList<Output> xs, Output? training = null)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(xs);
        if (Graph is not null && Graph != g)
            throw new InvalidOperationException($"Layer '{Name}' ({TypeName}) already has its weights in another graph: models that share layers share one graph, which the first of them to build makes, so build the combined model before its parts are built apart.");
        if (BuiltInputShape is not null && !xs[0].Shape.IsCompatibleWith(BuiltInputShape))
            throw new ShapeException($"Layer '{Name}' ({TypeName}) was built for inputs of shape {Format(BuiltInputShape)}, but got an input of shape {Format(xs[0].Shape)}.");
        var expected = ComputeOutputShapes([.. xs.Select(x => x.Shape)]);
        var flag = training ?? LearningPhase(g);
        var mark = g.Mark();
        int updatesMark = _updates.Count;
        bool building = Graph is null;
        try
        {
            using (g.NameScope(Name))
            {
                if (building)
                {
                    Build(g, [.. xs.Select(x => x.Shape)]);
                    Graph = g;
                    BuiltInputShape = xs[0].Shape;
                }
                var ys = Call(g, xs, flag);
                for (int i = 0; i < ys.Count; i++)
                    if (!ys[i].Shape.IsCompatibleWith(expected[i]))
                        throw new InvalidOperationException($"Layer '{Name}' ({TypeName}) built an output of shape {Format(ys[i].Shape)}, but its ComputeOutputShape says {Format(expected[i])}.");
                return ys;
            }
        }
        catch
        {
            // A failed build leaves neither nodes nor half a set of weights behind.
            g.RollBack(mark);
            _updates.RemoveRange(updatesMark, _updates.Count - updatesMark);
            if (building)
            {
                foreach (var inner in InnerLayers) inner.Unbuild(g);
                _weights.Clear();
                _losses.Clear();
                _updates.Clear();
                Graph = null;
                BuiltInputShape = null;
            }
            throw;
        }
    }

    /// <summary>
    /// Creates one weight variable named <paramref name="name"/> inside the layer's scope (dense/kernel); with a
    /// <paramref name="regularizer"/>, its penalty joins <see cref="Losses"/> (dense/kernel_regularizer).
    /// </summary>
    protected Output AddWeight(Graph g, string name, Initializer init, bool trainable = true, Regularizer? regularizer = null)
    {
        var w = g.Variable(init, name, trainable && Trainable && !FrozenByWrapper);
        _weights.Add(w);
        if (regularizer is not null)
            using (g.NameScope(name + "_regularizer"))
                _losses.Add(regularizer.Penalty(g, w));
        return w;
    }

    /// <summary>
    /// The layer's penalty terms, scalars that a compiled model adds to its training loss (Keras's <c>layer.losses</c>):
    /// one per regularized weight, made when the layer builds, and those of the layers a wrapper holds.
    /// </summary>
    public virtual IReadOnlyList<Output> Losses => [.. _losses, .. InnerLayers.SelectMany(l => l.Losses)];

    /// <summary>
    /// The operations a training step runs besides the optimizer's (Keras's <c>layer.updates</c>): a batch
    /// normalization's moving averages, one set per call of the layer, and those of the layers a wrapper holds. Fit's
    /// train step groups them; Evaluate and Predict never run them.
    /// </summary>
    public virtual IReadOnlyList<Node> Updates => [.. _updates, .. InnerLayers.SelectMany(l => l.Updates)];

    /// <summary>Adds an operation of <see cref="Call(Graph, Output, Output)"/> that every training step must run (Keras's <c>add_update</c>).</summary>
    protected void AddUpdate(Node update) => _updates.Add(update);

    /// <summary>
    /// The graph's training flag (Keras's learning phase): a Float32 scalar placeholder that a model feeds 1 while it
    /// trains and 0 when it evaluates or predicts. One per graph, kept in the collection "keras_learning_phase".
    /// </summary>
    public static Output LearningPhase(Graph g)
    {
        var existing = g.GetCollection(LearningPhaseCollection);
        if (existing.Count > 0) return existing[0];
        var flag = g.Placeholder(DType.Float32, Shape.Scalar, "keras_learning_phase");
        g.AddToCollection(LearningPhaseCollection, flag);
        return flag;
    }

    private const string LearningPhaseCollection = "keras_learning_phase";

    /// <summary>Throws unless <paramref name="input"/> has rank <paramref name="rank"/>; <paramref name="layout"/> names the axes, e.g. "(batch, height, width, channels)".</summary>
    protected void RequireRank(Shape input, int rank, string layout)
    {
        if (input.Rank != rank)
            throw new ShapeException($"Layer '{Name}' ({TypeName}) expects an input of rank {rank}, {layout}, but got an input of shape {Format(input)} (rank {input.Rank}).");
    }

    /// <summary>Throws unless <paramref name="input"/> has at least rank <paramref name="rank"/>.</summary>
    protected void RequireMinRank(Shape input, int rank, string layout)
    {
        if (input.Rank < rank)
            throw new ShapeException($"Layer '{Name}' ({TypeName}) expects an input of rank {rank} or more, {layout}, but got an input of shape {Format(input)} (rank {input.Rank}).");
    }

    /// <summary>Throws unless axis <paramref name="axis"/> of <paramref name="input"/> is known (the size of a weight depends on it).</summary>
    protected int RequireKnown(Shape input, int axis, string what)
    {
        int d = input[axis];
        if (d == Shape.Unknown)
            throw new ShapeException($"Layer '{Name}' ({TypeName}) needs to know the input's {what}, but the input's shape is {Format(input)}.");
        return d;
    }

    /// <summary>A shape as Keras prints it: (None, 28, 28, 32).</summary>
    public static string Format(Shape shape)
    {
        var dims = shape.Select(d => d == Shape.Unknown ? "None" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return dims.Length == 1 ? $"({dims[0]},)" : $"({string.Join(", ", dims)})";
    }

    /// <summary>"dense_1 (Dense)": the name and the layer type, as the summary lists them.</summary>
    public override string ToString() => $"{Name} ({TypeName})";

    /// <summary>The first model the layer joined, if any (it named the layer then).</summary>
    internal Model? Owner { get; private set; }

    /// <summary>Every model the layer belongs to: a functional model shares the layers of the models it is made from.</summary>
    internal List<Model> Models { get; } = [];

    internal void JoinModel(Model model, string name)
    {
        if (Models.Contains(model)) return;
        if (Owner is null)
        {
            Owner = model;
            _hadExplicitName = _name is not null;
        }
        _name = name;
        Models.Add(model);
    }

    /// <summary>Leaves <paramref name="model"/> again, when it could not take the layer after all.</summary>
    internal void LeaveModel(Model model)
    {
        Models.Remove(model);
        if (Owner != model) return;
        Owner = null;
        if (!_hadExplicitName) _name = null;
    }

    /// <summary>True when a model may still rename the layer: its name was given by a model, and no graph uses it yet.</summary>
    internal bool CanRename => Owner is not null && !_hadExplicitName && Graph is null;

    /// <summary>Marks a layer without weights (an input) as built in <paramref name="g"/>.</summary>
    internal void MarkBuilt(Graph g, Shape inputShape)
    {
        Graph = g;
        BuiltInputShape = inputShape;
    }

    /// <summary>Forgets weights built in <paramref name="g"/>, when a model's graph failed to build and is dropped.</summary>
    internal void Unbuild(Graph g)
    {
        foreach (var inner in InnerLayers) inner.Unbuild(g);
        if (Graph != g) return;
        _weights.Clear();
        _losses.Clear();
        _updates.Clear();
        Graph = null;
        BuiltInputShape = null;
    }

    /// <summary>The layers a wrapper applies inside its own call (TimeDistributed's layer); their weights count as the wrapper's.</summary>
    private protected virtual IEnumerable<Layer> InnerLayers => [];

    /// <summary>Set by a frozen wrapper before its inner layer builds: Keras's trainable=False reaches the layers inside.</summary>
    internal bool FrozenByWrapper { get; set; }

    /// <summary>Counts weights an inner layer made as this layer's own, so the model trains, saves and counts them.</summary>
    private protected void TrackWeights(IEnumerable<Output> weights) => _weights.AddRange(weights);

    internal void Rename(string name) => _name = name;

    internal bool HasExplicitName(out string name)
    {
        name = Name;
        return _name is not null;
    }

    private static bool IsTrainable(Output w) => ((VariableOp)w.Node.Op).Trainable;

    /// <summary>Keras's rule: an underscore before each capitalised word and between a lower-case letter and a capital, then lower case.</summary>
    private static string SnakeCase(string typeName)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < typeName.Length; i++)
        {
            char c = typeName[i];
            bool startsWord = i > 0 && char.IsUpper(c) && i + 1 < typeName.Length && char.IsLower(typeName[i + 1]);
            bool afterLower = i > 0 && char.IsUpper(c) && char.IsLower(typeName[i - 1]);
            if (startsWord || afterLower) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
