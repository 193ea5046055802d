using GraphDL.Tests.Gpu;
using NUnit.Framework;

namespace GraphDL.Tests.Train;

/// <summary>
/// Adadelta, Adamax and Nadam: three steps on L = ½ Σ (W - t)², whose gradient is W - t, against the update rules
/// written out here in plain C# doubles, for Float32 and Float64 variables; and a learning rate held in a variable
/// and changed between steps, on the CPU and on the emulated device.
/// </summary>
public class AdaptiveOptimizerTests
{
    private static readonly double[] Start = [1.0, -2.0, 0.5];
    private static readonly double[] Target = [0.3, 0.7, -1.1];

    /// <summary>One element's update: (element, step t from 1, learning rate, w, g) to the new w. It keeps its own slots.</summary>
    private delegate double Rule(int i, int t, double learningRate, double w, double g);

    private static Rule Adadelta(double rho, double epsilon)
    {
        double[] accum = new double[3], accumUpdate = new double[3];
        return (i, _, lr, w, g) =>
        {
            accum[i] = rho * accum[i] + (1 - rho) * g * g;
            double update = Math.Sqrt(accumUpdate[i] + epsilon) / Math.Sqrt(accum[i] + epsilon) * g;
            accumUpdate[i] = rho * accumUpdate[i] + (1 - rho) * update * update;
            return w - lr * update;
        };
    }

    private static Rule Adamax(double beta1, double beta2, double epsilon)
    {
        double[] m = new double[3], u = new double[3];
        return (i, t, lr, w, g) =>
        {
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            u[i] = Math.Max(beta2 * u[i], Math.Abs(g));
            return w - lr / (1 - Math.Pow(beta1, t)) * m[i] / (u[i] + epsilon);
        };
    }

    /// <summary>Keras 2's Nadam as its source reads, with the product of the μ's recomputed from scratch at every step.</summary>
    private static Rule Nadam(double beta1, double beta2, double epsilon)
    {
        double[] m = new double[3], v = new double[3];
        double Mu(int t) => beta1 * (1 - 0.5 * Math.Pow(0.96, t * 0.004));
        double Schedule(int t) => Enumerable.Range(1, t).Aggregate(1.0, (product, k) => product * Mu(k));
        return (i, t, lr, w, g) =>
        {
            double gPrime = g / (1 - Schedule(t));
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            double mPrime = m[i] / (1 - Schedule(t) * Mu(t + 1));
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            double vPrime = v[i] / (1 - Math.Pow(beta2, t));
            double mBar = (1 - Mu(t)) * gPrime + Mu(t + 1) * mPrime;
            return w - lr * mBar / (Math.Sqrt(vPrime) + epsilon);
        };
    }

    /// <summary>Each optimizer at settings away from its defaults where that makes a step visible, with its rule.</summary>
    private static (Optimizer Optimizer, Rule Rule) Make(string name, Hyperparameter learningRate) => name switch
    {
        // ε sets the size of Adadelta's first steps (about √ε / √(1 - ρ) · η): 1e-4 makes them large enough to see.
        "Adadelta" => (new AdadeltaOptimizer(learningRate, 0.9, 1e-4), Adadelta(0.9, 1e-4)),
        "Adamax" => (new AdamaxOptimizer(learningRate, 0.8, 0.99, 1e-7), Adamax(0.8, 0.99, 1e-7)),
        "Nadam" => (new NadamOptimizer(learningRate, 0.9, 0.999, 1e-7), Nadam(0.9, 0.999, 1e-7)),
        _ => throw new ArgumentException(name),
    };

    private static readonly string[] Names = ["Adadelta", "Adamax", "Nadam"];

    private static IEnumerable<TestCaseData> RuleCases() =>
        from name in Names
        from dtype in new[] { DType.Float32, DType.Float64 }
        select new TestCaseData(name, dtype);

    /// <summary>Three steps of the rule at the given rates, element by element, like the optimizer must.</summary>
    private static double[][] Expected(Rule rule, double[] rates)
    {
        var w = (double[])Start.Clone();
        var result = new double[rates.Length][];
        for (int t = 1; t <= rates.Length; t++)
        {
            for (int i = 0; i < w.Length; i++) w[i] = rule(i, t, rates[t - 1], w[i], w[i] - Target[i]);
            result[t - 1] = (double[])w.Clone();
        }
        return result;
    }

    private static Tensor TensorOf(double[] values, DType dtype) => dtype == DType.Float64
        ? Tensor.FromFlat((double[])values.Clone(), new Shape(values.Length))
        : Tensor.FromFlat(values.Select(v => (float)v).ToArray(), new Shape(values.Length));

    /// <summary>The problem in <paramref name="dtype"/>: W, and L = ½ Σ (W - t)².</summary>
    private static (Output W, Output Loss) Quadratic(Graph g, DType dtype)
    {
        var w = g.Variable(TensorOf(Start, dtype), "W");
        return (w, 0.5 * g.ReduceSum(g.Square(w - g.Constant(TensorOf(Target, dtype)))));
    }

    /// <summary>
    /// Float64 steps match the double formula to rounding; Float32 ones to float32's precision, about 1e-7 of each
    /// value per operation, over three steps.
    /// </summary>
    private static double ToleranceOf(DType dtype) => dtype == DType.Float64 ? 1e-12 : 1e-5;

    [TestCaseSource(nameof(RuleCases))]
    public void ThreeStepsFollowTheRule(string name, DType dtype)
    {
        const double rate = 0.1;
        var g = new Graph();
        var (w, loss) = Quadratic(g, dtype);
        var (optimizer, rule) = Make(name, rate);
        var step = g.Variable(Tensor.Scalar(0), "global_step", trainable: false);
        var train = optimizer.Minimize(loss, globalStep: step);
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());

        var expected = Expected(rule, [rate, rate, rate]);
        for (int t = 0; t < expected.Length; t++)
        {
            session.Run(train);
            var actual = session.GetValue(w);
            Assert.That(actual.DType, Is.EqualTo(dtype));
            Assert.That(actual.ToDoubles(), Is.EqualTo(expected[t]).Within(ToleranceOf(dtype)), $"{name} after step {t + 1}");
        }
        Assert.That(session.GetValue(step).Scalar<int>(), Is.EqualTo(3), "the global step advances once per run");
        Assert.That(expected[^1].Zip(Start, (a, b) => Math.Abs(a - b)).Min(), Is.GreaterThan(1e-3), "the steps move every element");
    }

    private static IEnumerable<TestCaseData> DeviceCases() =>
        from device in new[] { "cpu", "emulated" }
        from name in Names
        select new TestCaseData(device, name);

    [TestCaseSource(nameof(DeviceCases))]
    public void ALearningRateVariableChangedBetweenStepsDrivesTheNextStep(string device, string name)
    {
        RequiresKernelEmulatorAttribute.SkipUnlessAvailable(device);
        var g = new Graph();
        var (w, loss) = Quadratic(g, DType.Float32);
        var learningRate = g.Variable(Tensor.Scalar(0.1f), "lr", trainable: false);
        var newRate = g.Placeholder(DType.Float32, Shape.Scalar, "new_rate");
        var setRate = g.Assign(learningRate, newRate).Node;
        var (optimizer, rule) = Make(name, learningRate);
        var train = optimizer.Minimize(loss);
        using var session = new Session(g, Devices.Get(device));
        session.Run(g.GlobalVariablesInitializer());

        double[] rates = [0.1, 0.025, 0.4];
        var expected = Expected(rule, rates);
        for (int t = 0; t < rates.Length; t++)
        {
            session.Run(setRate, new FeedDict { [newRate] = (float)rates[t] });
            session.Run(train);
            Assert.That(session.GetValue(w).ToDoubles(), Is.EqualTo(expected[t]).Within(ToleranceOf(DType.Float32)), $"{name} after the step at {rates[t]}");
        }
    }

    [RequiresKernelEmulator]
    [TestCase("Adadelta"), TestCase("Adamax"), TestCase("Nadam")]
    public void ASteadyStepOnTheEmulatedDeviceAllocatesNothing(string name)
    {
        // Nadam's μₜ and μₜ₊₁ are scalar nodes recomputed every step: they too must reuse their planned buffers.
        var g = new Graph();
        var (w, loss) = Quadratic(g, DType.Float32);
        var train = Make(name, 0.1).Optimizer.Minimize(loss);
        using var session = new Session(g, GraphDL.Backends.Cuda.CudaBackend.Emulated);
        session.Run(g.GlobalVariablesInitializer());
        Fetch[] step = [train];
        for (int i = 0; i < 3; i++) session.Run(step);
        Assert.That(StepAllocations.FewestBytesInAWindow(() => session.Run(step), stepsPerWindow: 5), Is.Zero);
        Assert.That(session.GetValue(w).ToDoubles(), Is.Not.EqualTo(Start), "the steps ran");
    }

    [Test]
    public void TheDefaultsAreTheDocumentedOnes()
    {
        var adadelta = new AdadeltaOptimizer();
        Assert.That((adadelta.LearningRate.Value, adadelta.Rho.Value, adadelta.Epsilon.Value), Is.EqualTo((0.001, 0.95, 1e-8)));
        var adamax = new AdamaxOptimizer();
        Assert.That((adamax.LearningRate.Value, adamax.Beta1, adamax.Beta2.Value, adamax.Epsilon.Value), Is.EqualTo((0.001, 0.9, 0.999, 1e-7)));
        var nadam = new NadamOptimizer();
        Assert.That((nadam.LearningRate.Value, nadam.Beta1, nadam.Beta2, nadam.Epsilon.Value, nadam.ScheduleDecay),
            Is.EqualTo((0.001, 0.9, 0.999, 1e-7, 0.004)));
    }

    [Test]
    public void NadamKeepsItsStepAndMomentumScheduleInVariables()
    {
        var g = new Graph();
        var (_, loss) = Quadratic(g, DType.Float64);
        var train = new NadamOptimizer(0.1).Minimize(loss);
        var step = g.GlobalVariables.Single(v => v.Name.StartsWith("Nadam/step", StringComparison.Ordinal));
        var schedule = g.GlobalVariables.Single(v => v.Name.StartsWith("Nadam/momentum_schedule", StringComparison.Ordinal));
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        for (int i = 0; i < 3; i++) session.Run(train);

        static double Mu(int t) => 0.9 * (1 - 0.5 * Math.Pow(0.96, 0.004 * t));
        Assert.That((double)session.Run(step), Is.EqualTo(4), "t is the number of the next step");
        Assert.That((double)session.Run(schedule), Is.EqualTo(Mu(1) * Mu(2) * Mu(3)).Within(1e-15));
    }
}
