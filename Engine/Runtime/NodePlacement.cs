namespace GraphDL;

/// <summary>
/// Where one node of a plan runs, and the copies that takes. On a host backend everything runs in place. On a device
/// backend a node runs on the device when the backend has kernels for it; otherwise (a primitive that throws
/// <see cref="MissingKernelException"/> before changing anything, or an op that <see cref="Op.RunsOnHost"/>, such as a
/// seeded random draw) it runs on the backend's host backend between copies, and the session says so once.
/// A constant's host value is copied to the device once and kept there.
/// </summary>
internal sealed class NodePlacement(Node node)
{
    private bool _runsOnHost = node.Op.RunsOnHost;
    private Tensor?[]? _hostInputs, _hostInputCopies, _hostOutputs;
    private Tensor? _constantOnDevice;

    public void Run(RunContext context, Tensor[] inputs, Tensor[] outputs)
    {
        var op = node.Op;
        if (!context.HasHostFallback || op.ProducesOwnOutputs)
        {
            op.Run(context, inputs, outputs);
            if (context.OnDevice && op is Const) KeepOnDevice(context, outputs);
            return;
        }
        if (!_runsOnHost)
        {
            try
            {
                op.Run(context, inputs, outputs);
                return;
            }
            catch (MissingKernelException e)
            {
                _runsOnHost = true;
                context.Session.ReportRunsOnHost(node, e.Message);
            }
        }
        RunOnHost(context.Host, inputs, outputs);
    }

    /// <summary>The backend the node's last run used: the session's, or its host when the node runs on the host.</summary>
    public IBackend BackendUsed(RunContext context) =>
        _runsOnHost && context.HasHostFallback && !node.Op.ProducesOwnOutputs ? context.Host.Backend : context.Backend;

    private void KeepOnDevice(RunContext context, Tensor[] outputs)
    {
        if (outputs[0] is not { IsOnDevice: false } constant) return;
        if (_constantOnDevice is null) CopyToDevice(context.Backend, constant, ref _constantOnDevice);
        outputs[0] = _constantOnDevice!;
    }

    private void RunOnHost(RunContext host, Tensor[] inputs, Tensor[] outputs)
    {
        _hostInputs ??= new Tensor?[inputs.Length];
        _hostInputCopies ??= new Tensor?[inputs.Length];
        _hostOutputs ??= new Tensor?[outputs.Length];
        for (int k = 0; k < inputs.Length; k++)
            _hostInputs[k] = inputs[k] is { } input ? CopyToHost(input, ref _hostInputCopies[k]) : null;
        for (int o = 0; o < outputs.Length; o++)
            if (_hostOutputs[o] is not { } h || h.Shape != outputs[o].Shape) _hostOutputs[o] = new Tensor(outputs[o].Shape, outputs[o].DType);
        try
        {
            node.Op.Run(host, _hostInputs!, _hostOutputs!);
        }
        finally
        {
            Array.Clear(_hostInputs);   // the copies stay for the next run; the caller's tensors must not
        }
        for (int o = 0; o < outputs.Length; o++) outputs[o].CopyFrom(_hostOutputs[o]!);
    }

    /// <summary>Copies a host value into <paramref name="copy"/>, (re)allocated in the backend's memory when its shape or dtype changed.</summary>
    public static Tensor CopyToDevice(IBackend backend, Tensor value, ref Tensor? copy)
    {
        if (copy is null || copy.Shape != value.Shape || copy.DType != value.DType)
            copy = backend.Allocate(value.Shape, value.DType);
        copy.CopyFrom(value);
        return copy;
    }

    /// <summary>Copies a device value into <paramref name="copy"/>, (re)allocated on the host when its shape or dtype changed.</summary>
    private static Tensor CopyToHost(Tensor value, ref Tensor? copy)
    {
        if (!value.IsOnDevice) return value;
        if (copy is null || copy.Shape != value.Shape || copy.DType != value.DType) copy = new Tensor(value.Shape, value.DType);
        copy.CopyFrom(value);
        return copy;
    }
}
