namespace GraphDL;

/// <summary>
/// Where the builder methods live (g.MatMul, g.Relu, ...). Both <see cref="Graph"/> and the gradient
/// builder's <see cref="GradientContext"/> are builders, so an op's gradient is written with the same
/// calls as user code. Each op file adds its own builder method to this partial class.
/// </summary>
public abstract partial class GraphBuilder
{
    /// <summary>
    /// The most tensors one Unstack or Split makes. Each is an output or a node with its own shape, so a count read
    /// off an absurd dimension (a Range of 2^29 elements unstacked) would exhaust memory building the graph; a model
    /// that wants more pieces than this wants Gather or Slice.
    /// </summary>
    public const int MaxPieces = 1 << 16;

    /// <summary>The graph new nodes go into.</summary>
    protected abstract Graph Target { get; }

    /// <summary>Adds a node and returns it; the single place where nodes are created.</summary>
    public Node AddNode(Op op, IReadOnlyList<Output> inputs, string? name = null) =>
        Target.CreateNode(op, inputs, name);

    /// <summary>Adds a single-output node and returns that output.</summary>
    public Output AddOp(Op op, IReadOnlyList<Output> inputs, string? name = null) => AddNode(op, inputs, name).Output;

    /// <summary>A scalar constant with the dtype of <paramref name="like"/>, for arithmetic with plain numbers.</summary>
    public Output ScalarLike(double value, Output like) => Constant(ScalarOf(value, like.DType));

    internal static Tensor ScalarOf(double value, DType dtype)
    {
        var t = new Tensor(Shape.Scalar, dtype);
        t.SetDouble(0, value);
        return t;
    }

    /// <summary>
    /// Builds with <paramref name="build"/> and, if it throws, removes every node it added: a function that
    /// makes constants from its number arguments before the checks of the tensor overload it calls leaves the graph as it was.
    /// </summary>
    internal T AllOrNothing<T>(Func<T> build)
    {
        var mark = Target.Mark();
        try
        {
            return build();
        }
        catch
        {
            Target.RollBack(mark);
            throw;
        }
    }

    /// <summary>
    /// Builds a function made of several nodes (L2Normalize, a loss) all or nothing, and says which function an
    /// error came from: the node that refused a shape or a name is an inner one the caller never asked for.
    /// </summary>
    internal T Composite<T>(string function, string? name, IReadOnlyList<Output> operands, Func<T> build) => AllOrNothing(() =>
    {
        try
        {
            return build();
        }
        catch (ArgumentException e) when (e.GetType() == typeof(ShapeException) || e.GetType() == typeof(ArgumentException))
        {
            string node = name is null ? "" : $" '{name}'";
            string message = $"Cannot build {function}{node} from [{string.Join(", ", operands)}]: {e.Message}";
            throw e is ShapeException ? new ShapeException(message) : new ArgumentException(message, e);
        }
    });

    /// <summary>Whether a tensor of shape <paramref name="from"/> broadcasts to <paramref name="to"/> without changing it.</summary>
    internal static bool BroadcastsInto(Shape from, Shape to)
    {
        if (from.Rank > to.Rank) return false;
        for (int i = 1; i <= from.Rank; i++)
            if (from[^i] != 1 && from[^i] != to[^i]) return false;
        return true;
    }
}
