using GraphDL.Tests.Gpu;
using NUnit.Framework;

namespace GraphDL.Tests.Train;

/// <summary>
/// Keras's clipnorm and clipvalue as optimizer properties: each gradient is clipped before the update. With
/// L = Σ c·W the gradient is c, so one gradient-descent step moves W by exactly -η · clip(c).
/// </summary>
public class OptimizerClippingTests
{
    private const double Rate = 0.1;
    private static readonly float[] Huge = [3000f, -4000f, 0.2f];

    private static (float[] Before, float[] After) OneStep(Action<Optimizer> configure, string device = "cpu")
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable(device);
        var g = new Graph();
        var w = g.Variable(Tensor.FromFlat([1f, 2f, -1f], new Shape(3)), "W");
        var loss = g.ReduceSum(g.Constant(Tensor.FromFlat(Huge, new Shape(3))) * w);
        var optimizer = new GradientDescentOptimizer(Rate);
        configure(optimizer);
        var train = optimizer.Minimize(loss);
        using var session = new Session(g, Devices.Get(device));
        session.Run(g.GlobalVariablesInitializer());
        var before = session.GetValue(w).ToArray<float>();
        session.Run(train);
        return (before, session.GetValue(w).ToArray<float>());
    }

    [TestCase("cpu"), TestCase("emulated")]
    public void ClipNormScalesAHugeGradientDownToTheNorm(string device)
    {
        const double clipNorm = 2.0;
        var (before, after) = OneStep(o => o.ClipNorm = clipNorm, device);
        double norm = Math.Sqrt(Huge.Sum(c => (double)c * c));
        for (int i = 0; i < Huge.Length; i++)
            Assert.That(after[i] - before[i], Is.EqualTo(-Rate * clipNorm * Huge[i] / norm).Within(1e-6), $"W[{i}]");
    }

    [TestCase("cpu"), TestCase("emulated")]
    public void ClipValueLimitsEachElementAndLeavesSmallOnesAlone(string device)
    {
        const double clipValue = 0.5;
        var (before, after) = OneStep(o => o.ClipValue = clipValue, device);
        for (int i = 0; i < Huge.Length; i++)
            Assert.That(after[i] - before[i], Is.EqualTo(-Rate * Math.Clamp(Huge[i], -clipValue, clipValue)).Within(1e-6), $"W[{i}]");
    }

    [Test]
    public void WithoutClippingTheStepIsTheWholeGradient()
    {
        var (before, after) = OneStep(_ => { });
        for (int i = 0; i < Huge.Length; i++)
            Assert.That(after[i] - before[i], Is.EqualTo(-Rate * Huge[i]).Within(1e-6 * Math.Abs(Rate * Huge[i]) + 1e-6), $"W[{i}]");
    }

    [Test]
    public void ClippingLimitsMustBePositive()
    {
        var optimizer = new GradientDescentOptimizer(Rate);
        Assert.That(() => optimizer.ClipNorm = 0, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("GradientDescent"));
        Assert.That(() => optimizer.ClipValue = -1, Throws.TypeOf<ArgumentOutOfRangeException>());
        optimizer.ClipNorm = null;
        Assert.That(optimizer.ClipNorm, Is.Null);
    }
}
