using GraphDL.Tests.Gpu;
using NUnit.Framework;

namespace GraphDL.Tests.Train;

/// <summary>
/// Optimizer hyperparameters are tensors of the graph, read where the update runs: a learning rate held in a
/// variable and changed with Assign between two steps must drive the second step, on the CPU and on the device.
/// </summary>
public class HyperparameterTests
{
    private static readonly float[] Start = [1.0f, -2.0f, 0.5f];
    private static readonly float[] Target = [0.3f, 0.7f, -1.1f];

    /// <summary>L = ½ Σ (W - t)², so the gradient is W - t; the optimizer gets a learning-rate variable that starts at 0.1.</summary>
    private static (Graph G, Output W, Output LearningRate, Node Train) Problem(Func<Output, Optimizer> optimizer)
    {
        var g = new Graph();
        var w = g.Variable(Tensor.FromFlat((float[])Start.Clone(), new Shape(3)), "W");
        var loss = 0.5f * g.ReduceSum(g.Square(w - g.Constant(Tensor.FromFlat(Target, new Shape(3)))));
        var learningRate = g.Variable(Tensor.Scalar(0.1f), "lr", trainable: false);
        return (g, w, learningRate, optimizer(learningRate).Minimize(loss));
    }

    private static readonly Func<Output, Optimizer>[] Optimizers =
    [
        lr => new GradientDescentOptimizer(lr),
        lr => new MomentumOptimizer(lr, 0.9),
        lr => new MomentumOptimizer(lr, 0.9, useNesterov: true),
        lr => new AdagradOptimizer(lr),
        lr => new RmsPropOptimizer(lr),
        lr => new RmsPropOptimizer(lr, centered: true),
        lr => new AdamOptimizer(lr),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from device in new[] { "cpu", "emulated" }
        from index in Enumerable.Range(0, Optimizers.Length)
        select new TestCaseData(device, index).SetArgDisplayNames(device, index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [TestCaseSource(nameof(Cases))]
    public void ALearningRateAssignedBetweenStepsDrivesTheNextStep(string device, int optimizer)
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable(device);
        var (g, w, learningRate, train) = Problem(Optimizers[optimizer]);
        var stop = g.Assign(learningRate, g.Constant(Tensor.Scalar(0f)), "stop").Node;
        using var session = new Session(g, Devices.Get(device));
        session.Run(g.GlobalVariablesInitializer());

        session.Run(train);
        var afterFirst = session.GetValue(w).ToArray<float>();
        Assert.That(afterFirst, Is.Not.EqualTo(Start), "the first step, at 0.1, moves W");

        // With the rate at zero every rule here leaves W where it is: Momentum scales its velocity by the rate, and
        // RMSProp runs without momentum (with it, the previous step's move would carry on). An update that had
        // kept 0.1 from the first step would move W again.
        session.Run(stop);
        session.Run(train);
        Assert.That(session.GetValue(w).ToArray<float>(), Is.EqualTo(afterFirst));
    }

    [TestCase("cpu")]
    [TestCase("emulated")]
    public void GradientDescentUsesEachStepsRate(string device)
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable(device);
        var (g, w, learningRate, train) = Problem(lr => new GradientDescentOptimizer(lr));
        var newRate = g.Placeholder(DType.Float32, Shape.Scalar, "new_rate");
        var setRate = g.Assign(learningRate, newRate).Node;
        using var session = new Session(g, Devices.Get(device));
        session.Run(g.GlobalVariablesInitializer());

        var expected = Start.Select(v => (double)v).ToArray();
        foreach (float rate in new[] { 0.1f, 0.5f, 0.25f })
        {
            session.Run(setRate, new FeedDict { [newRate] = rate });
            session.Run(train);
            for (int i = 0; i < expected.Length; i++) expected[i] -= rate * (expected[i] - Target[i]);
            Assert.That(session.GetValue(w).ToDoubles(), Is.EqualTo(expected).Within(1e-6), $"after the step at {rate}");
        }
    }

    [Test]
    public void AFedLearningRateOfAnotherDTypeIsCast()
    {
        var g = new Graph();
        var w = g.Variable(Tensor.FromFlat(new[] { 1f }, new Shape(1)), "W");
        var rate = g.Placeholder(DType.Float64, Shape.Scalar, "rate");
        var train = new GradientDescentOptimizer(rate).Minimize(g.ReduceSum(g.Square(w)));
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        session.Run(train, new FeedDict { [rate] = 0.25 });
        Assert.That(session.GetValue(w).ToArray<float>(), Is.EqualTo(new[] { 0.5f }), "W - 0.25 · 2W");
    }

    [Test]
    public void ANonScalarLearningRateIsRefusedAndLeavesTheGraphAsItWas()
    {
        var g = new Graph();
        var w = g.Variable(Tensor.FromFlat(new[] { 1f, 2f }, new Shape(2)), "W");
        var loss = g.ReduceSum(g.Square(w));
        var rates = g.Variable(Tensor.FromFlat(new[] { 0.1f, 0.2f }, new Shape(2)), "rates", trainable: false);
        var gradient = g.Gradients([loss], [w])[0];
        int nodes = g.Nodes.Count;
        var e = Assert.Throws<ShapeException>(() => new AdamOptimizer(rates).ApplyGradients([(gradient, w)]));
        Assert.That(e!.Message, Is.EqualTo("The learning_rate of Adam must be a scalar; 'rates' has shape (2,)."));
        Assert.That(g.Nodes.Count, Is.EqualTo(nodes), "the slots and β powers built before the check are rolled back");
    }

    [Test]
    public void ANumberBecomesOneLearningRateConstantThatEveryUpdateReads()
    {
        var g = new Graph();
        var a = g.Variable(Tensor.FromFlat(new[] { 1f }, new Shape(1)), "a");
        var b = g.Variable(Tensor.FromFlat(new[] { 2f }, new Shape(1)), "b");
        new GradientDescentOptimizer(0.1).Minimize(g.ReduceSum(a * b));
        var rates = g.Nodes.Where(n => n.Name.EndsWith("learning_rate", StringComparison.Ordinal)).ToList();
        Assert.That(rates.Select(n => n.Name), Is.EqualTo(new[] { "GradientDescent/learning_rate" }));
        Assert.That(g.Nodes.Count(n => n.Op is ApplyGradientDescent && n.Inputs[1].Node == rates[0]), Is.EqualTo(2));
        Assert.That(g.ToDot(), Does.Contain("GradientDescent/learning_rate"));
    }
}
