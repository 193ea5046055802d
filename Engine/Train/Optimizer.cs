namespace GraphDL;

/// <summary>
/// The TF1 optimizer shape: <see cref="ComputeGradients"/> adds gradient nodes, <see cref="ApplyGradients"/>
/// adds one update op per variable (and the slot variables it needs), <see cref="Minimize"/> does both.
/// Everything is graph nodes: running the returned operation performs one training step.
/// </summary>
public abstract class Optimizer(string name)
{
    /// <summary>Prefix of the update nodes and slot variables ("GradientDescent", "Adam", ...).</summary>
    public string Name { get; } = name;

    /// <summary>(gradient, variable) for every trainable variable (or <paramref name="varList"/>); the gradient is null where the loss does not depend on it.</summary>
    public (Output? Gradient, Output Variable)[] ComputeGradients(Output loss, IReadOnlyList<Output>? varList = null)
    {
        var graph = loss.Graph;
        var variables = varList ?? graph.TrainableVariables;
        if (variables.Count == 0) throw new ArgumentException("There are no variables to optimize.");
        foreach (var v in variables) VariableOp.NodeOf(v);
        if (!loss.DType.IsFloating()) throw new ArgumentException($"The loss '{loss.Name}' must be a floating-point tensor, not {loss.DType}.");
        var grads = graph.Gradients([loss], variables);
        return variables.Select((v, i) => (grads[i], v)).ToArray();
    }

    /// <summary>One operation applying every non-null gradient, then incrementing <paramref name="globalStep"/> if given.</summary>
    public Node ApplyGradients(IReadOnlyList<(Output? Gradient, Output Variable)> gradsAndVars, Output? globalStep = null, string? name = null)
    {
        var pairs = gradsAndVars.Where(p => p.Gradient is not null).Select(p => (Gradient: p.Gradient!.Value, p.Variable)).ToArray();
        if (pairs.Length == 0)
            throw new ArgumentException($"No gradients provided for any variable: {string.Join(", ", gradsAndVars.Select(p => p.Variable.Name))}.");
        var graph = pairs[0].Variable.Graph;
        int mark = graph.Nodes.Count;
        try
        {
            Node[] updates;
            using (graph.NameScope(Name))
            {
                Prepare(graph, pairs[0].Variable.DType);
                updates = pairs.Select(p => ApplyDense(graph, p.Gradient, p.Variable).Node).ToArray();
                updates = [.. updates, .. Finish(graph, updates)];
            }
            if (globalStep is not { } step) return graph.Group(updates, name ?? Name);
            using (graph.ControlDependencies(updates))
                return graph.AssignAdd(step, graph.ScalarLike(1, step), name ?? Name).Node;
        }
        catch
        {
            graph.RollBack(mark);
            throw;
        }
    }

    public Node Minimize(Output loss, IReadOnlyList<Output>? varList = null, Output? globalStep = null, string? name = null) =>
        ApplyGradients(ComputeGradients(loss, varList), globalStep, name);

    /// <summary>Builds the nodes shared by every update, in the dtype of the (first) variable.</summary>
    protected virtual void Prepare(Graph g, DType dtype) { }

    /// <summary>The update of one variable from its gradient.</summary>
    protected abstract Output ApplyDense(Graph g, Output grad, Output variable);

    /// <summary>Operations that run after all updates (Adam advances its β powers here).</summary>
    protected virtual Node[] Finish(Graph g, Node[] updates) => [];

    /// <summary>A non-trainable variable shaped like <paramref name="variable"/>, named "W/Momentum", for per-variable optimizer state.</summary>
    protected Output Slot(Graph g, Output variable, string slotName, double initialValue)
    {
        var init = Init.Constant(initialValue, variable.Shape.ToArray()) with { DType = variable.DType };
        return g.Variable(init, $"{variable.Node.Name.Replace('/', '_')}_{slotName}", trainable: false);
    }

    /// <summary>A scalar hyperparameter as a constant of the variables' dtype (Float32 unless the graph trains Float64).</summary>
    protected static Output Hyper(Graph g, double value, Output like, string name) =>
        g.Constant(GraphBuilder.ScalarOf(value, like.DType), name);
}

/// <summary>Base of the fused update ops: inputs are the variable, its slots, scalar hyperparameters and the gradient; all update in place.</summary>
public abstract class ApplyOp : Op
{
    public override bool IsStateful => true;

    public override bool IsDifferentiable => false;

    public override bool ProducesOwnOutputs => true;

    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    public override Shape[] InferShapes(Shape[] x)
    {
        if (!x[^1].IsCompatibleWith(x[0]))
            throw new ShapeException($"The gradient's shape {x[^1]} does not match the variable's {x[0]}.");
        return [x[0]];
    }

    /// <summary>The variable's input is the stored tensor itself, so updating it in place updates the variable.</summary>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y)
    {
        Apply(ctx.Backend, x);
        y[0] = x[0];
    }

    protected abstract void Apply(IBackend be, Tensor[] x);
}
