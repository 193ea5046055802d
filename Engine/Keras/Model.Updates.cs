namespace GraphDL.Keras;

public partial class Model
{
    /// <summary>
    /// The layers' updates that a training step of this model runs (Keras's <c>model.updates</c>): those of its layers'
    /// calls that its inputs feed. A layer shared with another model (a sub-model built on its own first, say) also holds
    /// the updates of calls on that model's inputs, which this model's step cannot feed and so leaves out.
    /// </summary>
    public IReadOnlyList<Node> Updates
    {
        get
        {
            if (!IsBuilt) return [];
            var inputs = InputNodes.Select(x => x.Node).ToHashSet();
            return [.. LayerUpdates.Where(u => FedOnlyBy(u, inputs))];
        }
    }

    /// <summary>The updates of the layers built so far, every call's (a nested model's, read by the model holding it).</summary>
    private IReadOnlyList<Node> LayerUpdates => [.. _layers.SelectMany(l => l.Updates).Distinct()];

    /// <summary>True when every placeholder that <paramref name="update"/> depends on is one of <paramref name="inputs"/> or the training flag.</summary>
    private static bool FedOnlyBy(Node update, IReadOnlySet<Node> inputs)
    {
        var flag = Layer.LearningPhase(update.Graph).Node;
        var seen = new HashSet<Node>();
        var pending = new Stack<Node>([update]);
        while (pending.TryPop(out var node))
        {
            if (!seen.Add(node)) continue;
            if (node.Op is Placeholder && node != flag && !inputs.Contains(node)) return false;
            foreach (var x in node.Inputs) pending.Push(x.Node);
            foreach (var c in node.ControlInputs) pending.Push(c);
        }
        return true;
    }
}
