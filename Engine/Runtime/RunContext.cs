namespace GraphDL;

/// <summary>What a running op may reach beyond its inputs: the backend, the session's variables and random streams.</summary>
public sealed class RunContext
{
    internal RunContext(Session session, IBackend backend)
    {
        Session = session;
        Backend = backend;
        OnDevice = backend.UsesDeviceMemory;
        Host = ReferenceEquals(backend.Host, backend) ? this : new RunContext(session, backend.Host);
    }

    /// <summary>The session running the op: its variables and random streams.</summary>
    public Session Session { get; }

    /// <summary>The backend the op runs on now (the session's, or its host for a host-run node).</summary>
    public IBackend Backend { get; }

    /// <summary>True when the backend keeps tensors in device memory: values then cross to the host only for host-run nodes, feeds and fetches.</summary>
    internal bool OnDevice { get; }

    /// <summary>The same session on the backend's host backend, for nodes that run on the host; this context itself on a host backend.</summary>
    internal RunContext Host { get; }

    /// <summary>True when a node this backend cannot run may run on <see cref="Host"/> instead.</summary>
    internal bool HasHostFallback => !ReferenceEquals(Host, this);
}

/// <summary>A failure while running the graph; the message names the node.</summary>
public class RunException(string message, Node? node = null, Exception? inner = null) : InvalidOperationException(message, inner)
{
    /// <summary>The node that failed, when the failure belongs to one.</summary>
    public Node? Node { get; } = node;
}
