namespace GraphDL;

/// <summary>
/// What a node computes. An op file reads top to bottom: shape inference, the forward pass written
/// against <see cref="IBackend"/> primitives, and the gradient built from other graph nodes.
/// Each node owns its op instance; attributes are init-only properties.
/// </summary>
public abstract class Op
{
    /// <summary>The op's type as it appears in node names and error messages.</summary>
    public virtual string TypeName => GetType().Name;

    /// <summary>False for ops that have no gradient (ArgMax, Equal, ...): a gradient that reaches one is an error.</summary>
    public virtual bool IsDifferentiable => true;

    /// <summary>Output dtypes from input dtypes. By default all inputs must share one dtype, which the output has.</summary>
    public virtual DType[] InferDTypes(DType[] x) => x.Length > 0
        ? InferDTypesOfOneKind(x)
        : throw new InvalidOperationException($"{TypeName} must override InferDTypes: it has no inputs.");

    /// <summary>
    /// Output shapes from input shapes. Called once at build time with static shapes (dims may be -1) and
    /// again at run time with the actual shapes, so it must work for both.
    /// </summary>
    public abstract Shape[] InferShapes(Shape[] x);

    /// <summary>The forward pass: read <paramref name="x"/>, write the preallocated outputs <paramref name="y"/>.</summary>
    public virtual void Compute(IBackend be, Tensor[] x, Tensor[] y) =>
        throw new NotSupportedException($"{TypeName} has no forward computation.");

    /// <summary>
    /// The forward pass with access to the session (variables, random streams). Ops that need no state
    /// override <see cref="Compute"/> instead.
    /// </summary>
    public virtual void Run(RunContext ctx, Tensor[] x, Tensor[] y) => Compute(ctx.Backend, x, y);

    /// <summary>
    /// True when <see cref="Run"/> sets the output tensors itself (a variable's stored value, a reshaped view)
    /// instead of writing into buffers the executor allocated.
    /// </summary>
    public virtual bool ProducesOwnOutputs => false;

    /// <summary>
    /// True for ops whose output is a view of input 0's storage (reshapes, Identity). The executor then keeps
    /// that input's buffer alive as long as the view is read. Other ops that produce their own outputs are
    /// assumed to keep their inputs (see <see cref="KeepsInputs"/>).
    /// </summary>
    public virtual bool OutputIsViewOfInput => false;

    /// <summary>
    /// Whether the op may hold its inputs' tensors past its run, as outputs or state, so that the executor never
    /// hands their buffers to a later step. True for ops that produce their own outputs and are not views; an op
    /// that only copies what it reads (Assign copies its value into the variable) says false.
    /// </summary>
    public virtual bool KeepsInputs => ProducesOwnOutputs && !OutputIsViewOfInput;

    /// <summary>
    /// True when output 0 may be written into the buffer of input <paramref name="index"/> itself, when the two have
    /// the same shape and dtype: every backend's kernel reads that input's element i before it writes the output's
    /// element i, and reads no other element of it. The executor then lets the op overwrite an intermediate value that
    /// no later step reads (a bias added to a convolution's output, ReLU over that sum), which saves the memory and a
    /// pass of cache misses over a fresh buffer.
    /// </summary>
    public virtual bool MayOverwriteInput(int index) => false;

    /// <summary>
    /// False for an input that names a variable rather than reads it (Assign's target): the executor neither
    /// computes it nor passes a value, so an uninitialised variable can be assigned.
    /// </summary>
    public virtual bool ReadsInput(int index) => true;

    /// <summary>
    /// True for ops whose forward pass works on host memory directly rather than through backend primitives
    /// (random draws, a QR factorisation). In a session on a GPU they run on the CPU, their inputs copied to the host
    /// and their outputs back to the device.
    /// </summary>
    public virtual bool RunsOnHost => false;

    /// <summary>True for ops whose result is not a pure function of their inputs (variables, assignments, random draws).</summary>
    public virtual bool IsStateful => false;

    /// <summary>
    /// True for ops that change a variable's value (assignments, optimizer updates): a run holding one is atomic towards
    /// the session's other runs, so none of them sees a step half-applied.
    /// </summary>
    public virtual bool WritesVariables => false;

    /// <summary>
    /// The gradient with respect to each input, as new graph nodes, given the gradient <paramref name="dout"/>
    /// of the (single) output. Null for an input that gets no gradient.
    /// </summary>
    public virtual Output?[] Gradient(GradientContext g, Output dout) =>
        throw new InvalidOperationException($"{TypeName} declares itself differentiable but defines no gradient.");

    /// <summary>Multi-output ops override this; <paramref name="douts"/> holds null for outputs no gradient reached.</summary>
    public virtual Output?[] Gradient(GradientContext g, IReadOnlyList<Output?> douts) =>
        Gradient(g, douts[0] ?? g.ZerosLike(g.Output(0)));

    /// <summary>Called once the node exists (variables register themselves in collections here).</summary>
    protected internal virtual void OnAdded(Node node) { }

    /// <summary>The attributes, for the Graphviz picture and error messages ("axis=1, keepDims").</summary>
    public virtual string Attributes => "";

    /// <summary>All inputs of one floating dtype, for ops defined on real numbers only.</summary>
    protected DType[] RequireFloating(DType[] x)
    {
        var result = InferDTypesOfOneKind(x);
        if (!result[0].IsFloating())
            throw new ArgumentException($"{TypeName} is defined for Float32 and Float64, not {result[0]}.");
        return result;
    }

    /// <summary>All inputs of one dtype, which the single output has.</summary>
    protected DType[] InferDTypesOfOneKind(DType[] x)
    {
        for (int i = 1; i < x.Length; i++)
            if (x[i] != x[0])
                throw new ArgumentException($"{TypeName} needs inputs of one dtype, got {string.Join(" and ", x.Distinct())}.");
        return [x[0]];
    }
}

/// <summary>An op with no inputs (placeholders, variables, constants, random draws): sources of the graph.</summary>
public abstract class SourceOp : Op
{
    /// <summary>The shape of the op's one output, fixed when it is built.</summary>
    public abstract Shape OutputShape { get; }

    /// <summary>The dtype of the op's one output.</summary>
    public abstract DType OutputDType { get; }

    /// <inheritdoc/>
    public override DType[] InferDTypes(DType[] x) => [OutputDType];

    /// <inheritdoc/>
    public override Shape[] InferShapes(Shape[] x) => [OutputShape];

    /// <summary>A source has no inputs, so there is nothing to pass a gradient to.</summary>
    public override Output?[] Gradient(GradientContext g, Output dout) => [];
}
