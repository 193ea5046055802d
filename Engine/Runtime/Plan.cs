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
    private readonly Step[] _steps;
    private readonly Source[] _fetchSources;
    private readonly Source[][] _releaseAfter;
    private readonly RunResult? _operationsOnly;
    private bool _bound;

    private Plan(Fetch[] fetches, Output[] feedKeys, Step[] steps, Source[] fetchSources, Source[][] releaseAfter)
    {
        _fetches = fetches;
        _feedKeys = feedKeys;
        _feedValues = new Tensor?[feedKeys.Length];
        _feedsOnDevice = new Tensor?[feedKeys.Length];
        _boundFeedShapes = new Shape?[feedKeys.Length];
        _steps = steps;
        _fetchSources = fetchSources;
        _releaseAfter = releaseAfter;
        // A result with no values holds nothing that changes, so every run can hand out the same one.
        if (fetches.All(f => f.IsOperation)) _operationsOnly = new RunResult(fetches, new Tensor?[fetches.Length]);
    }

    /// <summary>When false, every step keeps buffers of its own (the tests compare both ways).</summary>
    public bool ShareBuffers { get; init; } = true;

    /// <summary>Bytes of the buffers the plan's steps write into, counting a shared buffer once.</summary>
    public long BufferBytes => _steps.SelectMany(s => s.OwnedBuffers).DistinctBy(t => t.Storage).Sum(t => (long)t.Size * t.DType.ByteSize());

    /// <summary>Bytes the same buffers would take if no two steps shared one.</summary>
    public long UnsharedBufferBytes => _steps.SelectMany(s => s.OwnedBuffers).Sum(t => (long)t.Size * t.DType.ByteSize());

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
        Source SourceOf(Output o) => feedIndex.TryGetValue(o, out int f) ? new Source(-1, -1, f) : new Source(stepIndex[o.Node], o.Index, -1);

        var steps = order.Select(node => new Step(node,
            node.Inputs.Select((input, k) => node.Op.ReadsInput(k) ? SourceOf(input) : Source.Unread).ToArray())).ToArray();
        var fetchSources = fetches.Select(f => f.IsOperation ? Source.Unread : SourceOf(new Output(f.Node, f.Index))).ToArray();
        return new Plan(fetches, feedKeys, steps, fetchSources, ReleasePoints(order, steps, fetchSources)) { ShareBuffers = shareBuffers };
    }

    /// <summary>
    /// For each step, the buffers whose last reader it is. A buffer belongs to the step that writes it; a view
    /// of it (a reshape) extends its life to the view's readers. Fetched buffers, and the inputs of ops that
    /// produce their own outputs without being views, are never released.
    /// </summary>
    private static Source[][] ReleasePoints(Node[] order, Step[] steps, Source[] fetchSources)
    {
        const int Forever = int.MaxValue;
        var bufferOf = new Dictionary<Source, Source?>();   // a step output -> the executor buffer it lives in
        var lastUse = new Dictionary<Source, int>();         // an executor buffer -> the last step that reads it
        Source? BufferOf(Source s) => s.Step >= 0 ? bufferOf[s] : null;
        void ReadAt(Source s, int step)
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
                ReadAt(inputs[k], op.ProducesOwnOutputs && !op.OutputIsViewOfInput ? Forever : i);
            }
            for (int o = 0; o < order[i].OutputCount; o++)
            {
                var output = new Source(i, o, -1);
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

        var releaseAfter = new List<Source>[order.Length];
        for (int i = 0; i < order.Length; i++) releaseAfter[i] = [];
        foreach (var (buffer, step) in lastUse)
            if (step != Forever) releaseAfter[step].Add(buffer);
        return releaseAfter.Select(list => list.ToArray()).ToArray();
    }

    /// <summary>Runs the plan and returns the fetched values, read before the feeds are let go (a fed value may itself be fetched).</summary>
    public RunResult Execute(RunContext context, FeedDict feeds)
    {
        bool binding = !_bound;
        for (int f = 0; f < _feedKeys.Length; f++)
        {
            var value = feeds[_feedKeys[f]];
            if (context.OnDevice && !value.IsOnDevice) value = CopyToDevice(context, value, ref _feedsOnDevice[f]);
            _feedValues[f] = value;
            if (_boundFeedShapes[f] != value.Shape) binding = true;
        }
        try
        {
            if (binding) Bind(context);
            else
                foreach (var step in _steps) step.Run(context, this, pool: null);
            return Results();
        }
        finally
        {
            Array.Clear(_feedValues);   // the plan must not keep the caller's batches alive
        }
    }

    /// <summary>Copies a host value into <paramref name="copy"/>, (re)allocated in the device's memory when its shape or dtype changed.</summary>
    private static Tensor CopyToDevice(RunContext context, Tensor value, ref Tensor? copy)
    {
        if (copy is null || copy.Shape != value.Shape || copy.DType != value.DType)
            copy = context.Backend.Allocate(value.Shape, value.DType);
        copy.CopyFrom(value);
        return copy;
    }

    /// <summary>Copies a device value into <paramref name="copy"/>, (re)allocated on the host when its shape or dtype changed.</summary>
    private static Tensor CopyToHost(Tensor value, ref Tensor? copy)
    {
        if (!value.IsOnDevice) return value;
        if (copy is null || copy.Shape != value.Shape || copy.DType != value.DType) copy = new Tensor(value.Shape, value.DType);
        copy.CopyFrom(value);
        return copy;
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
    /// A binding run: every step infers its output shapes and takes its buffers from the pool, into which
    /// the buffers of the previous binding go first and each buffer goes back after its last reader ran.
    /// </summary>
    private void Bind(RunContext context)
    {
        _bound = false;
        var pool = new BufferPool();
        foreach (var step in _steps) step.Unbind(ShareBuffers ? pool : null);
        pool.ForgetDuplicates();
        for (int i = 0; i < _steps.Length; i++)
        {
            _steps[i].Run(context, this, ShareBuffers ? pool : null);
            if (!ShareBuffers) continue;
            foreach (var buffer in _releaseAfter[i]) pool.Return(_steps[buffer.Step].Outputs[buffer.Output]);
        }
        for (int f = 0; f < _feedKeys.Length; f++) _boundFeedShapes[f] = _feedValues[f]!.Shape;
        _bound = true;
    }

    private Tensor ValueOf(Source source) =>
        source.Feed >= 0 ? _feedValues[source.Feed]! : _steps[source.Step].Outputs[source.Output];

    /// <summary>One node of the plan, with its input and output arrays, reused by every run.</summary>
    private sealed class Step(Node node, Source[] inputs)
    {
        private readonly Tensor[] _inputs = new Tensor[inputs.Length];
        private Shape?[]? _boundShapes;

        // For a node that runs on the host in a device session: host copies of its inputs and outputs.
        private bool _runsOnHost = node.Op.RunsOnHost;
        private Tensor?[]? _hostInputs, _hostOutputs;
        private Tensor?[]? _hostInputCopies;
        // A constant's value copied to the device once (its host tensor never changes).
        private Tensor? _constantOnDevice;

        public Source[] Sources => inputs;

        public Tensor[] Outputs { get; } = new Tensor[node.OutputCount];

        /// <summary>The buffers the executor gave this step (none for ops that produce their own outputs).</summary>
        public IEnumerable<Tensor> OwnedBuffers => node.Op.ProducesOwnOutputs ? [] : Outputs.Where(t => t is not null);

        /// <summary>Forgets the step's shapes, handing its buffers to the pool for the binding run to share out again.</summary>
        public void Unbind(BufferPool? pool)
        {
            _boundShapes = null;
            if (node.Op.ProducesOwnOutputs || pool is null) return;
            foreach (var buffer in Outputs)
                if (buffer is not null) pool.Return(buffer);
            Array.Clear(Outputs);
        }

        /// <summary>
        /// Runs the node. Its outputs are (re)bound when its input shapes changed: from the pool in a binding
        /// run, as buffers of its own otherwise (a variable whose shape changed between binding runs).
        /// </summary>
        public void Run(RunContext context, Plan plan, BufferPool? pool)
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
                if (shapesChanged && !op.ProducesOwnOutputs) Bind(context, pool);
                if (context.OnDevice) RunInDeviceSession(context);
                else op.Run(context, _inputs, Outputs);
                profile?.Stop(node, startTicks, startBytes);
                if (context.Session.CheckNumerics) CheckFinite();
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

        /// <summary>Stops the run when an output holds a NaN or an infinity, naming the node and its inputs' ranges.</summary>
        private void CheckFinite()
        {
            for (int o = 0; o < Outputs.Length; o++)
            {
                if (Outputs[o] is not { } output || !FiniteCheck.Applies(output.DType)) continue;
                var check = FiniteCheck.Of(output);
                if (check.AllFinite) continue;
                var inputs = _inputs.Select((t, k) => t is null ? null
                    : $"'{node.Inputs[k].Name}' {t.DType} {t.Shape} " + (FiniteCheck.Applies(t.DType) ? FiniteCheck.Of(t) is var c && c.AllFinite ? c.Range : $"{c.Range}, {c.Problems}" : ""));
                string from = string.Join("; ", inputs.OfType<string>());
                throw new RunException($"{node.Op.TypeName} '{node.Name}' produced {check.Problems}" +
                    (from.Length > 0 ? $" from {from}." : "."), node);
            }
        }

        /// <summary>
        /// Runs the node on the device when it has kernels for it, else on the host between copies. A primitive
        /// without a kernel throws <see cref="Backends.Cuda.MissingKernelException"/> before changing anything, so
        /// running the node again on the host is safe; the session says so once.
        /// </summary>
        private void RunInDeviceSession(RunContext context)
        {
            var op = node.Op;
            if (op.ProducesOwnOutputs)
            {
                op.Run(context, _inputs, Outputs);
                if (Outputs[0] is { IsOnDevice: false } constant && op is Const)
                {
                    if (_constantOnDevice is null)
                    {
                        CopyToDevice(context, constant, ref _constantOnDevice);
                        _constantOnDevice!.HostMirror = constant;   // scalar hyperparameters are read without a device round trip
                    }
                    Outputs[0] = _constantOnDevice;
                }
                return;
            }
            if (!_runsOnHost)
            {
                try
                {
                    op.Run(context, _inputs, Outputs);
                    return;
                }
                catch (Backends.Cuda.MissingKernelException e)
                {
                    _runsOnHost = true;
                    context.Session.ReportRunsOnHost(node, e.Message);
                }
            }
            RunOnHost(context);
        }

        private void RunOnHost(RunContext context)
        {
            _hostInputs ??= new Tensor?[_inputs.Length];
            _hostInputCopies ??= new Tensor?[_inputs.Length];
            _hostOutputs ??= new Tensor?[Outputs.Length];
            for (int k = 0; k < _inputs.Length; k++)
                _hostInputs[k] = _inputs[k] is { } input ? CopyToHost(input, ref _hostInputCopies[k]) : null;
            for (int o = 0; o < Outputs.Length; o++)
                if (_hostOutputs[o] is not { } h || h.Shape != Outputs[o].Shape) _hostOutputs[o] = new Tensor(Outputs[o].Shape, Outputs[o].DType);
            try
            {
                node.Op.Run(context.Host, _hostInputs!, _hostOutputs!);
            }
            finally
            {
                Array.Clear(_hostInputs);
            }
            for (int o = 0; o < Outputs.Length; o++) Outputs[o].CopyFrom(_hostOutputs[o]!);
        }

        private void Bind(RunContext context, BufferPool? pool)
        {
            var shapes = new Shape[inputs.Length];
            for (int k = 0; k < inputs.Length; k++) shapes[k] = _inputs[k]?.Shape ?? node.Inputs[k].Shape;
            var outputShapes = node.Op.InferShapes(shapes);
            for (int o = 0; o < Outputs.Length; o++)
            {
                if (Outputs[o] is { } current && current.Shape == outputShapes[o]) continue;
                Outputs[o] = pool?.Take(outputShapes[o], node.OutputDTypes[o]) ?? context.Backend.Allocate(outputShapes[o], node.OutputDTypes[o]);
            }
            _boundShapes = shapes;
        }
    }

    /// <summary>Free buffers of a binding run, by dtype and size; a buffer taken for another shape of the same size is viewed as it.</summary>
    private sealed class BufferPool
    {
        private readonly Dictionary<(DType, int), Stack<Tensor>> _free = [];

        public void Return(Tensor buffer)
        {
            var key = (buffer.DType, buffer.Size);
            if (!_free.TryGetValue(key, out var stack)) _free[key] = stack = new Stack<Tensor>();
            stack.Push(buffer);
        }

        /// <summary>
        /// Keeps one entry per storage array: steps that shared a buffer in the previous binding all hand it
        /// back, and two live steps must never be given the same storage.
        /// </summary>
        public void ForgetDuplicates()
        {
            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            foreach (var key in _free.Keys.ToList())
                _free[key] = new Stack<Tensor>(_free[key].Where(t => seen.Add(t.Storage)));
        }

        public Tensor? Take(Shape shape, DType dtype)
        {
            if (!_free.TryGetValue((dtype, shape.Size), out var stack) || stack.Count == 0) return null;
            var buffer = stack.Pop();
            return buffer.Shape == shape ? buffer : buffer.Reshaped(shape);
        }
    }
}
