namespace GraphDL.Data;

/// <summary>Keras's <c>keras.preprocessing.sequence</c>: making integer sequences one length.</summary>
public static class Sequences
{
    /// <summary>
    /// Keras's <c>pad_sequences(sequences, maxlen=maxLen, padding=..., truncating=..., value=...)</c>: a
    /// (sequences, maxLen) matrix. A shorter sequence is filled with <paramref name="value"/> in front
    /// (<c>"pre"</c>) or behind (<c>"post"</c>); a longer one loses its start (<c>"pre"</c>) or its end
    /// (<c>"post"</c>). With no <paramref name="maxLen"/>, the longest sequence's length.
    /// </summary>
    public static int[,] PadSequences(IReadOnlyList<int[]> sequences, int? maxLen = null, string padding = "pre", string truncating = "pre", int value = 0)
    {
        if (padding is not ("pre" or "post")) throw new ArgumentException($"Padding type \"{padding}\" not understood: it is \"pre\" or \"post\".", nameof(padding));
        if (truncating is not ("pre" or "post")) throw new ArgumentException($"Truncating type \"{truncating}\" not understood: it is \"pre\" or \"post\".", nameof(truncating));
        int length = maxLen ?? (sequences.Count == 0 ? 0 : sequences.Max(s => s.Length));
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(maxLen), maxLen, "maxlen cannot be negative.");
        var padded = new int[sequences.Count, length];
        for (int i = 0; i < sequences.Count; i++)
        {
            int[] s = sequences[i];
            int[] kept = s.Length <= length ? s : truncating == "pre" ? s[^length..] : s[..length];
            int start = padding == "pre" ? length - kept.Length : 0;
            for (int j = 0; j < length; j++) padded[i, j] = value;
            for (int j = 0; j < kept.Length; j++) padded[i, start + j] = kept[j];
        }
        return padded;
    }
}
