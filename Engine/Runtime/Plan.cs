namespace GraphDL;

/// <summary>
/// Everything one (fetch set, feed set) needs, worked out once: the nodes to run in build order, where each
/// of their inputs comes from (a feed or an earlier step's output), and each step's output buffers, which
/// stay with the plan and are refilled by the next run, so a steady-state run allocates nothing.
/// Buffers are shared by liveness: once the last reader of a value has run, its buffer goes back to a pool
/// from which a later step of the same size and dtype takes it. The assignment is made during a binding
/// run, the first one and any whose fed shapes changed (a new batch size), and holds for the runs after it.
/// On a device backend every value the steps exchange lives in device memory: feeds are copied in once per
/// run, fetches copied out, and a node that runs on the host (a random draw, or an op the device has no kernel
/// for) gets host copies of its inputs and writes its outputs back to the device.
/// </summary>
internal sealed class Plan
{
    private readonly Fetch[] _fetches;
    private readonly Output[] _feedKeys;
    private readonly Tensor?[] _feedValues;
    private readonly Tensor?[] _feedsOnDevice;   // a device session's copies of the feeds, kept between runs
    private readonly Shape?[] _boundFeedShapes;
    private readonly PlanStep[] _steps;
    private readonly PlanSource[] _fetchSources;
    private readonly PlanSource[][] _releaseAfter;
    private readonly PlanSource[] _overwritable;
    private readonly bool[] _overwrote;
    private readonly RunResult? _operationsOnly;
    private bool _bound;
    private bool _boundCheckingNumerics;
    private bool _ranBefore;

    private Plan(Fetch[] fetches, Output[] feedKeys, PlanStep[] steps, PlanSource[] fetchSources, PlanSource[][] releaseAfter,
        PlanSource[] overwritable)
    {
        _fetches = fetches;
        _feedKeys = feedKeys;
        _feedValues = new Tensor?[feedKeys.Length];
        _feedsOnDevice = new Tensor?[feedKeys.Length];
        _boundFeedShapes = new Shape?[feedKeys.Length];
        _steps = steps;
        _fetchSources = fetchSources;
        _releaseAfter = releaseAfter;
        _overwritable = overwritable;
        _overwrote = new bool[steps.Length];
        // A result with no values holds nothing that changes, so every run can hand out the same one.
        if (fetches.All(f => f.IsOperation)) _operationsOnly = new RunResult(fetches, new Tensor?[fetches.Length]);
        AssignsVariables = steps.Any(s => s.Node.Op.WritesVariables);
    }

    /// <summary>Whether a run of the plan changes variables (an assignment or an optimizer update), and so must not overlap any other run of the session.</summary>
    public bool AssignsVariables { get; }

    /// <summary>
    /// Whether steps may write into an input whose last reader they are (<see cref="Op.MayOverwriteInput"/>); read by
    /// binding runs. False only to compare both ways (the tests, and <c>Bench --overwrite-ab</c>).
    /// </summary>
    internal static bool OverwriteInputs = true;

    /// <summary>When false, every step keeps buffers of its own (the tests compare both ways).</summary>
    public bool ShareBuffers { get; init; } = true;

    /// <summary>Bytes of the buffers the plan's steps write into, counting a shared buffer once.</summary>
    public long BufferBytes => _steps.SelectMany(s => s.OwnedBuffers).DistinctBy(t => t.Storage).Sum(t => (long)t.Size * t.DType.ByteSize());

    /// <summary>The nodes whose output took the buffer of an input in the last binding run (for the tests).</summary>
    internal IEnumerable<Node> NodesWritingOverAnInput => _steps.Where((_, i) => _overwrote[i]).Select(step => step.Node);

    /// <summary>Bytes the same buffers would take if no two steps shared one.</summary>
    public long UnsharedBufferBytes => _steps.SelectMany(s => s.OwnedBuffers).Sum(t => (long)t.Size * t.DType.ByteSize());

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

    public static Plan Compile(Fetch[] fetches, FeedDict feeds, bool shareBuffers = true)
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
        PlanSource SourceOf(Output o) => feedIndex.TryGetValue(o, out int f) ? PlanSource.Feed(f) : PlanSource.StepOutput(stepIndex[o.Node], o.Index);

        var steps = order.Select(node => new PlanStep(node,
            node.Inputs.Select((input, k) => node.Op.ReadsInput(k) ? SourceOf(input) : PlanSource.Unread).ToArray())).ToArray();
        var fetchSources = fetches.Select(f => f.IsOperation ? PlanSource.Unread : SourceOf(new Output(f.Node, f.Index))).ToArray();
        var (releaseAfter, overwritable) = ReleasePoints(order, steps, fetchSources);
        return new Plan(fetches, feedKeys, steps, fetchSources, releaseAfter, overwritable) { ShareBuffers = shareBuffers };
    }

    /// <summary>
    /// For each step, the buffers whose last reader it is, and the one among them that the step may write its output
    /// into (<see cref="Op.MayOverwriteInput"/>; <see cref="PlanSource.Unread"/> for none). A buffer belongs to the
    /// step that writes it; a view of it (a reshape) extends its life to the view's readers. Fetched buffers, and the
    /// inputs of ops that keep their inputs (<see cref="Op.KeepsInputs"/>), are never released. Only a step's own
    /// buffer read directly, not through a view, is overwritten, so that the output is the very tensor it replaces.
    /// </summary>
    private static (PlanSource[][] ReleaseAfter, PlanSource[] Overwritable) ReleasePoints(Node[] order, PlanStep[] steps, PlanSource[] fetchSources)
    {
        const int Forever = int.MaxValue;
        var bufferOf = new Dictionary<PlanSource, PlanSource?>();   // a step output -> the executor buffer it lives in
        var lastUse = new Dictionary<PlanSource, int>();             // an executor buffer -> the last step that reads it
        PlanSource? BufferOf(PlanSource s) => s.IsStepOutput ? bufferOf[s] : null;
        void ReadAt(PlanSource s, int step)
        {
            if (BufferOf(s) is { } buffer) lastUse[buffer] = Math.Max(lastUse[buffer], step);
        }

        for (int i = 0; i < order.Length; i++)
        {
            var op = order[i].Op;
            var inputs = steps[i].Sources;
            for (int k = 0; k < inputs.Length; k++)
            {
                if (!inputs[k].IsRead) continue;
                ReadAt(inputs[k], op.KeepsInputs ? Forever : i);
            }
            for (int o = 0; o < order[i].OutputCount; o++)
            {
                var output = PlanSource.StepOutput(i, o);
                if (!op.ProducesOwnOutputs)
                {
                    bufferOf[output] = output;
                    lastUse[output] = i;   // written and never read: free again straight after
                }
                else
                {
                    bufferOf[output] = op.OutputIsViewOfInput && inputs.Length > 0 && inputs[0].IsRead ? BufferOf(inputs[0]) : null;
                }
            }
        }
        foreach (var fetch in fetchSources)
            if (fetch.IsRead) ReadAt(fetch, Forever);

        var releaseAfter = new List<PlanSource>[order.Length];
        for (int i = 0; i < order.Length; i++) releaseAfter[i] = [];
        foreach (var (buffer, step) in lastUse)
            if (step != Forever) releaseAfter[step].Add(buffer);

        var overwritable = new PlanSource[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            var inputs = steps[i].Sources;
            var node = order[i];
            for (int k = 0; k < inputs.Length && !overwritable[i].IsRead; k++)
            {
                // The operand that can have the output's shape, not one broadcast into it; the run checks the shapes again.
                bool fits = node.OutputCount > 0 && node.Inputs[k].DType == node.OutputDTypes[0]
                    && node.Inputs[k].Shape.IsCompatibleWith(node.OutputShapes[0]);
                if (fits && inputs[k].IsStepOutput && node.Op.MayOverwriteInput(k) && BufferOf(inputs[k]) == inputs[k] && lastUse[inputs[k]] == i)
                    overwritable[i] = inputs[k];
            }
        }
        return (releaseAfter.Select(list => list.ToArray()).ToArray(), overwritable);
    }

    /// <summary>Runs the plan and returns the fetched values, read before the feeds are let go (a fed value may itself be fetched).</summary>
    public RunResult Execute(RunContext context, FeedDict feeds)
    {
        // A numerics check describes the inputs of a step whose output is not finite, so its runs overwrite no input.
        bool binding = !_bound || _boundCheckingNumerics != context.Session.CheckNumerics;
        for (int f = 0; f < _feedKeys.Length; f++)
        {
            var value = feeds[_feedKeys[f]];
            if (context.OnDevice && !value.IsOnDevice) value = NodePlacement.CopyToDevice(context.Backend, value, ref _feedsOnDevice[f]);
            _feedValues[f] = value;
            if (_boundFeedShapes[f] != value.Shape) binding = true;
        }
        try
        {
            if (binding) BindingRun(context);
            else
                foreach (var step in _steps) step.Run(context, this, pool: null);
            var results = Results();
            if (!_ranBefore)
            {
                _ranBefore = true;
                LetGoOfBuffers();
            }
            return results;
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
            if (!_fetches[i].IsOperation)
            {
                var value = ValueOf(_fetchSources[i]);
                values[i] = value.IsOnDevice ? value.ToHost() : value.Clone();
            }
        return new RunResult(_fetches, values);
    }

    /// <summary>
    /// After its first run a plan lets its buffers go, and keeps them only from its second run on. Many plans run once
    /// (an initializer, a restore, a one-off evaluation), and holding their values for the session's life would keep
    /// as much memory again as the variables they filled; a training step's plan pays one more binding run for it.
    /// </summary>
    private void LetGoOfBuffers()
    {
        _bound = false;
        foreach (var step in _steps) step.LetGoOfBuffers();
        Array.Clear(_feedsOnDevice);
    }

    /// <summary>
    /// A binding run: every step infers its output shapes and takes its buffers from the pool, into which
    /// the buffers of the previous binding go first and each buffer goes back after its last reader ran; a step
    /// that may overwrite an input whose last reader it is, of its output's shape, takes that buffer instead.
    /// </summary>
    private void BindingRun(RunContext context)
    {
        _bound = false;
        var pool = new BufferPool();
        foreach (var step in _steps) step.Unbind(ShareBuffers ? pool : null);
        pool.ForgetDuplicates();
        bool overwrite = OverwriteInputs && ShareBuffers && !context.Session.CheckNumerics;
        Array.Clear(_overwrote);
        for (int i = 0; i < _steps.Length; i++)
        {
            var overwritable = overwrite ? _overwritable[i] : PlanSource.Unread;
            var overwritten = _steps[i].Run(context, this, ShareBuffers ? pool : null, overwritable.IsRead ? ValueOf(overwritable) : null);
            _overwrote[i] = overwritten is not null;
            if (!ShareBuffers) continue;
            foreach (var buffer in _releaseAfter[i])
                if (overwritten is null || buffer != overwritable) pool.Return(_steps[buffer.Index].Outputs[buffer.Output]);
        }
        for (int f = 0; f < _feedKeys.Length; f++) _boundFeedShapes[f] = _feedValues[f]!.Shape;
        _boundCheckingNumerics = context.Session.CheckNumerics;
        _bound = true;
    }

    internal Tensor ValueOf(PlanSource source) => source.Kind == PlanSourceKind.Feed
        ? _feedValues[source.Index]!
        : _steps[source.Index].Outputs[source.Output];
}
