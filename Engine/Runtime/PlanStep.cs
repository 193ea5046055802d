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
    /// their own otherwise (a variable whose shape changed between binding runs).
    /// </summary>
    public void Run(RunContext context, Plan plan, BufferPool? pool)
    {
        bool shapesChanged = ReadInputs(plan);
        var checks = new RunChecks(context.Session, node);
        try
        {
            if (shapesChanged && !node.Op.ProducesOwnOutputs) AllocateOutputs(context, pool);
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

    /// <summary>Infers the output shapes from this run's inputs and gives each output that changed a buffer of that shape.</summary>
    private void AllocateOutputs(RunContext context, BufferPool? pool)
    {
        var shapes = new Shape[sources.Length];
        for (int k = 0; k < sources.Length; k++) shapes[k] = _inputs[k]?.Shape ?? node.Inputs[k].Shape;
        var outputShapes = node.Op.InferShapes(shapes);
        for (int o = 0; o < Outputs.Length; o++)
        {
            if (Outputs[o] is { } current && current.Shape == outputShapes[o]) continue;
            Outputs[o] = pool?.Take(outputShapes[o], node.OutputDTypes[o]) ?? context.Backend.Allocate(outputShapes[o], node.OutputDTypes[o]);
        }
        _boundShapes = shapes;
    }
}
