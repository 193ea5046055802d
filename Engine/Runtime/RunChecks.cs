namespace GraphDL;

/// <summary>
/// What a session checks around every step it runs, kept out of the step itself: the optional profile (time and
/// managed allocations per node), the optional stop at the first NaN or infinity (<see cref="Session.CheckNumerics"/>),
/// and the translation of a primitive's failure into a <see cref="RunException"/> that names the node and its operands.
/// A value type, so that a steady run with no profile and no checks allocates nothing here.
/// </summary>
internal readonly struct RunChecks
{
    private readonly Session _session;
    private readonly Node _node;
    private readonly long _startTicks, _startBytes;

    /// <summary>Starts the checks of one step of <paramref name="node"/>.</summary>
    public RunChecks(Session session, Node node)
    {
        _session = session;
        _node = node;
        if (session.Profile is { } profile)
        {
            Watching = true;
            _startTicks = profile.Start();
            _startBytes = profile.StartAllocations();
        }
        else Watching = session.CheckNumerics;
    }

    /// <summary>True when the step has something to finish: a profile to add to or numerics to check. A plain run skips <see cref="Finish"/>.</summary>
    public bool Watching { get; }

    /// <summary>The step ran on <paramref name="ranOn"/>: its time, device and output shape go into the profile, and its outputs must be finite when numerics are checked.</summary>
    public void Finish(Tensor?[] inputs, Tensor[] outputs, IBackend ranOn)
    {
        _session.Profile?.Stop(_node, _startTicks, _startBytes, ranOn, outputs);
        if (_session.CheckNumerics) CheckFinite(inputs, outputs);
    }

    /// <summary>The exceptions a primitive throws for operands it cannot take; anything else is a bug and passes unchanged.</summary>
    public static bool IsOperandError(Exception e) =>
        e is not RunException and (ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException or InsufficientMemoryException);

    /// <summary>A primitive's failure as an error that names the node and its operands.</summary>
    public RunException Translate(Exception e, Tensor?[] inputs)
    {
        var node = _node;
        string operands = string.Join(", ", inputs.Select((t, k) => $"'{node.Inputs[k].Name}' {t?.DType} {t?.Shape}"));
        return new RunException($"Error running {node.Op.TypeName} '{node.Name}' on [{operands}]: {e.Message}", node, e);
    }

    /// <summary>Stops the run when an output holds a NaN or an infinity, naming the node and its inputs' ranges.</summary>
    private void CheckFinite(Tensor?[] inputs, Tensor[] outputs)
    {
        foreach (var output in outputs)
        {
            if (output is null || !FiniteCheck.Applies(output.DType)) continue;
            var check = FiniteCheck.Of(output);
            if (check.AllFinite) continue;
            var node = _node;
            var described = inputs.Select((t, k) => t is null ? null
                : $"'{node.Inputs[k].Name}' {t.DType} {t.Shape} " + (FiniteCheck.Applies(t.DType) ? FiniteCheck.Of(t) is var c && c.AllFinite ? c.Range : $"{c.Range}, {c.Problems}" : ""));
            string from = string.Join("; ", described.OfType<string>());
            throw new RunException($"{node.Op.TypeName} '{node.Name}' produced {check.Problems}" + (from.Length > 0 ? $" from {from}." : "."), node);
        }
    }
}
