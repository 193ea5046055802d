using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GraphDL;

/// <summary>
/// Where a session's runs spend their time and memory, node by node: set <c>session.Profile = new RunProfile()</c>,
/// run some steps, print <c>profile.Report()</c>. Each node's wall time and the bytes it allocated on the managed
/// heap are summed over all runs; with no profile set the executor measures nothing.
/// </summary>
public sealed class RunProfile
{
    private readonly Dictionary<Node, Entry> _entries = [];

    /// <summary>One node's totals.</summary>
    public sealed class Entry(Node node)
    {
        /// <summary>The node these totals belong to.</summary>
        public Node Node { get; } = node;
        /// <summary>How many times the node ran.</summary>
        public long Calls { get; internal set; }
        /// <summary>The node's wall time summed over its runs.</summary>
        public TimeSpan Time { get; internal set; }
        /// <summary>Bytes the node allocated on the managed heap, summed over its runs (0 in a steady training step).</summary>
        public long AllocatedBytes { get; internal set; }
        /// <summary>The name of the backend the node last ran on ("CPU", "CUDA (...)"): a node a GPU has no kernel for runs on its host.</summary>
        public string Device { get; internal set; } = "";
        /// <summary>True when the node last ran on a backend that keeps tensors in device memory (a GPU).</summary>
        public bool RanOnDevice { get; internal set; }
        /// <summary>The shape of the node's first output in its last run; null for a node with no outputs.</summary>
        public Shape? LastShape { get; internal set; }
    }

    /// <summary>One entry per node that has run since the profile was set, in no particular order.</summary>
    public IReadOnlyCollection<Entry> Entries => _entries.Values;

    internal long Start() => Stopwatch.GetTimestamp();

    internal long StartAllocations() => GC.GetAllocatedBytesForCurrentThread();

    internal void Stop(Node node, long startTicks, long startBytes, IBackend ranOn, Tensor[] outputs)
    {
        long bytes = GC.GetAllocatedBytesForCurrentThread() - startBytes;
        var elapsed = Stopwatch.GetElapsedTime(startTicks);
        if (!_entries.TryGetValue(node, out var entry)) _entries[node] = entry = new Entry(node);
        entry.Calls++;
        entry.Time += elapsed;
        entry.AllocatedBytes += bytes;
        entry.Device = ranOn.Name;
        entry.RanOnDevice = ranOn.UsesDeviceMemory;
        entry.LastShape = outputs.Length > 0 ? outputs[0]?.Shape : null;
    }

    /// <summary>A table of the <paramref name="top"/> nodes that took the longest, with their calls, time and bytes.</summary>
    public string Report(int top = 20)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"node",-48} {"op",-28} {"calls",8} {"us/call",10} {"bytes/call",11}");
        foreach (var e in _entries.Values.OrderByDescending(e => e.Time).Take(top))
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{e.Node.Name,-48} {e.Node.Op.TypeName,-28} {e.Calls,8} {e.Time.TotalMicroseconds / e.Calls,10:F2} {e.AllocatedBytes / e.Calls,11}");
        return text.ToString();
    }
}
