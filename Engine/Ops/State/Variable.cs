namespace GraphDL;

/// <summary>
/// A trainable (or not) value that lives in the session and survives between runs (TF1's tf.Variable). Its
/// output is the current value; <see cref="GraphBuilder.Assign"/> changes it. Built together with an
/// initializer node that <c>GlobalVariablesInitializer()</c> runs.
/// </summary>
public sealed class VariableOp : SourceOp
{
    /// <summary>The variable's shape, fully known.</summary>
    public required Shape Shape { get; init; }

    /// <summary>The variable's dtype.</summary>
    public DType DType { get; init; } = DType.Float32;

    /// <summary>Whether optimizers update it by default (TF1's trainable); false for counters, learning rates, moving averages.</summary>
    public bool Trainable { get; init; } = true;

    /// <inheritdoc/>
    public override string TypeName => "Variable";

    /// <inheritdoc/>
    public override Shape OutputShape => Shape;

    /// <inheritdoc/>
    public override DType OutputDType => DType;

    /// <inheritdoc/>
    public override bool IsStateful => true;

    /// <inheritdoc/>
    public override bool ProducesOwnOutputs => true;

    /// <summary>The node that assigns the initial value.</summary>
    public Node? Initializer { get; internal set; }

    internal Node Node { get; private set; } = null!;

    /// <inheritdoc/>
    protected internal override void OnAdded(Node node)
    {
        Node = node;
        node.Graph.AddToCollection(Collections.GlobalVariables, node.Output);
        if (Trainable) node.Graph.AddToCollection(Collections.TrainableVariables, node.Output);
    }

    /// <summary>The stored tensor itself, so an Assign later in the same run is seen by nodes built after it.</summary>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y) => y[0] = ctx.Session.ReadVariable(Node);

    /// <summary>The variable node behind an output, or an error saying it is not a variable.</summary>
    internal static Node NodeOf(Output variable) => variable.Node?.Op is VariableOp
        ? variable.Node
        : throw new ArgumentException($"'{variable.Name}' is not a variable but a {variable.Node?.Op.TypeName} output.");
}

public sealed partial class Graph
{
    /// <summary>A variable whose initial value comes from <paramref name="init"/> (Init.Zeros(784, 10), Init.TruncatedNormal(...)).</summary>
    public Output Variable(Initializer init, string? name = null, bool trainable = true) =>
        Variable(init.Shape, init.DType, g => init.Build(g), name, trainable);

    /// <summary>A variable whose initial value is a constant tensor.</summary>
    public Output Variable(Tensor initialValue, string? name = null, bool trainable = true) =>
        Variable(initialValue.Shape, initialValue.DType, g => g.Constant(initialValue, "initial_value"), name, trainable);

    /// <summary>A variable initialised from any graph output (tf.Variable(tf.random_normal([1]))).</summary>
    public Output Variable(Output initialValue, string? name = null, bool trainable = true)
    {
        CheckOwned(initialValue, "initial value");
        if (!initialValue.Shape.IsFullyDefined)
            throw new ShapeException($"A variable's initial value needs a fully known shape; '{initialValue.Name}' has {initialValue.Shape}.");
        return Variable(initialValue.Shape, initialValue.DType, _ => initialValue, name, trainable);
    }

    private Output Variable(Shape shape, DType dtype, Func<Graph, Output> initialValue, string? name, bool trainable)
    {
        if (!shape.IsFullyDefined) throw new ShapeException($"Variable '{name ?? "Variable"}' needs a fully known shape, got {shape}.");
        var mark = Mark();
        try
        {
            var op = new VariableOp { Shape = shape, DType = dtype, Trainable = trainable };
            var variable = AddOp(op, [], name ?? "Variable");
            using (PushScope(variable.Name, exact: true))
                op.Initializer = Assign(variable, initialValue(this)).Node;
            return variable;
        }
        catch
        {
            RollBack(mark);
            throw;
        }
    }

    /// <summary>One operation that runs every variable's initializer.</summary>
    public Node GlobalVariablesInitializer() => VariablesInitializer(GlobalVariables);

    /// <summary>One operation that runs the initializers of <paramref name="variables"/> only (tf.variables_initializer).</summary>
    public Node VariablesInitializer(IEnumerable<Output> variables) =>
        Group(variables.Select(v => ((VariableOp)VariableOp.NodeOf(v).Op).Initializer!), "init");
}
