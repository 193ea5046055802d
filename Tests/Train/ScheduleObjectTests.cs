using GraphDL.Keras;
using GraphDL.Tests.Gpu;
using NUnit.Framework;

namespace GraphDL.Tests.Train;

/// <summary>
/// Keras's schedule objects given to an optimizer as its learning rate. With L = Σ W the gradient is 1, so gradient
/// descent's step k (from 0) lowers W by exactly the rate at k, which each case computes from the schedule's formula.
/// Each runs on the CPU and on the emulated device, where the rate is computed and the Int32 counter advanced.
/// </summary>
public class ScheduleObjectTests
{
    private const int Steps = 12;

    private static readonly (string Name, Func<LearningRateSchedule> Schedule, Func<int, double> Formula)[] Schedules =
    [
        ("ExponentialDecay", () => new ExponentialDecay(0.1, decaySteps: 3, decayRate: 0.5), k => 0.1 * Math.Pow(0.5, k / 3.0)),
        ("ExponentialDecay staircase", () => new ExponentialDecay(0.1, 3, 0.5, staircase: true), k => 0.1 * Math.Pow(0.5, k / 3)),
        ("PiecewiseConstantDecay", () => new PiecewiseConstantDecay([2, 5], [0.1, 0.05, 0.01]), k => k <= 2 ? 0.1 : k <= 5 ? 0.05 : 0.01),
        ("PolynomialDecay", () => new PolynomialDecay(0.1, decaySteps: 8, endLearningRate: 0.01, power: 2),
            k => 0.09 * Math.Pow(1 - Math.Min(k, 8) / 8.0, 2) + 0.01),
        ("InverseTimeDecay", () => new InverseTimeDecay(0.1, decaySteps: 4, decayRate: 0.5), k => 0.1 / (1 + 0.5 * k / 4.0)),
        ("CosineDecay", () => new CosineDecay(0.1, decaySteps: 8, alpha: 0.1),
            k => 0.1 * (0.9 * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(k, 8) / 8)) + 0.1)),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from device in new[] { "cpu", "emulated" }
        from s in Schedules
        select new TestCaseData(device, s.Schedule, s.Formula).SetArgDisplayNames(device, s.Name);

    private static (Graph G, Output W, Node Train) Problem(LearningRateSchedule schedule, Output? globalStep = null, Graph? graph = null)
    {
        var g = graph ?? new Graph();
        var w = g.Variable(Tensor.FromFlat([0f], new Shape(1)), "W");
        return (g, w, new GradientDescentOptimizer(schedule).Minimize(g.ReduceSum(w), globalStep: globalStep));
    }

    [TestCaseSource(nameof(Cases))]
    public void EachStepMovesByTheScheduledRate(string device, Func<LearningRateSchedule> schedule, Func<int, double> formula)
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable(device);
        var (g, w, train) = Problem(schedule());
        var iterations = g.GlobalVariables.Single(v => v.Node.Name == "GradientDescent/iterations");
        using var session = new Session(g, Devices.Get(device));
        session.Run(g.GlobalVariablesInitializer());
        for (int k = 0; k < Steps; k++)
        {
            Assert.That(session.GetValue(iterations).GetDouble(0), Is.EqualTo(k), "the optimizer counts its steps");
            double before = session.GetValue(w).GetDouble(0);
            session.Run(train);
            Assert.That(before - session.GetValue(w).GetDouble(0), Is.EqualTo(formula(k)).Within(1e-6), $"step {k}");
        }
    }

    [Test]
    public void AGivenGlobalStepDrivesTheScheduleAndNoCounterIsAdded()
    {
        var g = new Graph();
        var step = g.Variable(Tensor.Scalar(6), "global_step", trainable: false);
        var (_, w, train) = Problem(new InverseTimeDecay(0.1, decaySteps: 4, decayRate: 0.5), step, g);
        Assert.That(g.GlobalVariables.Select(v => v.Node.Name), Has.None.Contains("iterations"));
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        for (int k = 6; k < 9; k++)
        {
            double before = session.GetValue(w).GetDouble(0);
            session.Run(train);
            Assert.That(before - session.GetValue(w).GetDouble(0), Is.EqualTo(0.1 / (1 + 0.5 * k / 4.0)).Within(1e-6), $"global step {k}");
        }
        Assert.That(session.GetValue(step).GetDouble(0), Is.EqualTo(9));
    }

    [Test]
    public void OneScheduleObjectServesTwoGraphsAndTheOptimizerKeepsNoTensor()
    {
        var schedule = new ExponentialDecay(0.1, 3, 0.5);
        var optimizer = new GradientDescentOptimizer(schedule);
        foreach (var _ in new[] { 1, 2 })
        {
            var g = new Graph();
            var w = g.Variable(Tensor.FromFlat([0f], new Shape(1)), "W");
            var train = optimizer.Minimize(g.ReduceSum(w));
            using var session = new Session(g);
            session.Run(g.GlobalVariablesInitializer());
            session.Run(train);
            Assert.That(session.GetValue(w).GetDouble(0), Is.EqualTo(-0.1).Within(1e-7));
        }
        Assert.That(optimizer.LearningRate.Schedule, Is.SameAs(schedule));
        Assert.That(optimizer.LearningRate.Tensor, Is.Null);
    }

    [Test]
    public void PiecewiseConstantDecayChecksItsArgumentsAtOnce()
    {
        Assert.That(() => new PiecewiseConstantDecay([1, 2], [0.1, 0.2]), Throws.ArgumentException.With.Message.Contains("one more value"));
        Assert.That(() => new PiecewiseConstantDecay([2, 1], [0.1, 0.2, 0.3]), Throws.ArgumentException.With.Message.Contains("increase"));
    }
}
