namespace GraphDL;

/// <summary>
/// Everything one (fetch set, feed set) needs, worked out once: the nodes to run in build order, where each
/// of their inputs comes from (a feed or an earlier step's output), and each step's output buffers, which
/// stay with the plan and are refilled by the next run. Output shapes are inferred again only when an
/// input's shape changes (a new batch size), so a steady-state run allocates nothing.
/// </summary>
internal sealed class Plan
{
    private readonly Fetch[] _fetches;
    private readonly Output[] _feedKeys;
    private readonly Tensor?[] _feedValues;
    private readonly Step[] _steps;
    private readonly Source[] _fetchSources;
    private readonly RunResult? _operationsOnly;

    private Plan(Fetch[] fetches, Output[] feedKeys, Step[] steps, Source[] fetchSources)
    {
        _fetches = fetches;
        _feedKeys = feedKeys;
        _feedValues = new Tensor?[feedKeys.Length];
        _steps = steps;
        _fetchSources = fetchSources;
        // A result with no values holds nothing that changes, so every run can hand out the same one.
        if (fetches.All(f => f.IsOperation)) _operationsOnly = new RunResult(fetches, new Tensor?[fetches.Length]);
    }

    /// <summary>Where a step reads an input from: a feed, an earlier step's output, or nowhere (an input the op names but does not read).</summary>
    private readonly record struct Source(int Step, int Output, int Feed)
    {
        public static readonly Source Unread = new(-1, -1, -1);

        public bool IsRead => Step >= 0 || Feed >= 0;
    }

    public static int Hash(ReadOnlySpan<Fetch> fetches, FeedDict feeds)
    {
        var hash = new HashCode();
        foreach (var f in fetches) hash.Add(f.Node.Id * 31 + f.Index);
        int feedHash = 0;   // a sum: the feeds' order does not matter
        foreach (var key in feeds.Keys) feedHash += key.Node.Id * 31 + key.Index;
        hash.Add(feedHash);
        return hash.ToHashCode();
    }

    public bool Serves(ReadOnlySpan<Fetch> fetches, FeedDict feeds)
    {
        if (!fetches.SequenceEqual(_fetches) || feeds.Count != _feedKeys.Length) return false;
        foreach (var key in _feedKeys)
            if (!feeds.ContainsKey(key)) return false;
        return true;
    }

    public static Plan Compile(Fetch[] fetches, FeedDict feeds)
    {
        var needed = new HashSet<Node>();
        var stack = new Stack<Node>();
        foreach (var f in fetches)
            if (f.IsOperation || !feeds.ContainsKey(new Output(f.Node, f.Index))) stack.Push(f.Node);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!needed.Add(node)) continue;
            for (int k = 0; k < node.Inputs.Count; k++)
                if (node.Op.ReadsInput(k) && !feeds.ContainsKey(node.Inputs[k])) stack.Push(node.Inputs[k].Node);
            foreach (var control in node.ControlInputs) stack.Push(control);
        }
        // Ids are a topological order, and running in build order keeps TF1's intuitive semantics:
        // a value read before an update was built is read before the update runs.
        var order = needed.OrderBy(n => n.Id).ToArray();
        foreach (var node in order)
            if (node.Op is Placeholder p)
                throw new RunException($"You must feed a value for placeholder '{node.Name}' ({node.OutputDTypes[0]}, shape {p.OutputShape}).", node);

        var feedKeys = feeds.Keys.ToArray();
        var feedIndex = new Dictionary<Output, int>();
        for (int i = 0; i < feedKeys.Length; i++) feedIndex[feedKeys[i]] = i;
        var stepIndex = new Dictionary<Node, int>();
        for (int i = 0; i < order.Length; i++) stepIndex[order[i]] = i;
        Source SourceOf(Output o) => feedIndex.TryGetValue(o, out int f) ? new Source(-1, -1, f) : new Source(stepIndex[o.Node], o.Index, -1);

        var steps = order.Select(node => new Step(node,
            node.Inputs.Select((input, k) => node.Op.ReadsInput(k) ? SourceOf(input) : Source.Unread).ToArray())).ToArray();
        var fetchSources = fetches.Select(f => f.IsOperation ? Source.Unread : SourceOf(new Output(f.Node, f.Index))).ToArray();
        return new Plan(fetches, feedKeys, steps, fetchSources);
    }

    /// <summary>Runs the plan and returns the fetched values, read before the feeds are let go (a fed value may itself be fetched).</summary>
    public RunResult Execute(RunContext context, FeedDict feeds)
    {
        for (int f = 0; f < _feedKeys.Length; f++) _feedValues[f] = feeds[_feedKeys[f]];
        try
        {
            foreach (var step in _steps) step.Run(context, this);
            return Results();
        }
        finally
        {
            Array.Clear(_feedValues);   // the plan must not keep the caller's batches alive
        }
    }

    /// <summary>
    /// The fetched values, copied out of the plan's buffers (which the next run overwrites), so a result can
    /// be kept. Fetching only operations, as a training step does, allocates nothing.
    /// </summary>
    private RunResult Results()
    {
        if (_operationsOnly is not null) return _operationsOnly;
        var values = new Tensor?[_fetches.Length];
        for (int i = 0; i < _fetches.Length; i++)
            if (!_fetches[i].IsOperation) values[i] = ValueOf(_fetchSources[i]).Clone();
        return new RunResult(_fetches, values);
    }

    private Tensor ValueOf(Source source) =>
        source.Feed >= 0 ? _feedValues[source.Feed]! : _steps[source.Step].Outputs[source.Output];

    /// <summary>One node of the plan, with its input and output arrays, reused by every run.</summary>
    private sealed class Step(Node node, Source[] inputs)
    {
        private readonly Tensor[] _inputs = new Tensor[inputs.Length];
        private Shape?[]? _boundShapes;

        public Tensor[] Outputs { get; } = new Tensor[node.OutputCount];

        public void Run(RunContext context, Plan plan)
        {
            var op = node.Op;
            bool shapesChanged = _boundShapes is null;
            for (int k = 0; k < inputs.Length; k++)
            {
                if (!inputs[k].IsRead) continue;
                var value = plan.ValueOf(inputs[k]);
                _inputs[k] = value;
                if (!shapesChanged && !ReferenceEquals(_boundShapes![k], value.Shape) && _boundShapes[k] != value.Shape)
                    shapesChanged = true;
            }
            var profile = context.Session.Profile;
            long startTicks = profile?.Start() ?? 0, startBytes = profile?.StartAllocations() ?? 0;
            try
            {
                if (shapesChanged && !op.ProducesOwnOutputs) Bind();
                op.Run(context, _inputs, Outputs);
                profile?.Stop(node, startTicks, startBytes);
            }
            catch (RunException) { throw; }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException)
            {
                string operands = string.Join(", ", _inputs.Select((t, k) => $"'{node.Inputs[k].Name}' {t?.DType} {t?.Shape}"));
                throw new RunException($"Error running {op.TypeName} '{node.Name}' on [{operands}]: {e.Message}", node, e);
            }
            finally
            {
                Array.Clear(_inputs);   // inputs are looked up afresh each run; holding them would pin feeds
            }
        }

        /// <summary>Infers the outputs' shapes from the inputs at hand and (re)allocates the buffers that no longer fit.</summary>
        private void Bind()
        {
            var shapes = new Shape[inputs.Length];
            for (int k = 0; k < inputs.Length; k++) shapes[k] = _inputs[k]?.Shape ?? node.Inputs[k].Shape;
            var outputShapes = node.Op.InferShapes(shapes);
            for (int o = 0; o < Outputs.Length; o++)
                if (Outputs[o] is null || Outputs[o].Shape != outputShapes[o])
                    Outputs[o] = new Tensor(outputShapes[o], node.OutputDTypes[o]);
            _boundShapes = shapes;
        }
    }
}
