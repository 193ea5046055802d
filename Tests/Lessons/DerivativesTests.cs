using GraphDL.Tests.Plots;
using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

public class DerivativesTests
{
    [Test]
    public void NumericalAndSymbolicDerivativesAgreeWithTheSlidesClosedForms()
    {
        var result = LessonHarness.RunAndExpectPass("Derivatives");

        string[] derivatives =
        [
            "d/dx x", "d/dx 2x", "d/dx 3", "d/dx xy", "d/dy xy", "d/dx (x + y)", "d/dy (x + y)",
            "d/dx (sin x - 1)^5", "d/dx (x^7 - 6x^3 + 1)^8", "d/dx sin^3(x^2 - 1)",
        ];
        foreach (string d in derivatives)
        {
            var numerical = result.Figure($"{d}: derivative(f, z) worst relative error");
            var symbolic = result.Figure($"{d}: g.Gradients worst relative error");
            Assert.That(numerical.Passed, Is.True, d);
            Assert.That((double)numerical.Ours!, Is.LessThanOrEqualTo(1e-7), d);
            Assert.That((double)symbolic.Ours!, Is.LessThanOrEqualTo(1e-12), d);
        }
        Assert.That(result.Figure("d/dx (sin x - 1)^5: g.Gradients worst relative error").Slide, Is.EqualTo("5 cos x (sin x - 1)^4"));

        // A central difference in float64 is not exact: were it below 1e-13 everywhere, the comparison would
        // not be reading the numerical derivative at all.
        Assert.That((double)result.Figure("d/dx sin^3(x^2 - 1): derivative(f, z) worst relative error").Ours!, Is.GreaterThan(1e-13));

        Assert.That(result.Figure("sigmoid' = sigmoid (1 - sigmoid), worst gap on [-5, 5]").Passed, Is.True);
        Assert.That(result.Figure("softmax([2, 1, 0.1]) sums to").Passed, Is.True);

        foreach (string file in new[] { "activations.png", "softmax.png" })
        {
            var png = FigureAssert.IsFigure(LessonHarness.OutFile("Derivatives", file));
            Assert.That(png.Pixels(0, 0, png.Width, png.Height).Count(p => DecodedImage.Distance(p.C, GraphDL.Plots.Palette.Get(0)) <= 8), Is.GreaterThan(500),
                $"{file}: the first series' colour (curves, bars) is drawn");
        }
    }
}
