namespace GraphDL;

/// <summary>
/// A static dataflow graph (TF1's tf.Graph): nodes are only ever appended, so node ids are a topological
/// order. Build it with the builder methods (g.Placeholder, g.MatMul, ...), then run it in a <see cref="Session"/>.
/// </summary>
public sealed partial class Graph : GraphBuilder
{
    private readonly List<Node> _nodes = [];
    private readonly Dictionary<string, Node> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);
    private readonly List<NameReservation> _reservations = [];
    private readonly List<int> _reservationOfNode = [];
    private readonly List<string> _scopes = [];
    private readonly List<Node[]> _controlDependencies = [];
    private readonly Dictionary<string, List<Output>> _collections = new(StringComparer.Ordinal);
    private int _gradientDepth;
    private int _optimizerDepth;

    /// <inheritdoc/>
    protected override Graph Target => this;

    /// <summary>The graph-level seed: with it, every random op without its own seed is reproducible.</summary>
    public int? Seed { get; set; }

    /// <summary>Every node, in the order built, which is a topological order: <c>Nodes[i].Id == i</c>.</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>Variables that optimizers update by default (TF1's tf.trainable_variables()).</summary>
    public IReadOnlyList<Output> TrainableVariables => GetCollection(Collections.TrainableVariables);

    /// <summary>Every variable (TF1's tf.global_variables()).</summary>
    public IReadOnlyList<Output> GlobalVariables => GetCollection(Collections.GlobalVariables);

    /// <summary>The outputs filed under a collection name (TF1's tf.get_collection); empty when there is none.</summary>
    public IReadOnlyList<Output> GetCollection(string name) =>
        _collections.TryGetValue(name, out var list) ? list : [];

    /// <summary>Files <paramref name="value"/> under a collection name (TF1's tf.add_to_collection); see <see cref="Collections"/>.</summary>
    public void AddToCollection(string name, Output value)
    {
        CheckOwned(value, "collection '" + name + "'");
        if (!_collections.TryGetValue(name, out var list)) _collections[name] = list = [];
        list.Add(value);
    }

    /// <summary>The node of that full name (scopes included), or null.</summary>
    public Node? FindNode(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Prefixes the names of nodes built inside the using block: "layer1/MatMul".</summary>
    public IDisposable NameScope(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/'))
            throw new ArgumentException($"A name scope needs a non-empty name without '/', got '{name}'.", nameof(name));
        return PushScope(name);
    }

    /// <summary>Nodes built inside the using block run only after <paramref name="dependencies"/>.</summary>
    public IDisposable ControlDependencies(params IEnumerable<Node> dependencies)
    {
        var deps = dependencies.ToArray();
        foreach (var d in deps)
            if (d.Graph != this) throw new ArgumentException($"Control dependency {d} belongs to a different graph.");
        _controlDependencies.Add(deps);
        return new Scope(() => _controlDependencies.RemoveAt(_controlDependencies.Count - 1));
    }

    /// <summary>
    /// The nodes on some data path from one of <paramref name="xs"/> to one of <paramref name="ys"/>, both ends
    /// included: what a gradient of the ys with respect to the xs flows through. Because ids are a topological
    /// order, one ascending pass finds what the xs reach and one walk back from the ys keeps what leads there.
    /// </summary>
    /// <param name="xs">Where the paths start.</param>
    /// <param name="ys">Where the paths end.</param>
    /// <param name="cutsPath">Nodes that no path passes through (a stop-gradient): such a node is on a path
    /// only when it is itself one of the xs.</param>
    /// <param name="carries">Edges a path may follow, by the output that flows along them; all when null. The
    /// gradient builder passes only float outputs, since a Bool or Int32 tensor carries no gradient (TF1's rule).</param>
    public IReadOnlySet<Node> NodesBetween(IEnumerable<Node> xs, IEnumerable<Node> ys, Func<Node, bool>? cutsPath = null,
                                           Func<Output, bool>? carries = null)
    {
        carries ??= _ => true;
        var reached = xs.ToHashSet();
        var ends = ys.ToList();
        foreach (var node in reached.Concat(ends))
            if (node.Graph != this) throw new ArgumentException($"Node {node} passed to NodesBetween belongs to a different graph.");
        if (reached.Count == 0 || ends.Count == 0) return new HashSet<Node>();
        int last = ends.Max(n => n.Id);
        for (int id = reached.Min(n => n.Id) + 1; id <= last; id++)
        {
            var node = _nodes[id];
            if (reached.Contains(node) || cutsPath?.Invoke(node) == true) continue;
            if (node.Inputs.Any(i => reached.Contains(i.Node) && carries(i))) reached.Add(node);
        }
        var between = new HashSet<Node>();
        var stack = new Stack<Node>(ends);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!reached.Contains(node) || !between.Add(node)) continue;
            foreach (var input in node.Inputs)
                if (carries(input)) stack.Push(input.Node);
        }
        return between;
    }

    /// <summary>Opens a scope under the current one without the checks of <see cref="NameScope"/>; the name may hold '/'.</summary>
    internal IDisposable PushScope(string name, bool exact = false)
    {
        _scopes.Add((exact ? name : UniqueName(ScopePrefix + name)) + "/");
        return new Scope(() => _scopes.RemoveAt(_scopes.Count - 1));
    }

    /// <summary>Builds under exactly <paramref name="prefix"/> ("model/", or "" for the top level), whatever name scopes are open.</summary>
    internal IDisposable AtExactScope(string prefix)
    {
        _scopes.Add(prefix);
        return new Scope(() => _scopes.RemoveAt(_scopes.Count - 1));
    }

    /// <summary>While open, new nodes are marked as gradient nodes.</summary>
    internal IDisposable BuildingGradient()
    {
        _gradientDepth++;
        return new Scope(() => _gradientDepth--);
    }

    /// <summary>While open, new nodes are marked as an optimizer's update nodes (assignments, slots, hyperparameters).</summary>
    internal IDisposable BuildingOptimizerUpdate()
    {
        _optimizerDepth++;
        return new Scope(() => _optimizerDepth--);
    }

    /// <summary>Where the graph stands now, for <see cref="RollBack(GraphMark)"/> to return to.</summary>
    internal GraphMark Mark() => new(_nodes.Count, _reservations.Count);

    /// <summary>
    /// Removes every node built since <paramref name="mark"/> and gives back every name reserved since, scopes'
    /// names included, with the counters that number them: a failed multi-node build (a gradient, an optimizer)
    /// leaves the graph as it was, and the next "MatMul" gets the name it would have had without it.
    /// </summary>
    internal void RollBack(GraphMark mark)
    {
        for (int i = _nodes.Count - 1; i >= mark.Nodes; i--)
        {
            _byName.Remove(_nodes[i].Name);
            foreach (var list in _collections.Values) list.RemoveAll(o => o.Node == _nodes[i]);
        }
        _nodes.RemoveRange(mark.Nodes, _nodes.Count - mark.Nodes);
        _reservationOfNode.RemoveRange(mark.Nodes, _reservationOfNode.Count - mark.Nodes);
        for (int i = _reservations.Count - 1; i >= mark.Names; i--)
        {
            var reservation = _reservations[i];
            _usedNames.Remove(reservation.Name);
            if (reservation.PreviousSuffix is int suffix) _nextSuffix[reservation.Requested] = suffix;
            else _nextSuffix.Remove(reservation.Requested);
        }
        _reservations.RemoveRange(mark.Names, _reservations.Count - mark.Names);
        ForgetSharedVariablesFrom(mark.Nodes);
    }

    /// <summary>
    /// Removes the nodes from <paramref name="nodeCount"/> on, with every name reserved since the first of them
    /// was named; for a caller that did not take a <see cref="Mark"/> before building them.
    /// </summary>
    internal void RollBack(int nodeCount) => RollBack(nodeCount < _nodes.Count
        ? new GraphMark(nodeCount, _reservationOfNode[nodeCount])
        : Mark());

    internal string ScopePrefix => _scopes.Count == 0 ? "" : _scopes[^1];

    internal Node CreateNode(Op op, IReadOnlyList<Output> inputs, string? name)
    {
        var inputArray = inputs.ToArray();
        for (int i = 0; i < inputArray.Length; i++)
        {
            if (inputArray[i].Node is null)
                throw new ArgumentException($"Input {i} of {op.TypeName} is a default Output that belongs to no graph.");
            CheckOwned(inputArray[i], $"input {i} of {op.TypeName}");
        }

        string baseName = name ?? op.TypeName;
        if (baseName.Length == 0 || baseName.Contains(':'))
            throw new ArgumentException($"Cannot build {op.TypeName}: '{baseName}' is not a valid node name (empty, or contains ':').", nameof(name));
        string candidate = PeekUniqueName(ScopePrefix + baseName);

        Shape[] shapes;
        DType[] dtypes;
        try
        {
            dtypes = op.InferDTypes(inputArray.Select(x => x.DType).ToArray());
            shapes = op.InferShapes(inputArray.Select(x => x.Shape).ToArray());
        }
        catch (ArgumentException e)
        {
            string operands = string.Join(", ", inputArray.Select(x => $"'{x.Name}' {x.DType} {x.Shape}"));
            throw new ShapeException($"Cannot build {op.TypeName} '{candidate}' from [{operands}]: {e.Message}");
        }

        var control = _controlDependencies.SelectMany(d => d).Distinct().ToArray();
        var mark = Mark();
        string unique = UniqueName(ScopePrefix + baseName);
        var node = new Node(this, _nodes.Count, unique, op, inputArray, control, shapes, dtypes, _gradientDepth > 0, _optimizerDepth > 0);
        _nodes.Add(node);
        _reservationOfNode.Add(mark.Names);
        _byName[unique] = node;
        try
        {
            op.OnAdded(node);
        }
        catch
        {
            RollBack(mark);
            throw;
        }
        return node;
    }

    internal void CheckOwned(Output x, string role)
    {
        if (x.Node.Graph != this)
            throw new ArgumentException($"The {role} is '{x.Name}', which belongs to a different graph.");
    }

    private string PeekUniqueName(string name)
    {
        if (!_usedNames.Contains(name)) return name;
        int k = _nextSuffix.GetValueOrDefault(name, 1);
        while (_usedNames.Contains($"{name}_{k}")) k++;
        return $"{name}_{k}";
    }

    /// <summary>TF1's rule: the first "MatMul" keeps its name, later ones become "MatMul_1", "MatMul_2", ...</summary>
    private string UniqueName(string name)
    {
        string unique = PeekUniqueName(name);
        _reservations.Add(new(unique, name, _nextSuffix.TryGetValue(name, out int previous) ? previous : null));
        if (unique != name) _nextSuffix[name] = int.Parse(unique[(name.Length + 1)..]) + 1;
        _usedNames.Add(unique);
        return unique;
    }

    /// <summary>A name taken (<paramref name="Name"/>, asked for as <paramref name="Requested"/>) and the suffix counter it replaced.</summary>
    private readonly record struct NameReservation(string Name, string Requested, int? PreviousSuffix);

    private sealed class Scope(Action onDispose) : IDisposable
    {
        private Action? _onDispose = onDispose;

        public void Dispose()
        {
            _onDispose?.Invoke();
            _onDispose = null;
        }
    }
}

/// <summary>A point in a graph's building that <see cref="Graph.RollBack(GraphMark)"/> returns to: its node count and name reservations.</summary>
internal readonly record struct GraphMark(int Nodes, int Names);

/// <summary>Names of the standard collections.</summary>
public static class Collections
{
    /// <summary>Every variable, trainable or not (TF1's tf.GraphKeys.GLOBAL_VARIABLES).</summary>
    public const string GlobalVariables = "variables";
    /// <summary>The variables optimizers update by default (TF1's tf.GraphKeys.TRAINABLE_VARIABLES).</summary>
    public const string TrainableVariables = "trainable_variables";
}
