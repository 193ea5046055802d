namespace GraphDL.Plots;

/// <summary>
/// Text a figure shows (a title, an axis label, a legend entry, an image caption), with an optional fallback
/// for machines that have no font able to draw it. The lessons' slides are Korean: a title such as
/// <c>new Caption("학습 곡선", "Learning curves")</c> renders in Hangul where a font with Hangul is installed or
/// cached (<see cref="PlotFonts"/>) and in English elsewhere, never as empty boxes. A plain string converts to
/// a caption without a fallback.
/// </summary>
public readonly record struct Caption
{
    /// <summary>A caption showing <paramref name="text"/>, or <paramref name="fallback"/> where no font can draw the text.</summary>
    public Caption(string text, string? fallback = null)
    {
        Text = text;
        Fallback = fallback;
    }

    /// <summary>What the figure should show; never null (a default caption is empty).</summary>
    public string Text { get => field ?? ""; init; }

    /// <summary>What to show instead when no font on this machine has every glyph of <see cref="Text"/>; null shows the text regardless.</summary>
    public string? Fallback { get; init; }

    /// <summary>True when there is nothing to show.</summary>
    public bool IsEmpty => Text.Length == 0;

    /// <summary>A caption without a fallback, so that plain strings keep working wherever a caption is taken.</summary>
    public static implicit operator Caption(string? text) => new(text ?? "");

    /// <summary>The text itself (the fallback is chosen only when the figure is drawn).</summary>
    public override string ToString() => Text;
}
