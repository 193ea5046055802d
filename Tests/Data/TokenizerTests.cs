using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class TokenizerTests
{
    private static readonly string[] Texts = ["The cat sat on the mat.", "The dog ate my homework!"];

    [Test]
    public void WordsAreNumberedByFrequencyThenFirstAppearance()
    {
        var t = new Tokenizer();
        t.FitOnTexts(Texts);
        Assert.That(t.WordIndex.OrderBy(p => p.Value).Select(p => p.Key),
            Is.EqualTo(new[] { "the", "cat", "sat", "on", "mat", "dog", "ate", "my", "homework" }));
        Assert.That(t.WordCounts["the"], Is.EqualTo(3));
        // "fish" was never fitted on, so it is dropped.
        Assert.That(t.TextsToSequences(["The cat ate the fish"])[0], Is.EqualTo(new[] { 1, 2, 7, 1 }));
    }

    [Test]
    public void AnOovTokenTakesIndexOneAndStandsForUnknownWords()
    {
        var t = new Tokenizer(oovToken: "<OOV>");
        t.FitOnTexts(Texts);
        Assert.That(t.WordIndex["<OOV>"], Is.EqualTo(1));
        Assert.That(t.WordIndex["the"], Is.EqualTo(2));
        Assert.That(t.TextsToSequences(["the cat ate the fish"])[0], Is.EqualTo(new[] { 2, 3, 8, 2, 1 }));
    }

    [Test]
    public void NumWordsKeepsOnlyTheMostFrequentWords()
    {
        var t = new Tokenizer(numWords: 3);
        t.FitOnTexts(Texts);
        Assert.That(t.WordIndex, Has.Count.EqualTo(9));   // Keras keeps the whole index; only the sequences are cut
        Assert.That(t.TextsToSequences(["the cat sat on the mat"])[0], Is.EqualTo(new[] { 1, 2, 1 }));
    }

    [Test]
    public void FiltersCaseAndSeparatorAreKerasOptions()
    {
        var t = new Tokenizer(filters: "", lower: false, split: ',');
        t.FitOnTexts(["A b,A b,c!"]);
        Assert.That(t.WordIndex.OrderBy(p => p.Value).Select(p => p.Key), Is.EqualTo(new[] { "A b", "c!" }));
    }

    [Test]
    public void PadSequencesMatchesKerasDocExamples()
    {
        int[][] sequence = [[1], [2, 3], [4, 5, 6]];
        Assert.That(Sequences.PadSequences(sequence), Is.EqualTo(new[,] { { 0, 0, 1 }, { 0, 2, 3 }, { 4, 5, 6 } }));
        Assert.That(Sequences.PadSequences(sequence, value: -1), Is.EqualTo(new[,] { { -1, -1, 1 }, { -1, 2, 3 }, { 4, 5, 6 } }));
        Assert.That(Sequences.PadSequences(sequence, padding: "post"), Is.EqualTo(new[,] { { 1, 0, 0 }, { 2, 3, 0 }, { 4, 5, 6 } }));
        Assert.That(Sequences.PadSequences(sequence, maxLen: 2), Is.EqualTo(new[,] { { 0, 1 }, { 2, 3 }, { 5, 6 } }));
        Assert.That(Sequences.PadSequences(sequence, maxLen: 2, truncating: "post"), Is.EqualTo(new[,] { { 0, 1 }, { 2, 3 }, { 4, 5 } }));
        Assert.That(Sequences.PadSequences(sequence, maxLen: 4, padding: "post", value: 9), Is.EqualTo(new[,] { { 1, 9, 9, 9 }, { 2, 3, 9, 9 }, { 4, 5, 6, 9 } }));
    }

    [Test]
    public void AnUnknownPaddingOrTruncatingIsAnError()
    {
        var e = Assert.Throws<ArgumentException>(() => Sequences.PadSequences([[1]], padding: "mid"));
        Assert.That(e!.Message, Does.Contain("Padding type \"mid\" not understood"));
        Assert.Throws<ArgumentException>(() => Sequences.PadSequences([[1]], truncating: "both"));
    }
}
