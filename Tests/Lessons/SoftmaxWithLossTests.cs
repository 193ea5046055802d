using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

public class SoftmaxWithLossTests
{
    [Test]
    public void EveryGradientEqualsYMinusTAndOnlyTheFusedNodeSurvivesLargeLogits()
    {
        var result = LessonHarness.RunAndExpectPass("SoftmaxWithLoss");

        // softmax([0.3, 2.9, 4.0]) with the answer in class 3, worked out here: y - t, as numpy prints it.
        double[] a = [0.3, 2.9, 4.0];
        double sum = a.Sum(Math.Exp);
        Assert.That(Math.Exp(0.3) / sum, Is.EqualTo(0.01821127).Within(5e-9));
        const string yMinusT = "[ 0.01821127  0.24519181 -0.26340309]";
        Assert.That(result.Figure("dL/da of the fused node = y - t").Ours, Is.EqualTo(yMinusT));
        Assert.That(result.Figure("dL/da of the composed graph = y - t").Ours, Is.EqualTo(yMinusT));
        Assert.That(result.Figure("numerical dL/da = y - t").Ours, Is.EqualTo(yMinusT));
        Assert.That((double)result.Figure("L = -log y_target (fused node)").Ours!, Is.EqualTo(-Math.Log(Math.Exp(4.0) / sum)).Within(1e-12));

        Assert.That(result.Figure("naive softmax exp(a) / sum exp(a) of [1000, 0, -1000]").Ours, Is.EqualTo("[nan  0.  0.]"));
        Assert.That(result.Figure("composed loss at [1000, 0, -1000]").Ours, Is.EqualTo("nan"));
        Assert.That((double)result.Figure("fused loss at [1000, 0, -1000]").Ours!, Is.EqualTo(2000.0).Within(1e-9));
        Assert.That(result.Figure("fused dL/da at [1000, 0, -1000] = y - t").Ours, Is.EqualTo("[ 1.  0. -1.]"));
    }
}
