namespace GraphDL;

public sealed partial class Graph
{
    /// <summary>
    /// Adds nodes computing d(sum of ys)/dx for every x (TF1's tf.gradients). Returns null for an x that no y
    /// depends on (or zeros, with <paramref name="unconnectedZeros"/>).
    /// </summary>
    /// <param name="ys">The values to differentiate; several are summed.</param>
    /// <param name="xs">The values to differentiate with respect to: variables, placeholders or any output.</param>
    /// <param name="gradYs">The gradient each y starts with; ones of y's shape by default.</param>
    /// <param name="stopGradients">Outputs treated as constants: no gradient flows through them.</param>
    /// <param name="unconnectedZeros">Give zeros of x's shape, instead of null, for an x no y depends on (TF1's unconnected_gradients='zero').</param>
    public Output?[] Gradients(IReadOnlyList<Output> ys, IReadOnlyList<Output> xs, IReadOnlyList<Output>? gradYs = null,
                               IReadOnlyList<Output>? stopGradients = null, bool unconnectedZeros = false)
    {
        foreach (var y in ys) CheckOwned(y, "y passed to Gradients");
        foreach (var x in xs) CheckOwned(x, "x passed to Gradients");
        if (gradYs is not null && gradYs.Count != ys.Count)
            throw new ArgumentException($"Gradients got {ys.Count} ys but {gradYs.Count} gradYs.", nameof(gradYs));

        for (int i = 0; i < (gradYs?.Count ?? 0); i++)
            if (!gradYs![i].Shape.IsCompatibleWith(ys[i].Shape))
                throw new ShapeException($"gradYs[{i}] has shape {gradYs[i].Shape} but y '{ys[i].Name}' has shape {ys[i].Shape}.");

        var mark = Mark();
        try
        {
            using var scope = NameScope("gradients");
            using var marking = BuildingGradient();
            var builder = new GradientBuilder(this, xs, ys, stopGradients ?? []);
            for (int i = 0; i < ys.Count; i++) builder.Accumulate(ys[i], gradYs?[i] ?? OnesLike(ys[i]));
            builder.Propagate();
            return xs.Select(x => builder.Total(x) ?? (unconnectedZeros ? ZerosLike(x) : (Output?)null)).ToArray();
        }
        catch
        {
            RollBack(mark);   // a failed gradient leaves no half-built nodes behind
            throw;
        }
    }

    /// <summary>The gradient of a single y with respect to a single x, or null when y does not depend on x.</summary>
    public Output? Gradient(Output y, Output x) => Gradients([y], [x])[0];

    /// <summary>One run of the reverse-mode walk over the part of the graph between xs and ys.</summary>
    private sealed class GradientBuilder
    {
        private readonly Graph _graph;
        private readonly IReadOnlySet<Node> _between;
        private readonly Dictionary<Output, List<Output>> _pending = [];
        private readonly HashSet<Node> _stopNodes;

        public GradientBuilder(Graph graph, IReadOnlyList<Output> xs, IReadOnlyList<Output> ys, IReadOnlyList<Output> stops)
        {
            _graph = graph;
            _stopNodes = stops.Select(s => s.Node).ToHashSet();

            // A stop node receives gradients (when it is an x) but never passes them to its inputs.
            Func<Node, bool> cutsPath = node => _stopNodes.Contains(node) || node.Op is StopGradient;
            // A Bool or Int32 tensor carries no gradient (TF1's rule), so a path through a comparison, an ArgMax or
            // an index is no path at all: ReduceMax's gradient compares x with the maximum, and the gradient of that
            // gradient must not try to differentiate the Equal.
            _between = graph.NodesBetween(xs.Select(x => x.Node), ys.Select(y => y.Node), cutsPath, CarriesGradient);
            RequireAFloatPathFromEveryConnectedX(xs, ys, cutsPath);
        }

        private static bool CarriesGradient(Output edge) => edge.DType.IsFloating();

        /// <summary>
        /// An x that the ys reach only through Bool or Int32 tensors would quietly get no gradient. That is a loss
        /// computed from predictions (through an ArgMax or a comparison) rather than from logits, a mistake, so it
        /// fails naming the op where the float path from x ends.
        /// </summary>
        private void RequireAFloatPathFromEveryConnectedX(IReadOnlyList<Output> xs, IReadOnlyList<Output> ys, Func<Node, bool> cutsPath)
        {
            var connected = _graph.NodesBetween(xs.Select(x => x.Node), ys.Select(y => y.Node), cutsPath);
            if (!xs.Any(x => CarriesGradient(x) && connected.Contains(x.Node) && !_between.Contains(x.Node))) return;

            // Where a float path turns into a Bool or Int32 one: a node with a float input on the path and no float output.
            var end = connected
                .Where(n => n.Inputs.Any(i => CarriesGradient(i) && connected.Contains(i.Node)))
                .Where(n => Enumerable.Range(0, n.OutputCount).All(k => !CarriesGradient(n[k])))
                .MaxBy(n => n.Id);
            if (end is not null)
                throw new InvalidOperationException($"No gradient defined for op '{end.Name}' ({end.Op.TypeName})");
        }

        public void Accumulate(Output x, Output grad)
        {
            if (!_pending.TryGetValue(x, out var list)) _pending[x] = list = [];
            list.Add(grad);
        }

        /// <summary>Several consumers' gradients of one output are summed with one AddN.</summary>
        public Output? Total(Output x)
        {
            if (!_pending.TryGetValue(x, out var list) || list.Count == 0) return null;
            if (list.Count > 1)
            {
                var sum = _graph.AddN(list);
                list.Clear();
                list.Add(sum);
            }
            return list[0];
        }

        public void Propagate()
        {
            foreach (var node in _between.OrderByDescending(n => n.Id))
            {
                if (_stopNodes.Contains(node) || !node.Inputs.Any(i => CarriesGradient(i) && _between.Contains(i.Node))) continue;
                var douts = Enumerable.Range(0, node.OutputCount).Select(k => Total(node[k])).ToArray();
                if (douts.All(d => d is null)) continue;
                if (!node.Op.IsDifferentiable)
                    throw new InvalidOperationException($"No gradient defined for op '{node.Name}' ({node.Op.TypeName})");

                Output?[] dxs;
                using (_graph.PushScope(node.Name + "_grad"))
                    dxs = node.Op.Gradient(new GradientContext(_graph, node), douts);
                if (dxs.Length != node.Inputs.Count)
                    throw new InvalidOperationException(
                        $"The gradient of {node.Op.TypeName} '{node.Name}' returned {dxs.Length} entries for {node.Inputs.Count} inputs.");

                for (int i = 0; i < dxs.Length; i++)
                {
                    if (dxs[i] is not { } dx || !CarriesGradient(node.Inputs[i]) || !_between.Contains(node.Inputs[i].Node)) continue;
                    var input = node.Inputs[i];
                    if (!dx.Shape.IsCompatibleWith(input.Shape))
                        throw new InvalidOperationException(
                            $"The gradient of {node.Op.TypeName} '{node.Name}' for input {i} has shape {dx.Shape}, but the input '{input.Name}' has shape {input.Shape}.");
                    Accumulate(input, dx);
                }
            }
        }
    }
}
