namespace GraphDL.Data;

/// <summary>
/// Keras's <c>keras.preprocessing.text.Tokenizer</c>: texts are lower-cased, the <see cref="Filters"/>
/// characters become separators, the words are split on <see cref="Split"/>, and each word gets an index
/// from 1 by how often it occurs (ties in the order the words first appeared); 0 is left for padding.
/// </summary>
/// <param name="numWords">Keras's <c>num_words</c>: <see cref="TextsToSequences"/> keeps only words with an index below it; null keeps all.</param>
/// <param name="filters">Keras's <c>filters</c>: characters removed from the texts (the default is Keras's punctuation, tab and newline).</param>
/// <param name="lower">Keras's <c>lower</c>: whether texts are lower-cased first.</param>
/// <param name="split">Keras's <c>split</c>: the word separator.</param>
/// <param name="oovToken">Keras's <c>oov_token</c>: when given, it takes index 1 and stands for every word not in <see cref="WordIndex"/>; without it, such words are dropped.</param>
public sealed class Tokenizer(int? numWords = null, string filters = Tokenizer.KerasFilters, bool lower = true, char split = ' ', string? oovToken = null)
{
    /// <summary>Keras's default <c>filters</c>: <c>!"#$%&amp;()*+,-./:;&lt;=&gt;?@[\]^_`{|}~</c>, tab and newline.</summary>
    public const string KerasFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

    private readonly List<string> _firstSeen = [];
    private readonly Dictionary<string, int> _counts = [];

    /// <summary>Keras's <c>num_words</c>.</summary>
    public int? NumWords { get; } = numWords;

    /// <summary>Keras's <c>filters</c>.</summary>
    public string Filters { get; } = filters;

    /// <summary>Keras's <c>lower</c>.</summary>
    public bool Lower { get; } = lower;

    /// <summary>Keras's <c>split</c>.</summary>
    public char Split { get; } = split;

    /// <summary>Keras's <c>oov_token</c>.</summary>
    public string? OovToken { get; } = oovToken;

    /// <summary>Keras's <c>word_index</c>: each word's index, 1 for the most frequent (or the OOV token when there is one).</summary>
    public IReadOnlyDictionary<string, int> WordIndex { get; private set; } = new Dictionary<string, int>();

    /// <summary>Keras's <c>word_counts</c>: how often each word occurred in the texts fitted on.</summary>
    public IReadOnlyDictionary<string, int> WordCounts => _counts;

    /// <summary>Keras's <c>fit_on_texts(texts)</c>: counts the words; may be called again with more texts, which adds to the counts.</summary>
    public void FitOnTexts(IEnumerable<string> texts)
    {
        foreach (string word in texts.SelectMany(TextToWordSequence))
        {
            if (_counts.TryAdd(word, 1)) _firstSeen.Add(word);
            else _counts[word]++;
        }
        // OrderByDescending is a stable sort: words seen as often keep the order they first appeared in, as Keras's sorted() does.
        var ordered = _firstSeen.OrderByDescending(w => _counts[w]).ToList();
        if (OovToken is not null) ordered.Insert(0, OovToken);
        var index = new Dictionary<string, int>();
        for (int i = 0; i < ordered.Count; i++) index.TryAdd(ordered[i], i + 1);
        WordIndex = index;
    }

    /// <summary>Keras's <c>texts_to_sequences(texts)</c>: each text as its words' indices; unknown words (and words past <see cref="NumWords"/>) are dropped, or become the OOV token's index.</summary>
    public List<int[]> TextsToSequences(IEnumerable<string> texts)
    {
        int? oovIndex = OovToken is not null && WordIndex.TryGetValue(OovToken, out int o) ? o : null;
        bool Kept(int index) => NumWords is not int limit || index < limit;
        return [.. texts.Select(text => TextToWordSequence(text)
            .Select(word => WordIndex.TryGetValue(word, out int i) && Kept(i) ? i : oovIndex ?? 0)
            .Where(i => i != 0).ToArray())];
    }

    /// <summary>Keras's <c>text_to_word_sequence</c> with this tokenizer's filters, case and separator.</summary>
    public IEnumerable<string> TextToWordSequence(string text)
    {
        if (Lower) text = text.ToLowerInvariant();
        var cleaned = new string([.. text.Select(c => Filters.Contains(c) ? Split : c)]);
        return cleaned.Split(Split, StringSplitOptions.RemoveEmptyEntries);
    }
}
