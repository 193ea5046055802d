namespace GraphDL;

/// <summary>
/// An operation placed in a graph: its op (what it computes), its inputs, and the statically inferred
/// dtypes and shapes of its outputs. Nodes are immutable once built; their ids are a topological order.
/// </summary>
public sealed class Node
{
    internal Node(Graph graph, int id, string name, Op op, Output[] inputs, Node[] controlInputs,
                  Shape[] outputShapes, DType[] outputDTypes, bool isGradient, bool isOptimizerUpdate)
    {
        Graph = graph;
        Id = id;
        Name = name;
        Op = op;
        Inputs = Array.AsReadOnly(inputs);   // read-only all the way down: a cast must not rewire a built graph into a cycle
        ControlInputs = Array.AsReadOnly(controlInputs);
        OutputShapes = outputShapes;
        OutputDTypes = outputDTypes;
        IsGradient = isGradient;
        IsOptimizerUpdate = isOptimizerUpdate;
    }

    /// <summary>The graph the node belongs to.</summary>
    public Graph Graph { get; }

    /// <summary>Position in the graph; every input has a smaller id.</summary>
    public int Id { get; }

    /// <summary>The unique full name, scopes included: "layer1/MatMul", "gradients/MatMul_grad/MatMul_1".</summary>
    public string Name { get; }

    /// <summary>What the node computes, with its attributes.</summary>
    public Op Op { get; }

    /// <summary>The outputs this node reads, in the op's input order.</summary>
    public IReadOnlyList<Output> Inputs { get; }

    /// <summary>Nodes that must run before this one although no data flows from them.</summary>
    public IReadOnlyList<Node> ControlInputs { get; }

    /// <summary>The shapes inferred when the node was built; a dimension may be -1 (known at run time only).</summary>
    public IReadOnlyList<Shape> OutputShapes { get; }

    /// <summary>The dtype of each output.</summary>
    public IReadOnlyList<DType> OutputDTypes { get; }

    /// <summary>How many outputs the node has: 1 for most ops, 0 for operations such as an optimizer's step.</summary>
    public int OutputCount => OutputShapes.Count;

    /// <summary>True for nodes the gradient builder added.</summary>
    public bool IsGradient { get; }

    /// <summary>
    /// True for nodes an optimizer's <see cref="Optimizer.ApplyGradients"/> added: the updates, slot variables, step
    /// counter and hyperparameter nodes, which the board draws apart from the model.
    /// </summary>
    public bool IsOptimizerUpdate { get; }

    /// <summary>The node's first (usually only) output.</summary>
    public Output Output => OutputCount > 0
        ? new Output(this, 0)
        : throw new InvalidOperationException($"Node '{Name}' ({Op.TypeName}) is an operation with no outputs.");

    /// <summary>Output <paramref name="index"/> of the node; fails naming the node when it has fewer outputs.</summary>
    public Output this[int index] => index >= 0 && index < OutputCount
        ? new Output(this, index)
        : throw new ArgumentOutOfRangeException(nameof(index), $"Node '{Name}' has {OutputCount} outputs, not {index + 1}.");

    /// <summary>"'layer1/MatMul' (MatMul)": the name and the op's type, as error messages print nodes.</summary>
    public override string ToString() => $"'{Name}' ({Op.TypeName})";
}
