namespace GraphDL.Summaries;

/// <summary>A run's profile.json: where each node ran and how long it took, from a <see cref="RunProfile"/>.</summary>
/// <param name="Format">Always <see cref="ProfileFormat"/>.</param>
/// <param name="Version">The format's version, 1.</param>
/// <param name="Step">The training step the profile was written at.</param>
/// <param name="Nodes">The figures of every node that ran, by node name.</param>
public sealed record ProfileFile(string Format, int Version, long Step, Dictionary<string, ProfileFileNode> Nodes)
{
    /// <summary>The name of the format in every profile.json.</summary>
    public const string ProfileFormat = "graphdl-profile";

    /// <summary>The file's record of <paramref name="profile"/> at <paramref name="step"/>.</summary>
    public static ProfileFile Of(RunProfile profile, long step) => new(ProfileFormat, 1, step,
        profile.Entries.ToDictionary(e => e.Node.Name, e => new ProfileFileNode(
            e.RanOnDevice ? "gpu" : "cpu", e.Calls, e.Time.TotalMilliseconds, e.AllocatedBytes, e.LastShape?.ToArray(), e.Device),
            StringComparer.Ordinal));
}

/// <summary>One node's figures in profile.json.</summary>
/// <param name="Device">"gpu" when the node last ran on a device, "cpu" when on the host (a GPU session's node with no kernel runs there).</param>
/// <param name="Calls">How many times the node ran.</param>
/// <param name="Ms">Its wall milliseconds summed over the calls.</param>
/// <param name="Bytes">The bytes it allocated on the managed heap, summed over the calls.</param>
/// <param name="Shape">The shape of its first output in the last run; null for a node with no outputs (the format lets a writer leave it out).</param>
/// <param name="Backend">The backend's own name ("CPU", "CUDA (NVIDIA H100 ...)"); a field GraphDL adds to the format, so null in a file without it.</param>
public sealed record ProfileFileNode(string Device, long Calls, double Ms, long Bytes, int[]? Shape = null, string? Backend = null);
