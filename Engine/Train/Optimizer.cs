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
        _hyperparameterNodes.Clear();
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

    /// <summary>One operation that takes a step downhill on <paramref name="loss"/> (TF1's minimize): <see cref="ComputeGradients"/> then <see cref="ApplyGradients"/>, over <paramref name="varList"/> or every trainable variable, adding 1 to <paramref name="globalStep"/> when given.</summary>
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

    // The hyperparameter nodes of the current ApplyGradients, by name and dtype: every update reads the same one.
    private readonly Dictionary<(string Name, DType DType), Output> _hyperparameterNodes = [];

    /// <summary>
    /// The scalar node an update reads a hyperparameter from, in <paramref name="like"/>'s dtype: a constant named
    /// <paramref name="name"/> for a number; the caller's tensor for a tensor, cast when its dtype differs.
    /// </summary>
    protected Output Hyper(Graph g, Hyperparameter value, Output like, string name)
    {
        if (_hyperparameterNodes.TryGetValue((name, like.DType), out var node)) return node;
        if (value.Tensor is not { } tensor) node = g.Constant(GraphBuilder.ScalarOf(value.Value ?? 0, like.DType), name);
        else
        {
            if (tensor.Graph != g)
                throw new ArgumentException($"The {name} of {Name}, '{tensor.Name}', belongs to another graph than the variables.");
            if (!tensor.DType.IsFloating())
                throw new ArgumentException($"The {name} of {Name} must be a floating-point tensor; '{tensor.Name}' is {tensor.DType}.");
            if (!tensor.Shape.IsCompatibleWith(Shape.Scalar))
                throw new ShapeException($"The {name} of {Name} must be a scalar; '{tensor.Name}' has shape {tensor.Shape}.");
            node = tensor.DType == like.DType ? tensor : g.Cast(tensor, like.DType, name);
        }
        _hyperparameterNodes[(name, like.DType)] = node;
        return node;
    }
}

/// <summary>
/// Base of the fused update ops: inputs are the variable, its slots, scalar hyperparameters and the gradient, all of one
/// dtype; the variable and its slots update in place. The hyperparameters stay tensors down to the primitive, which
/// reads them where the update runs, so a device backend never waits for the host to read a learning rate.
/// </summary>
public abstract class ApplyOp : Op
{
    /// <inheritdoc/>
    public override bool IsStateful => true;

    /// <inheritdoc/>
    public override bool IsDifferentiable => false;

    /// <inheritdoc/>
    public override bool ProducesOwnOutputs => true;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => RequireFloating(x);

    /// <summary>The positions of the scalar hyperparameter inputs.</summary>
    protected abstract int[] ScalarInputs { get; }

    /// <summary>The position of the gradient: the last input unless the op says otherwise.</summary>
    protected virtual int GradientInput(int inputCount) => inputCount - 1;

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x)
    {
        var grad = x[GradientInput(x.Length)];
        if (!grad.IsCompatibleWith(x[0]))
            throw new ShapeException($"The gradient's shape {grad} does not match the variable's {x[0]}.");
        foreach (int i in ScalarInputs)
            if (!x[i].IsCompatibleWith(Shape.Scalar))
                throw new ShapeException($"{TypeName} takes scalar hyperparameters; input {i} has shape {x[i]}.");
        return [x[0]];
    }

    /// <summary>The variable's input is the stored tensor itself, so updating it in place updates the variable.</summary>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y)
    {
        Apply(ctx.Backend, x);
        y[0] = x[0];
    }

    /// <summary>Runs the update's backend primitive on the inputs, changing the variable and its slots in place.</summary>
    protected abstract void Apply(IBackend be, Tensor[] x);
}
