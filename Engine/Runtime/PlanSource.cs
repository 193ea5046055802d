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

/// <summary>Where a plan step reads an input from, or where a fetch is read: a feed, an earlier step's output, or nowhere.</summary>
internal readonly record struct PlanSource
{
    private PlanSource(PlanSourceKind kind, int index, int output)
    {
        Kind = kind;
        Index = index;
        Output = output;
    }

    public PlanSourceKind Kind { get; }

    /// <summary>The feed's position among the plan's feed keys, or the step's position in the plan.</summary>
    public int Index { get; }

    /// <summary>Which output of the step (0 for a feed).</summary>
    public int Output { get; }

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
