namespace GraphDL;

/// <summary>
/// The TF1 optimizer shape: <see cref="ComputeGradients"/> adds gradient nodes, <see cref="ApplyGradients"/>
/// adds one update op per variable (and the slot variables it needs), <see cref="Minimize"/> does both.
/// Everything is graph nodes: running the returned operation performs one training step.
/// </summary>
/// <param name="name">Prefix of the update nodes and slot variables.</param>
/// <param name="learningRate">η: a number, a scalar tensor, or a <see cref="LearningRateSchedule"/>.</param>
public abstract class Optimizer(string name, Hyperparameter learningRate)
{
    /// <summary>Prefix of the update nodes and slot variables ("GradientDescent", "Adam", ...).</summary>
    public string Name { get; } = name;

    /// <summary>
    /// η, read by every update. Setting it changes what the next <see cref="ApplyGradients"/> or <see cref="Minimize"/>
    /// builds, not an update already in a graph: a number is baked into that graph as a constant, as in TF1. A rate that
    /// must change inside a built graph is a tensor (a variable you assign, a placeholder you feed) or a
    /// <see cref="LearningRateSchedule"/>, which the update recomputes from the step counter at every run.
    /// </summary>
    public Hyperparameter LearningRate { get; set; } = learningRate;

    /// <summary>
    /// Keras's <c>clipnorm</c>: when set, each gradient whose L2 norm exceeds it is scaled down to it (tf.clip_by_norm,
    /// one gradient at a time) before the update. Null, the default, leaves the gradients as they are. Like
    /// <see cref="LearningRate"/>, it takes effect in the next <see cref="ApplyGradients"/>.
    /// </summary>
    public double? ClipNorm
    {
        get;
        set => field = value is not { } v || v > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(ClipNorm), value, $"The clip norm of {Name} must be positive.");
    }

    /// <summary>
    /// Keras's <c>clipvalue</c>: when set, every element of every gradient is limited to [-ClipValue, ClipValue]
    /// (tf.clip_by_value) before the update, after <see cref="ClipNorm"/> when both are set. Null, the default,
    /// leaves the gradients as they are.
    /// </summary>
    public double? ClipValue
    {
        get;
        set => field = value is not { } v || v > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(ClipValue), value, $"The clip value of {Name} must be positive.");
    }

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

    /// <summary>
    /// One operation applying every non-null gradient (clipped first when <see cref="ClipNorm"/> or <see cref="ClipValue"/>
    /// is set), then incrementing <paramref name="globalStep"/> if given. A hyperparameter given as a
    /// <see cref="LearningRateSchedule"/> reads <paramref name="globalStep"/>; without one, the optimizer adds its own
    /// Int32 step counter "iterations" (Keras's <c>optimizer.iterations</c>), advanced once per step.
    /// </summary>
    public Node ApplyGradients(IReadOnlyList<(Output? Gradient, Output Variable)> gradsAndVars, Output? globalStep = null, string? name = null)
    {
        var pairs = gradsAndVars.Where(p => p.Gradient is not null).Select(p => (Gradient: p.Gradient!.Value, p.Variable)).ToArray();
        if (pairs.Length == 0)
            throw new ArgumentException($"No gradients provided for any variable: {string.Join(", ", gradsAndVars.Select(p => p.Variable.Name))}.");
        var graph = pairs[0].Variable.Graph;
        var mark = graph.Mark();
        _hyperparameterNodes.Clear();
        _step = globalStep;
        using var marked = graph.BuildingOptimizerUpdate();
        try
        {
            Node[] updates;
            using (graph.NameScope(Name))
            {
                Prepare(graph, pairs[0].Variable.DType);
                updates = pairs.Select(p => ApplyDense(graph, Clipped(graph, p.Gradient), p.Variable).Node).ToArray();
                updates = [.. updates, .. Finish(graph, updates)];
            }
            // A schedule with no global step made the counter it reads; it advances like a global step would.
            var step = globalStep ?? _step;
            if (step is not { } counter) return graph.Group(updates, name ?? Name);
            using (graph.ControlDependencies(updates))
                return graph.AssignAdd(counter, graph.ScalarLike(1, counter), name ?? Name).Node;
        }
        catch
        {
            graph.RollBack(mark);
            throw;
        }
        finally
        {
            // The optimizer keeps no tensor of this graph, so one optimizer object can train another graph next.
            _hyperparameterNodes.Clear();
            _step = null;
        }
    }

    /// <summary>The gradient as Keras's clipnorm and clipvalue leave it.</summary>
    private Output Clipped(Graph g, Output grad)
    {
        if (ClipNorm is { } norm) grad = g.ClipByNorm(grad, norm, name: "clip_by_norm");
        if (ClipValue is { } value) grad = g.ClipByValue(grad, -value, value, "clip_by_value");
        return grad;
    }

    /// <summary>One operation that takes a step downhill on <paramref name="loss"/> (TF1's minimize): <see cref="ComputeGradients"/> then <see cref="ApplyGradients"/>, over <paramref name="varList"/> or every trainable variable, adding 1 to <paramref name="globalStep"/> when given.</summary>
    /// <exception cref="ArgumentException">No variable to optimize, a loss that is not floating, or a loss that depends on none of the variables.</exception>
    public Node Minimize(Output loss, IReadOnlyList<Output>? varList = null, Output? globalStep = null, string? name = null)
    {
        var graph = loss.Graph;
        var mark = graph.Mark();
        try
        {
            var gradsAndVars = ComputeGradients(loss, varList);
            if (gradsAndVars.All(p => p.Gradient is null))
                throw new ArgumentException(
                    $"The loss '{loss.Name}' depends on none of the variables {string.Join(", ", gradsAndVars.Select(p => $"'{p.Variable.Name}'"))}: there is no gradient to apply.",
                    nameof(loss));
            return ApplyGradients(gradsAndVars, globalStep, name);
        }
        catch
        {
            // The gradients that were built are of no use to anyone once the update cannot be.
            graph.RollBack(mark);
            throw;
        }
    }

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

    // The step counter of the current ApplyGradients that schedules read: the global step, or "iterations" once made.
    private Output? _step;

    /// <summary>
    /// The scalar node an update reads a hyperparameter from, in <paramref name="like"/>'s dtype: a constant named
    /// <paramref name="name"/> for a number; the caller's tensor for a tensor, cast when its dtype differs; a
    /// schedule's rate at the current step for a schedule.
    /// </summary>
    protected Output Hyper(Graph g, Hyperparameter value, Output like, string name)
    {
        if (_hyperparameterNodes.TryGetValue((name, like.DType), out var node)) return node;
        if (value.Schedule is { } schedule)
        {
            _step ??= g.Variable(GraphBuilder.ScalarOf(0, DType.Int32), "iterations", trainable: false);
            Output rate;
            using (g.NameScope(name)) rate = schedule.Rate(_step.Value);
            node = rate.DType == like.DType ? rate : g.Cast(rate, like.DType, name);
        }
        else if (value.Tensor is not { } tensor) node = g.Constant(GraphBuilder.ScalarOf(value.Value ?? 0, like.DType), name);
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
    public override bool WritesVariables => true;

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
