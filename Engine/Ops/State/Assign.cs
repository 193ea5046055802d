namespace GraphDL;

/// <summary>How an assignment combines the new value with the old one.</summary>
public enum AssignMode
{
    /// <summary>variable = value (TF1's tf.assign).</summary>
    Set,
    /// <summary>variable += value (TF1's tf.assign_add).</summary>
    Add,
    /// <summary>variable -= value (TF1's tf.assign_sub).</summary>
    Subtract,
}

/// <summary>
/// variable ← value (or += / -=), then outputs the variable's new value. Inputs: the variable's output, the value.
/// The shape must match the variable's.
/// </summary>
public sealed class Assign : Op
{
    /// <summary>Whether the value replaces, is added to or is subtracted from the variable.</summary>
    public AssignMode Mode { get; init; }

    /// <inheritdoc/>
    public override string TypeName => Mode switch { AssignMode.Add => "AssignAdd", AssignMode.Subtract => "AssignSub", _ => "Assign" };

    /// <inheritdoc/>
    public override bool IsStateful => true;

    /// <inheritdoc/>
    public override bool WritesVariables => true;

    /// <inheritdoc/>
    public override bool IsDifferentiable => false;

    /// <inheritdoc/>
    public override bool ProducesOwnOutputs => true;

    /// <inheritdoc/>
    public override bool ReadsInput(int index) => index != 0;

    /// <summary>The value is copied into the variable, so its buffer is free for the next step: initializing many large variables holds one initial value at a time.</summary>
    public override bool KeepsInputs => false;

    private Node _variable = null!;

    /// <inheritdoc/>
    protected internal override void OnAdded(Node node) => _variable = node.Inputs[0].Node;

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => InferDTypesOfOneKind(x);

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => x[1].IsCompatibleWith(x[0])
        ? [x[0]]
        : throw new ShapeException($"Cannot assign a value of shape {x[1]} to a variable of shape {x[0]}.");

    /// <inheritdoc/>
    public override void Run(RunContext ctx, Tensor[] x, Tensor[] y)
    {
        if (Mode == AssignMode.Set)
        {
            y[0] = ctx.Session.AssignVariable(_variable, x[1]);
            return;
        }
        var current = ctx.Session.ReadVariable(_variable);
        ctx.Backend.Binary(Mode == AssignMode.Add ? BinaryFn.Add : BinaryFn.Sub, current, x[1], current);
        y[0] = current;
    }
}

public abstract partial class GraphBuilder
{
    /// <summary>An operation that sets a variable to <paramref name="value"/> and outputs the new value (tf.assign); the shapes must agree.</summary>
    public Output Assign(Output variable, Output value, string? name = null) => Assignment(AssignMode.Set, variable, value, name);

    /// <summary>An operation that adds <paramref name="value"/> to a variable in place and outputs the new value (tf.assign_add): a step counter.</summary>
    public Output AssignAdd(Output variable, Output value, string? name = null) => Assignment(AssignMode.Add, variable, value, name);

    /// <summary>An operation that subtracts <paramref name="value"/> from a variable in place and outputs the new value (tf.assign_sub): a hand-written gradient-descent step.</summary>
    public Output AssignSub(Output variable, Output value, string? name = null) => Assignment(AssignMode.Subtract, variable, value, name);

    private Output Assignment(AssignMode mode, Output variable, Output value, string? name)
    {
        VariableOp.NodeOf(variable);
        return AddOp(new Assign { Mode = mode }, [variable, value], name);
    }
}
