namespace GraphDL;

/// <summary>What a running op may reach beyond its inputs: the backend, the session's variables and random streams.</summary>
public sealed class RunContext
{
    internal RunContext(Session session) => Session = session;

    public Session Session { get; }

    public IBackend Backend => Session.Backend;
}

/// <summary>A failure while running the graph; the message names the node.</summary>
public class RunException(string message, Node? node = null, Exception? inner = null) : InvalidOperationException(message, inner)
{
    public Node? Node { get; } = node;
}
