namespace GraphDL;

/// <summary>How an assignment combines the new value with the old one.</summary>
public enum AssignMode { Set, Add, Subtract }

/// <summary>
/// variable ← value (or += / -=), then outputs the variable's new value. Inputs: the variable's output, the value.
/// The shape must match the variable's.
/// </summary>
public sealed class Assign : Op
{
    public AssignMode Mode { get; init; }

    public override string TypeName => Mode switch { AssignMode.Add => "AssignAdd", AssignMode.Subtract => "AssignSub", _ => "Assign" };

    public override bool IsStateful => true;

    public override bool IsDifferentiable => false;

    public override bool ProducesOwnOutputs => true;

    public override bool ReadsInput(int index) => index != 0;

    private Node _variable = null!;

    protected internal override void OnAdded(Node node) => _variable = node.Inputs[0].Node;

    public override DType[] InferDTypes(DType[] x) => InferDTypesOfOneKind(x);

    public override Shape[] InferShapes(Shape[] x) => x[1].IsCompatibleWith(x[0])
        ? [x[0]]
        : throw new ShapeException($"Cannot assign a value of shape {x[1]} to a variable of shape {x[0]}.");

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
    public Output Assign(Output variable, Output value, string? name = null) => Assignment(AssignMode.Set, variable, value, name);

    public Output AssignAdd(Output variable, Output value, string? name = null) => Assignment(AssignMode.Add, variable, value, name);

    public Output AssignSub(Output variable, Output value, string? name = null) => Assignment(AssignMode.Subtract, variable, value, name);

    private Output Assignment(AssignMode mode, Output variable, Output value, string? name)
    {
        VariableOp.NodeOf(variable);
        return AddOp(new Assign { Mode = mode }, [variable, value], name);
    }
}
