using System.Runtime.InteropServices;

namespace GraphDL;

/// <summary>
/// Runs (fetches, feeds) on a session. The first run of a fetch set with a feed set compiles a
/// <see cref="Plan"/>; later runs find it again without allocating and execute it into the buffers it
/// kept from the previous run, so a steady-state training step allocates nothing on the managed heap.
/// </summary>
internal sealed class Executor(Session session)
{
    private static readonly FeedDict NoFeeds = [];

    // Plans by a hash of their fetch and feed sets; a hash collision only costs a second comparison.
    private readonly Dictionary<int, List<Plan>> _plans = [];
    private readonly RunContext _context = new(session, session.Backend);

    public RunResult Run(IReadOnlyList<Fetch> fetches, FeedDict? feeds) => fetches switch
    {
        Fetch[] array => Run(array.AsSpan(), feeds),
        List<Fetch> list => Run(CollectionsMarshal.AsSpan(list), feeds),
        _ => Run(fetches.ToArray().AsSpan(), feeds),
    };

    public RunResult Run(ReadOnlySpan<Fetch> fetches, FeedDict? feeds)
    {
        feeds ??= NoFeeds;
        foreach (var fetch in fetches) CheckFetch(fetch);
        foreach (var (target, value) in feeds) CheckFeed(target, value);
        var plan = TakePlan(fetches, feeds);
        try
        {
            using var access = plan.AssignsVariables ? session.WritingVariables() : session.ReadingVariables();
            return plan.Execute(_context, feeds);
        }
        finally
        {
            Monitor.Exit(plan);
        }
    }

    /// <summary>
    /// A plan for the request that no other thread is running, entered (Monitor) for this run. A plan's buffers serve
    /// one run at a time, so when every matching plan is busy, as in inference from several threads, another copy is
    /// compiled: concurrent runs then proceed in parallel, each in buffers of its own.
    /// </summary>
    private Plan TakePlan(ReadOnlySpan<Fetch> fetches, FeedDict feeds)
    {
        int key = Plan.Hash(fetches, feeds);
        lock (_plans)
        {
            if (!_plans.TryGetValue(key, out var candidates)) _plans[key] = candidates = [];
            foreach (var candidate in candidates)
                if (candidate.Serves(fetches, feeds) && Monitor.TryEnter(candidate)) return candidate;
            var plan = Plan.Compile(fetches.ToArray(), feeds, session.ShareBuffers);
            Monitor.Enter(plan);
            candidates.Add(plan);
            return plan;
        }
    }

    /// <summary>The plans compiled so far (for tests and memory accounting).</summary>
    internal IEnumerable<Plan> Plans
    {
        get
        {
            lock (_plans) return _plans.Values.SelectMany(p => p).ToList();
        }
    }

    private void CheckFetch(Fetch fetch)
    {
        if (fetch.Node is null) throw new ArgumentException("A fetch is a default value that names no node.");
        if (fetch.Node.Graph != session.Graph)
            throw new ArgumentException($"Fetch {fetch} belongs to a different graph than this session's.");
    }

    private void CheckFeed(Output target, Tensor value)
    {
        if (target.Node is null) throw new ArgumentException("A feed key is a default Output that names no node.");
        if (target.Node.Graph != session.Graph)
            throw new ArgumentException($"Cannot feed {Describe(target)}: it belongs to a different graph than this session's.");
        if (value is null) throw new ArgumentException($"The value fed to {Describe(target)} is null.");
        if (value.DType != target.DType)
            throw new ArgumentException($"Cannot feed {Article(value.DType)} {value.DType} tensor into {Describe(target)} of dtype {target.DType}.");
        if (!value.Shape.IsCompatibleWith(target.Shape))
            throw new ShapeException($"Cannot feed a tensor of shape {value.Shape} into {Describe(target)} of shape {target.Shape}.");
    }

    private static string Article(DType dtype) => dtype == DType.Int32 ? "an" : "a";

    private static string Describe(Output target) =>
        target.Node.Op is Placeholder ? $"placeholder '{target.Name}'" : $"tensor '{target.Name}'";
}
