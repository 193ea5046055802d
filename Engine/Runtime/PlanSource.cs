namespace GraphDL;

/// <summary>What a <see cref="PlanSource"/> names.</summary>
internal enum PlanSourceKind
{
    /// <summary>An input the op names but does not read (see <see cref="Op.ReadsInput"/>).</summary>
    Unread,

    /// <summary>A value the caller fed for this run.</summary>
    Feed,

    /// <summary>An output of an earlier step of the plan.</summary>
    StepOutput,
}

/// <summary>
/// Where a plan step reads an input from, or where a fetch is read: a feed, an earlier step's output, or nowhere.
/// <see cref="Index"/> is the feed's position among the plan's feed keys or the step's position in the plan;
/// <see cref="Output"/> is which output of that step (0 for a feed).
/// </summary>
internal readonly record struct PlanSource(PlanSourceKind Kind, int Index, int Output)
{
    public static PlanSource Unread => default;

    public static PlanSource Feed(int feed) => new(PlanSourceKind.Feed, feed, 0);

    public static PlanSource StepOutput(int step, int output) => new(PlanSourceKind.StepOutput, step, output);

    public bool IsRead => Kind != PlanSourceKind.Unread;

    public bool IsStepOutput => Kind == PlanSourceKind.StepOutput;

    public override string ToString() => Kind switch
    {
        PlanSourceKind.Feed => $"feed {Index}",
        PlanSourceKind.StepOutput => $"step {Index} output {Output}",
        _ => "unread",
    };
}
