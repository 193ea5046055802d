namespace GraphDL;

/// <summary>
/// One node of a plan, with its input and output arrays, reused by every run: it looks its inputs up, gives its
/// outputs buffers when the input shapes changed, and hands the node to its <see cref="NodePlacement"/> under the
/// session's <see cref="RunChecks"/>.
/// </summary>
internal sealed class PlanStep(Node node, PlanSource[] sources)
{
    private readonly Tensor[] _inputs = new Tensor[sources.Length];
    private readonly NodePlacement _placement = new(node);
    private Shape?[]? _boundShapes;

    public Node Node => node;

    public PlanSource[] Sources => sources;

    public Tensor[] Outputs { get; } = new Tensor[node.OutputCount];

    /// <summary>The buffers the executor gave this step (none for ops that produce their own outputs).</summary>
    public IEnumerable<Tensor> OwnedBuffers => node.Op.ProducesOwnOutputs ? [] : Outputs.Where(t => t is not null);

    /// <summary>Forgets the step's shapes, handing its buffers to the pool for the binding run to share out again.</summary>
    public void Unbind(BufferPool? pool)
    {
        _boundShapes = null;
        if (node.Op.ProducesOwnOutputs || pool is null) return;
        foreach (var buffer in Outputs)
            if (buffer is not null) pool.Return(buffer);
        Array.Clear(Outputs);
    }

    /// <summary>Forgets the step's shapes and drops its buffers (and views of them) rather than handing them on.</summary>
    public void LetGoOfBuffers()
    {
        _boundShapes = null;
        Array.Clear(Outputs);
    }

    /// <summary>
    /// Runs the node. Its outputs get buffers when its input shapes changed: from the pool in a binding run, of
    /// their own otherwise (a variable whose shape changed between binding runs). A binding run may offer an input
    /// that no later step reads as output 0's buffer (<paramref name="overwritable"/>); the step takes it when the
    /// shape and dtype are output 0's, and returns it then (null otherwise).
    /// </summary>
    public Tensor? Run(RunContext context, Plan plan, BufferPool? pool, Tensor? overwritable = null)
    {
        bool shapesChanged = ReadInputs(plan);
        var checks = new RunChecks(context.Session, node);
        Tensor? overwritten = null;
        try
        {
            if (shapesChanged && !node.Op.ProducesOwnOutputs) overwritten = AllocateOutputs(context, pool, overwritable);
            _placement.Run(context, _inputs, Outputs);
            if (checks.Watching) checks.Finish(_inputs, Outputs, _placement.BackendUsed(context));
        }
        catch (Exception e) when (RunChecks.IsOperandError(e))
        {
            throw checks.Translate(e, _inputs);
        }
        finally
        {
            // Inputs are looked up afresh each run, so none is held between runs: a feed would keep the caller's batch
            // alive, and a variable's value one that SetValue or a restore has since replaced.
            Array.Clear(_inputs);
        }
        return overwritten;
    }

    /// <summary>Fills the input array for this run; true when a shape differs from the bound one (or none is bound).</summary>
    private bool ReadInputs(Plan plan)
    {
        bool shapesChanged = _boundShapes is null;
        for (int k = 0; k < sources.Length; k++)
        {
            if (!sources[k].IsRead) continue;
            var value = plan.ValueOf(sources[k]);
            _inputs[k] = value;
            if (!shapesChanged && !ReferenceEquals(_boundShapes![k], value.Shape) && _boundShapes[k] != value.Shape)
                shapesChanged = true;
        }
        return shapesChanged;
    }

    /// <summary>
    /// Infers the output shapes from this run's inputs and gives each output that changed a buffer of that shape:
    /// <paramref name="overwritable"/> to output 0 when it fits (then returned), else one from the pool or a new one.
    /// </summary>
    private Tensor? AllocateOutputs(RunContext context, BufferPool? pool, Tensor? overwritable)
    {
        var shapes = new Shape[sources.Length];
        for (int k = 0; k < sources.Length; k++) shapes[k] = _inputs[k]?.Shape ?? node.Inputs[k].Shape;
        var outputShapes = node.Op.InferShapes(shapes);
        Tensor? overwritten = null;
        for (int o = 0; o < Outputs.Length; o++)
        {
            if (Outputs[o] is { } current && current.Shape == outputShapes[o]) continue;
            if (o == 0 && overwritable is not null && overwritable.Shape == outputShapes[0] && overwritable.DType == node.OutputDTypes[0])
                Outputs[0] = overwritten = overwritable;
            else
                Outputs[o] = pool?.Take(outputShapes[o], node.OutputDTypes[o]) ?? context.Backend.Allocate(outputShapes[o], node.OutputDTypes[o]);
        }
        _boundShapes = shapes;
        return overwritten;
    }
}
