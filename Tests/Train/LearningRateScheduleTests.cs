using GraphDL.Tests.Gpu;
using NUnit.Framework;

namespace GraphDL.Tests.Train;

/// <summary>
/// Each of TF1's decay schedules drives a GradientDescentOptimizer for 100 steps, its global step advanced by the
/// optimizer itself; the rate fetched at every step and the variable's path are compared with the schedule's
/// formula written out in plain C#, and the emulated device computes the same rates. The decay periods are shorter
/// than 100 steps, so the ends of the schedules (a cosine held at its floor, a polynomial that stops or cycles,
/// staircase drops) are reached.
/// </summary>
public class LearningRateScheduleTests
{
    private const int Steps = 100;
    private const float Start = 2.0f, Target = -1.0f;

    /// <summary>
    /// Runs 100 steps of gradient descent on L = ½(w - t)², whose gradient is w - t, with the rate that
    /// <paramref name="schedule"/> builds from the Int32 global step; checks the rates and w against <paramref name="formula"/>.
    /// </summary>
    private static void AssertFollows(Func<Graph, Output, Output> schedule, Func<int, double> formula)
    {
        var g = new Graph();
        var w = g.Variable(Tensor.Scalar(Start), "w");
        var loss = 0.5f * g.Square(w - Target);
        var globalStep = g.Variable(Tensor.Scalar(0), "global_step", trainable: false);
        var learningRate = schedule(g, globalStep);
        Assert.That(learningRate.Shape, Is.EqualTo(Shape.Scalar), "a schedule is a scalar");
        var train = new GradientDescentOptimizer(learningRate).Minimize(loss, globalStep: globalStep);
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        // Float32 as the update computes it, so the variable's path can be followed step by step.
        float expectedW = Start;
        for (int step = 0; step < Steps; step++)
        {
            // The rate is read before the step's increment, which waits for the update that reads it.
            var r = s.Run([train, learningRate]);
            float rate = (float)r[1];
            Assert.That(rate, Is.EqualTo(formula(step)).Within(1e-6), $"rate at step {step}");
            // The update must use the rate of its own step: the one just fetched, not the next step's.
            expectedW -= rate * (expectedW - Target);
            Assert.That(s.GetValue(w).Scalar<float>(), Is.EqualTo(expectedW).Within(1e-6), $"w after step {step}");
        }
        Assert.That(s.GetValue(globalStep).Scalar<int>(), Is.EqualTo(Steps));
    }

    private static readonly (string Name, Func<Graph, Output, Output> Schedule, Func<int, double> Formula)[] Schedules =
    [
        ("ExponentialDecay", (g, step) => g.ExponentialDecay(0.1, step, decaySteps: 30, decayRate: 0.5),
            t => 0.1 * Math.Pow(0.5, t / 30.0)),
        ("ExponentialDecay staircase", (g, step) => g.ExponentialDecay(0.1, step, decaySteps: 30, decayRate: 0.5, staircase: true),
            t => 0.1 * Math.Pow(0.5, Math.Floor(t / 30.0))),
        ("InverseTimeDecay", (g, step) => g.InverseTimeDecay(0.1, step, decaySteps: 30, decayRate: 0.5),
            t => 0.1 / (1 + 0.5 * (t / 30.0))),
        ("InverseTimeDecay staircase", (g, step) => g.InverseTimeDecay(0.1, step, decaySteps: 30, decayRate: 0.5, staircase: true),
            t => 0.1 / (1 + 0.5 * Math.Floor(t / 30.0))),
        ("CosineDecay", (g, step) => g.CosineDecay(0.1, step, decaySteps: 60),
            t => 0.1 * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(t, 60) / 60.0))),
        ("CosineDecay alpha", (g, step) => g.CosineDecay(0.1, step, decaySteps: 60, alpha: 0.2),
            t => 0.1 * ((1 - 0.2) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(t, 60) / 60.0)) + 0.2)),
        ("PolynomialDecay linear", (g, step) => g.PolynomialDecay(0.1, step, decaySteps: 40, endLearningRate: 0.01),
            t => (0.1 - 0.01) * (1 - Math.Min(t, 40) / 40.0) + 0.01),
        ("PolynomialDecay square", (g, step) => g.PolynomialDecay(0.1, step, decaySteps: 40, endLearningRate: 0.01, power: 2),
            t => (0.1 - 0.01) * Math.Pow(1 - Math.Min(t, 40) / 40.0, 2) + 0.01),
        // With cycle the period is the first multiple of 40 not below the step, 40 itself at step 0.
        ("PolynomialDecay cycle", (g, step) => g.PolynomialDecay(0.1, step, decaySteps: 40, endLearningRate: 0.01, power: 0.5, cycle: true),
            t => (0.1 - 0.01) * Math.Pow(1 - t / (40 * (t == 0 ? 1 : Math.Ceiling(t / 40.0))), 0.5) + 0.01),
        // x ≤ 10 gives the first value, 10 < x ≤ 40 the second, and so on: a boundary belongs to the interval below it.
        ("PiecewiseConstant", (g, step) => g.PiecewiseConstant(step, [10, 40, 70], [0.4, 0.2, 0.1, 0.05]),
            t => t <= 10 ? 0.4 : t <= 40 ? 0.2 : t <= 70 ? 0.1 : 0.05),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        Enumerable.Range(0, Schedules.Length).Select(i => new TestCaseData(i).SetArgDisplayNames(Schedules[i].Name));

    [TestCaseSource(nameof(Cases))]
    public void FollowsTheFormulaFor100Steps(int schedule) => AssertFollows(Schedules[schedule].Schedule, Schedules[schedule].Formula);

    /// <summary>
    /// The same schedules on the emulated device, at the steps around each period's end and each boundary. The step is
    /// a fed Float32 scalar, so the steps can be visited out of order: each emulated run costs tens of milliseconds, so
    /// it visits these steps rather than all 100. (An Int32 step advanced by the optimizer on the device is checked in
    /// DevicePlacementTests.)
    /// </summary>
    [TestCaseSource(nameof(Cases))]
    public void MatchesTheFormulaOnTheEmulatedDevice(int schedule)
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable("emulated");
        var g = new Graph();
        var step = g.Placeholder(DType.Float32, Shape.Scalar, "global_step");
        var learningRate = Schedules[schedule].Schedule(g, step);
        using var s = new Session(g, Devices.Get("emulated"));
        foreach (int t in new[] { 0, 1, 10, 11, 29, 30, 31, 40, 41, 59, 60, 61, 70, 71, 80, 99 })
            Assert.That(s.Run(learningRate, new FeedDict { [step] = (float)t }).Scalar<float>(),
                Is.EqualTo(Schedules[schedule].Formula(t)).Within(1e-6), $"rate at step {t}");
    }

    /// <summary>A float step fed by hand works too, and the boundary itself takes the lower interval's value.</summary>
    [Test]
    public void PiecewiseConstantOfAFedFloat()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, Shape.Scalar, "x");
        var value = g.PiecewiseConstant(x, [1.5, 2.5], [3.0, 2.0, 1.0]);
        using var s = new Session(g);
        float At(float v) => s.Run(value, new FeedDict { [x] = v }).Scalar<float>();
        Assert.That(new[] { At(-7f), At(1.5f), At(1.6f), At(2.5f), At(2.51f), At(100f) },
            Is.EqualTo(new[] { 3f, 3f, 2f, 2f, 1f, 1f }));
    }

    /// <summary>
    /// A rate that is a tensor: a fed placeholder moves the whole schedule, a Float64 rate gives a Float64 schedule,
    /// and a schedule can be the rate of another (a cosine over an exponential decay is the product of the two).
    /// </summary>
    [Test]
    public void ARateThatIsATensorScalesTheSchedule()
    {
        var g = new Graph();
        var step = g.Placeholder(DType.Int32, Shape.Scalar, "global_step");
        var baseRate = g.Placeholder(DType.Float32, Shape.Scalar, "base_rate");
        var decayed = g.ExponentialDecay(baseRate, step, decaySteps: 30, decayRate: 0.5);
        var inFloat64 = g.InverseTimeDecay(g.Constant(Tensor.Scalar(0.1)), step, decaySteps: 30, decayRate: 0.5);
        var nested = g.CosineDecay(g.ExponentialDecay(0.1, step, decaySteps: 30, decayRate: 0.5), step, decaySteps: 60);
        var linear = g.PolynomialDecay(baseRate, step, decaySteps: 60, endLearningRate: 0.01);
        Assert.That(inFloat64.DType, Is.EqualTo(DType.Float64));
        using var s = new Session(g);
        foreach (var (t, rate) in new[] { (0, 0.1f), (45, 0.1f), (45, 0.4f), (90, 0.4f) })
        {
            var r = s.Run([decayed, inFloat64, nested, linear], new FeedDict { [step] = t, [baseRate] = rate });
            Assert.That((float)r[0], Is.EqualTo(rate * Math.Pow(0.5, t / 30.0)).Within(1e-6), $"exponential at step {t}, rate {rate}");
            Assert.That((double)r[1], Is.EqualTo(0.1 / (1 + 0.5 * (t / 30.0))).Within(1e-15), $"Float64 inverse time at step {t}");
            double cosine = 0.5 * (1 + Math.Cos(Math.PI * Math.Min(t, 60) / 60.0));
            Assert.That((float)r[2], Is.EqualTo(0.1 * Math.Pow(0.5, t / 30.0) * cosine).Within(1e-6), $"nested at step {t}");
            Assert.That((float)r[3], Is.EqualTo((rate - 0.01) * (1 - Math.Min(t, 60) / 60.0) + 0.01).Within(1e-6), $"polynomial at step {t}");
        }
    }

    [Test]
    public void ARateTensorThatIsNotAFloatScalarIsRefusedBeforeAnyNodeIsAdded()
    {
        var g = new Graph();
        var step = g.Variable(Tensor.Scalar(0), "global_step", trainable: false);
        var rates = g.Constant(new[] { 0.1f, 0.2f });
        var integer = g.Constant(Tensor.Scalar(1));
        int count = g.Nodes.Count;
        Assert.That(() => g.ExponentialDecay(rates, step, 10, 0.5), Throws.InstanceOf<ShapeException>().With.Message.Contains("learning rate"));
        Assert.That(() => g.CosineDecay(integer, step, 10), Throws.ArgumentException.With.Message.Contains("float scalar"));
        Assert.That(() => g.PolynomialDecay(0.1, rates, 10), Throws.InstanceOf<ShapeException>().With.Message.Contains("global step"));
        Assert.That(g.Nodes.Count, Is.EqualTo(count), "the number overload's constant is taken back too");
    }

    [Test]
    public void MistakesAreCaughtBeforeAnyNodeIsAdded()
    {
        var g = new Graph();
        var step = g.Variable(Tensor.Scalar(0), "global_step", trainable: false);
        int count = g.Nodes.Count;
        Assert.Throws<ArgumentOutOfRangeException>(() => g.ExponentialDecay(0.1, step, decaySteps: 0, decayRate: 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.CosineDecay(0.1, step, decaySteps: -5));
        Assert.Throws<ShapeException>(() => g.PolynomialDecay(0.1, g.Constant(new[] { 1, 2 }), decaySteps: 10));
        var values = Assert.Throws<ArgumentException>(() => g.PiecewiseConstant(step, [10, 20], [1.0, 0.5]))!;
        Assert.That(values.Message, Does.Contain("one more value than boundaries"));
        Assert.Throws<ArgumentException>(() => g.PiecewiseConstant(step, [20, 10], [1.0, 0.5, 0.1]));
        Assert.That(g.Nodes.Count, Is.EqualTo(count + 1), "only the Const built for the test's bad step");
    }
}
