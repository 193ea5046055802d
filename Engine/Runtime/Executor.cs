using System.Collections.Concurrent;

namespace GraphDL;

/// <summary>
/// Turns (fetches, feeds) into a plan once (the nodes the fetches need, in id order, stopping at fed tensors)
/// and runs it. Plans are cached per (fetch set, feed set).
/// </summary>
internal sealed class Executor(Session session)
{
    private readonly ConcurrentDictionary<string, Plan> _plans = new();

    private sealed record Plan(Node[] Order, Dictionary<Node, int> Slot);

    public RunResult Run(IReadOnlyList<Fetch> fetches, FeedDict? feeds)
    {
        var graph = session.Graph;
        foreach (var f in fetches)
        {
            if (f.Node is null) throw new ArgumentException("A fetch is a default value that names no node.");
            if (f.Node.Graph != graph)
                throw new ArgumentException($"Fetch {f} belongs to a different graph than this session's.");
        }
        feeds ??= [];
        foreach (var (target, value) in feeds) CheckFeed(target, value);

        var plan = _plans.GetOrAdd(Key(fetches, feeds), _ => Compile(fetches, feeds));
        var values = new Tensor[plan.Order.Length][];
        var context = new RunContext(session);

        Tensor ValueOf(Output o) =>
            feeds.TryGetValue(o, out var fed) ? fed : values[plan.Slot[o.Node]][o.Index];

        for (int i = 0; i < plan.Order.Length; i++)
        {
            var node = plan.Order[i];
            var inputs = new Tensor[node.Inputs.Count];
            for (int k = 0; k < inputs.Length; k++)
                if (node.Op.ReadsInput(k)) inputs[k] = ValueOf(node.Inputs[k]);
            values[i] = Execute(node, inputs, context);
        }

        var results = new Tensor?[fetches.Count];
        for (int i = 0; i < fetches.Count; i++)
            if (!fetches[i].IsOperation) results[i] = ValueOf(new Output(fetches[i].Node, fetches[i].Index));
        return new RunResult(fetches, results);
    }

    private static Tensor[] Execute(Node node, Tensor[] inputs, RunContext context)
    {
        var op = node.Op;
        var outputs = new Tensor[node.OutputCount];
        try
        {
            if (!op.ProducesOwnOutputs)
            {
                var shapes = op.InferShapes(inputs.Select((t, k) => t?.Shape ?? node.Inputs[k].Shape).ToArray());
                for (int k = 0; k < outputs.Length; k++) outputs[k] = new Tensor(shapes[k], node.OutputDTypes[k]);
            }
            op.Run(context, inputs, outputs);
        }
        catch (RunException) { throw; }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException)
        {
            string operands = string.Join(", ", inputs.Select((t, k) => $"'{node.Inputs[k].Name}' {t?.DType} {t?.Shape}"));
            throw new RunException($"Error running {op.TypeName} '{node.Name}' on [{operands}]: {e.Message}", node, e);
        }
        return outputs;
    }

    private void CheckFeed(Output target, Tensor value)
    {
        if (target.Node is null) throw new ArgumentException("A feed key is a default Output that names no node.");
        string what = target.Node.Op is Placeholder ? $"placeholder '{target.Name}'" : $"tensor '{target.Name}'";
        if (target.Node.Graph != session.Graph)
            throw new ArgumentException($"Cannot feed {what}: it belongs to a different graph than this session's.");
        if (value is null) throw new ArgumentException($"The value fed to {what} is null.");
        if (value.DType != target.DType)
            throw new ArgumentException($"Cannot feed a {value.DType} tensor into {what} of dtype {target.DType}.");
        if (!value.Shape.IsCompatibleWith(target.Shape))
            throw new ShapeException($"Cannot feed a tensor of shape {value.Shape} into {what} of shape {target.Shape}.");
    }

    private static string Key(IReadOnlyList<Fetch> fetches, FeedDict feeds) =>
        string.Join(",", fetches.Select(f => $"{f.Node.Id}:{f.Index}")) + "|" +
        string.Join(",", feeds.Keys.Select(o => $"{o.Node.Id}:{o.Index}").Order());

    private static Plan Compile(IReadOnlyList<Fetch> fetches, FeedDict feeds)
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
        var slot = new Dictionary<Node, int>(order.Length);
        for (int i = 0; i < order.Length; i++) slot[order[i]] = i;
        return new Plan(order, slot);
    }
}
