using System.Text.Json.Serialization;

namespace GraphDL.Summaries;

/// <summary>
/// One line of a run's events.jsonl (the format is in the README, "Logs for the board"): a header first, then one
/// summary event per line, told apart by their "kind".
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(HeaderEvent), "header")]
[JsonDerivedType(typeof(ScalarEvent), "scalar")]
[JsonDerivedType(typeof(HistogramEvent), "histogram")]
[JsonDerivedType(typeof(ImageEvent), "image")]
[JsonDerivedType(typeof(TextEvent), "text")]
public abstract record LogEvent;

/// <summary>The first line of every events.jsonl: what the file is, and when it was started.</summary>
/// <param name="Format">Always <see cref="EventFormat"/>.</param>
/// <param name="Version">The format's version, 1.</param>
/// <param name="Created">When the file was started, in UTC.</param>
public sealed record HeaderEvent(string Format, int Version, DateTime Created) : LogEvent
{
    /// <summary>The name of the format in every header.</summary>
    public const string EventFormat = "graphdl-events";
}

/// <summary>A logged summary: its tag, the training step it belongs to and the wall time it was logged at.</summary>
public abstract record SummaryEvent : LogEvent
{
    /// <summary>The name the value is logged under; the board groups charts by the part before the first '/'.</summary>
    [JsonPropertyOrder(-3)] public required string Tag { get; init; }

    /// <summary>The training step (the x of a chart).</summary>
    [JsonPropertyOrder(-2)] public required long Step { get; init; }

    /// <summary>Seconds since 1970-01-01 UTC when the event was logged.</summary>
    [JsonPropertyOrder(-1)] public required double Wall { get; init; }
}

/// <summary>A scalar: one point of a chart.</summary>
public sealed record ScalarEvent : SummaryEvent
{
    /// <summary>The number; NaN and infinities are written as the strings "NaN", "Infinity", "-Infinity".</summary>
    public required double Value { get; init; }
}

/// <summary>A histogram (see <see cref="Summaries.Histogram"/> for the bins' convention).</summary>
public sealed record HistogramEvent : SummaryEvent
{
    /// <summary>The smallest finite value.</summary>
    public required double Min { get; init; }
    /// <summary>The largest finite value.</summary>
    public required double Max { get; init; }
    /// <summary>How many values were binned: the sum of <see cref="Counts"/>.</summary>
    public required long Count { get; init; }
    /// <summary>The sum of the binned values.</summary>
    public required double Sum { get; init; }
    /// <summary>The K + 1 ascending bin edges.</summary>
    public required double[] Edges { get; init; }
    /// <summary>The K bin counts.</summary>
    public required long[] Counts { get; init; }

    /// <summary>The histogram these figures describe.</summary>
    public Histogram ToHistogram() => new(Min, Max, Count, Sum, Edges, Counts);
}

/// <summary>An image, stored as a PNG file in the run folder.</summary>
public sealed record ImageEvent : SummaryEvent
{
    /// <summary>The PNG's path relative to the run folder, with '/' separators ("images/input/000012_0.png").</summary>
    public required string File { get; init; }
    /// <summary>Pixels per row.</summary>
    public required int Width { get; init; }
    /// <summary>Rows.</summary>
    public required int Height { get; init; }
    /// <summary>The summarised tensor's channels: 1 grey, 3 RGB, 4 RGBA.</summary>
    public required int Channels { get; init; }
}

/// <summary>Plain text.</summary>
public sealed record TextEvent : SummaryEvent
{
    /// <summary>The text, shown as is (no markdown).</summary>
    public required string Text { get; init; }
}
