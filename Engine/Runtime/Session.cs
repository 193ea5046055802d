namespace GraphDL;

/// <summary>
/// Runs a graph (TF1's tf.Session): <c>Run(fetches, feeds)</c> computes just what the fetches need. Variable
/// values live here, not in the graph, so two sessions on one graph train independently.
/// <para>
/// Run may be called from several threads at once: each concurrent run gets a plan and buffers of its own.
/// Runs that only read variables (inference) then proceed in parallel. A run that assigns variables (a training
/// step, an initializer) is atomic towards every other run: it waits for the runs in progress and they wait for
/// it, so a run sees the variables as one whole step left them, never half-updated (a fetched weight matrix is
/// never torn, and <see cref="Saver.Save"/> writes the variables of one step). <see cref="Profile"/> is for one thread.
/// </para>
/// </summary>
public sealed class Session : IDisposable
{
    private readonly Dictionary<Node, Tensor> _variables = [];
    private readonly Dictionary<Node, RandomStream> _randomStreams = [];
    // Readers: runs that do not assign variables, GetValue, Saver.Save. Writers: runs with an Assign, SetValue.
    // Recursion is allowed so that a reader may read one variable after another inside its own consistent view.
    private readonly ReaderWriterLockSlim _variableLock = new(LockRecursionPolicy.SupportsRecursion);
    private readonly Executor _executor;
    private bool _disposed;

    /// <summary>A session on <paramref name="backend"/>, or on <see cref="DefaultBackend"/> when none is given.</summary>
    public Session(Graph graph, IBackend? backend = null)
    {
        Graph = graph;
        Backend = backend ?? DefaultBackend;
        _executor = new Executor(this);
    }

    /// <summary>The graph this session runs; fetches and feeds from any other graph are refused.</summary>
    public Graph Graph { get; }

    /// <summary>Where the graph runs; on a backend that <see cref="IBackend.UsesDeviceMemory"/>, variables stay in device memory.</summary>
    public IBackend Backend { get; }

    /// <summary>
    /// The backend of sessions created without one: the CPU unless changed, e.g. by a lesson's <c>--device gpu</c>
    /// (see <see cref="Devices"/>), so every session a program creates runs on the chosen device.
    /// </summary>
    public static IBackend DefaultBackend { get; set; } = Devices.Cpu;

    /// <summary>
    /// When true, every floating value a node produces is checked as it is produced, and the run stops at the first
    /// NaN or infinity with an error naming that node and the ranges of its inputs. It copies every value to the
    /// host on a GPU and costs a pass over each value on the CPU: a debugging aid, off by default.
    /// </summary>
    public bool CheckNumerics { get; set; }

    /// <summary>Where messages about the run go (a node that falls back to the CPU); standard error unless set.</summary>
    public Action<string> Log { get; set; } = Console.Error.WriteLine;

    private readonly HashSet<Node> _reportedOnHost = [];

    /// <summary>Says once per node that it runs on the CPU because the device has no kernel for it.</summary>
    internal void ReportRunsOnHost(Node node, string reason)
    {
        lock (_reportedOnHost)
            if (!_reportedOnHost.Add(node)) return;
        Log($"GraphDL: {node.Op.TypeName} '{node.Name}' runs on the {Backend.Host.Name}: {Backend.Name} has {reason}");
    }

    /// <summary>Whether plans share buffers between values whose lifetimes do not overlap (off only to compare, in tests).</summary>
    internal bool ShareBuffers { get; init; } = true;

    /// <summary>The plans this session compiled, for tests that look at their buffers.</summary>
    internal IEnumerable<Plan> Plans => _executor.Plans;

    /// <summary>When set, every node's time and managed allocations are summed into it (see <see cref="RunProfile"/>).</summary>
    public RunProfile? Profile { get; set; }

    /// <summary>Runs <paramref name="fetches"/> and returns their values in order.</summary>
    public RunResult Run(IReadOnlyList<Fetch> fetches, FeedDict? feeds = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _executor.Run(fetches, feeds);
    }

    /// <summary>Computes one tensor.</summary>
    public Tensor Run(Output fetch, FeedDict? feeds = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _executor.Run([fetch], feeds)[0];
    }

    /// <summary>Runs an operation for its effect (a training step, an initializer); allocates nothing once warm.</summary>
    public void Run(Node operation, FeedDict? feeds = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _executor.Run([operation], feeds);
    }

    /// <summary>The current value of a variable (a copy, on the host), or an error naming it when it has none yet.</summary>
    public Tensor GetValue(Output variable)
    {
        var node = VariableOp.NodeOf(variable);
        using var _ = ReadingVariables();
        var value = ReadVariable(node);
        return value.IsOnDevice ? value.ToHost() : value.Clone();
    }

    /// <summary>Sets a variable's value directly, outside any graph run (restoring, testing).</summary>
    public void SetValue(Output variable, Tensor value)
    {
        var node = VariableOp.NodeOf(variable);
        var op = (VariableOp)node.Op;
        if (value.DType != op.OutputDType || !value.Shape.IsCompatibleWith(op.OutputShape))
            throw new ShapeException($"Variable '{node.Name}' is {op.OutputDType} {op.OutputShape}; cannot set it to a {value.DType} tensor of shape {value.Shape}.");
        var copy = InBackend(value);
        using var _ = WritingVariables();
        _variables[node] = copy;
    }

    /// <summary>
    /// Writes a variable's new value, of <paramref name="shape"/>, over its old one: <paramref name="fill"/> writes it into
    /// a host tensor, which on the host is the variable's own, so restoring a large variable allocates nothing; on a
    /// device it is copied in. A variable not yet set, or of another shape, gets a new tensor. The caller has checked
    /// the shape against the variable's and holds <see cref="WritingVariables"/>.
    /// </summary>
    internal void OverwriteValue(Output variable, Shape shape, Action<Tensor> fill)
    {
        var node = VariableOp.NodeOf(variable);
        _variables.TryGetValue(node, out var stored);
        if (stored is { IsOnDevice: false } && stored.Shape == shape)
        {
            fill(stored);
            return;
        }
        var host = new Tensor(shape, node.OutputDTypes[0]);
        fill(host);
        if (stored is not null && stored.Shape == shape) stored.CopyFrom(host);
        else _variables[node] = Backend.UsesDeviceMemory ? InBackend(host) : host;
    }

    /// <summary>
    /// Holds the variables still for the reader until it is disposed: no run that assigns variables starts or is
    /// in progress meanwhile, so every variable read through <see cref="GetValue"/> comes from the same step.
    /// </summary>
    internal VariableAccess ReadingVariables()
    {
        _variableLock.EnterReadLock();
        return new VariableAccess(_variableLock, writing: false);
    }

    /// <summary>Keeps every other run and reader out until disposed, for a run that assigns variables.</summary>
    internal VariableAccess WritingVariables()
    {
        _variableLock.EnterWriteLock();
        return new VariableAccess(_variableLock, writing: true);
    }

    /// <summary>Releases what <see cref="ReadingVariables"/> or <see cref="WritingVariables"/> entered; a struct, so holding it allocates nothing.</summary>
    internal readonly struct VariableAccess(ReaderWriterLockSlim gate, bool writing) : IDisposable
    {
        public void Dispose()
        {
            if (writing) gate.ExitWriteLock();
            else gate.ExitReadLock();
        }
    }

    /// <summary>A copy of <paramref name="value"/> in the backend's memory.</summary>
    private Tensor InBackend(Tensor value)
    {
        if (value.IsOnDevice == Backend.UsesDeviceMemory) return value.Clone();
        var copy = Backend.Allocate(value.Shape, value.DType);
        copy.CopyFrom(value);
        return copy;
    }

    internal Tensor ReadVariable(Node variable) =>
        _variables.TryGetValue(variable, out var value) ? value :
        throw new RunException($"Attempting to use uninitialized variable '{variable.Name}'. Run its initializer first, e.g. sess.Run(g.GlobalVariablesInitializer()).", variable);

    /// <summary>Assigns in place when the shape is unchanged, so readers that hold the tensor see the new value.</summary>
    internal Tensor AssignVariable(Node variable, Tensor value)
    {
        if (_variables.TryGetValue(variable, out var stored) && stored.Shape == value.Shape)
        {
            Backend.Copy(value, stored);
            return stored;
        }
        var fresh = InBackend(value);
        _variables[variable] = fresh;
        return fresh;
    }

    internal bool IsInitialized(Node variable) => _variables.ContainsKey(variable);

    /// <summary>
    /// Each random op draws from its own stream. As in TF1: with neither a graph nor an op seed the stream is
    /// unpredictable; with either, the missing one is filled in (the op's id, or a fixed graph seed).
    /// </summary>
    /// <remarks>Callers lock the stream while drawing: runs on several threads may share it.</remarks>
    internal RandomStream RandomStream(Node node, int? opSeed)
    {
        lock (_randomStreams)
        {
            if (_randomStreams.TryGetValue(node, out var rng)) return rng;
            // An unpredictable stream still gets a seed of its own, so that a checkpoint can record where it stands.
            rng = new RandomStream(Graph.Seed is null && opSeed is null
                ? System.Random.Shared.Next()
                : MixSeeds(Graph.Seed ?? DefaultGraphSeed, opSeed ?? node.Id));
            _randomStreams[node] = rng;
            return rng;
        }
    }

    /// <summary>Where every random stream that has drawn stands: its node's name, its seed and how many numbers it gave.</summary>
    internal IReadOnlyList<(string Node, int Seed, long Draws)> RandomStreamStates()
    {
        lock (_randomStreams)
            return [.. _randomStreams.Select(kv => (kv.Key.Name, kv.Value.Seed, kv.Value.Draws)).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Puts every random stream where <paramref name="states"/> say (what <see cref="RandomStreamStates"/> returned,
    /// perhaps in another process); a stream they do not list starts again from its seed, as it would in a new session.
    /// </summary>
    /// <exception cref="ArgumentException">A state names a node the graph does not have, or one that is not a random op;
    /// no stream has been changed.</exception>
    internal void RestoreRandomStreams(IEnumerable<(string Node, int Seed, long Draws)> states)
    {
        var resolved = new List<(Node Node, int Seed, long Draws)>();
        foreach (var (name, seed, draws) in states)
        {
            var node = Graph.FindNode(name) ?? throw new ArgumentException($"There is a random stream for node '{name}', which the graph does not have.", nameof(states));
            if (node.Op is not (RandomOp or RandomUniformLike))
                throw new ArgumentException($"There is a random stream for node '{name}', which is a {node.Op.TypeName}, not a random op.", nameof(states));
            if (draws < 0) throw new ArgumentException($"The random stream of node '{name}' has a negative number of draws ({draws}).", nameof(states));
            resolved.Add((node, seed, draws));
        }
        var streams = resolved.Select(s => (s.Node, Stream: GraphDL.RandomStream.Resume(s.Seed, s.Draws))).ToList();
        lock (_randomStreams)
        {
            _randomStreams.Clear();
            foreach (var (node, stream) in streams) _randomStreams[node] = stream;
        }
    }

    private const int DefaultGraphSeed = 87654321;

    /// <summary>A fixed mixing function: HashCode is randomised per process, and seeds must not be.</summary>
    private static int MixSeeds(int graphSeed, int opSeed) =>
        unchecked((int)((uint)graphSeed * 2654435761u ^ ((uint)opSeed + 0x9E3779B9u) * 40503u));

    /// <summary>Closes the session (TF1's sess.close()): a later Run fails with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _disposed = true;
}
