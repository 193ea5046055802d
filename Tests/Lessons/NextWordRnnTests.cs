using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

public class NextWordRnnTests
{
    [Test]
    public void BothModelsLearnTheThreeSentencesAndGenerateTheSlidesOnes()
    {
        var result = LessonHarness.RunAndExpectPass("NextWordRnn");
        Assert.That(result.Steps, Is.EqualTo(200));

        Assert.That(result.Figure("word index").Ours,
            Is.EqualTo("말이:1 경마장에:2 있는:3 뛰고:4 있다:5 그의:6 법이다:7 가는:8 고와야:9 오는:10 곱다:11"));
        Assert.That(result.Figure("vocabulary size").Ours, Is.EqualTo(12.0));
        Assert.That(result.Figure("training sequences").Ours, Is.EqualTo(11.0));
        Assert.That(result.Figure("y").Ours, Is.EqualTo("[3 1 4 5 1 7 1 9 10 1 11]"));

        foreach (string kind in new[] { "SimpleRNN", "LSTM" })
        {
            Assert.That(result.Figure($"{kind}: parameters").Ours, Is.EqualTo(kind == "SimpleRNN" ? 1_892.0 : 72_836.0), kind);
            Assert.That(result.Figure($"{kind}: final accuracy").Ours, Is.EqualTo(1.0), kind);
            Assert.That((double)result.Figure($"{kind}: final loss").Ours!, Is.LessThan(0.5), kind);
            Assert.That(result.Figure($"{kind}: sentence_generation('경마장에', 4)").Ours, Is.EqualTo("경마장에 있는 말이 뛰고 있다"), kind);
            Assert.That(result.Figure($"{kind}: sentence_generation('그의', 2)").Ours, Is.EqualTo("그의 말이 법이다"), kind);
        }
        FigureAssert.IsFigure(LessonHarness.OutFile("NextWordRnn", "training.png"));
    }
}
