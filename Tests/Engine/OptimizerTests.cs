using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// Each optimizer's first three steps on L = ½ Σ (W - t)², whose gradient is W - t, against TF1's update
/// formulas written out in plain C#.
/// </summary>
public class OptimizerTests
{
    private static readonly double[] Start = [1.0, -2.0, 0.5];
    private static readonly double[] Target = [0.3, 0.7, -1.1];

    private static double[][] Steps(Optimizer optimizer, int count = 3)
    {
        var g = new Graph();
        var w = g.Variable(Start, "W");
        var loss = 0.5 * g.ReduceSum(g.Square(w - g.Constant(Target)));
        var step = g.Variable(Tensor.Scalar(0), "global_step", trainable: false);
        var train = optimizer.Minimize(loss, globalStep: step);
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        var result = new double[count][];
        for (int i = 0; i < count; i++)
        {
            s.Run(train);
            result[i] = s.GetValue(w).ToDoubles();
        }
        Assert.That(s.GetValue(step).Scalar<int>(), Is.EqualTo(count), "global step advances once per run");
        return result;
    }

    /// <summary>Runs <paramref name="update"/>(w, g) three times, element by element, like the optimizer must.</summary>
    private static double[][] Expected(Func<int, double, double, double> update)
    {
        var w = (double[])Start.Clone();
        var result = new double[3][];
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < w.Length; i++) w[i] = update(i, w[i], w[i] - Target[i]);
            result[t - 1] = (double[])w.Clone();
        }
        return result;
    }

    private static void AssertClose(double[][] actual, double[][] expected)
    {
        for (int t = 0; t < expected.Length; t++)
            Assert.That(actual[t], Is.EqualTo(expected[t]).Within(1e-6), $"after step {t + 1}");
    }

    [Test]
    public void GradientDescent() =>
        AssertClose(Steps(new GradientDescentOptimizer(0.1)), Expected((_, w, g) => w - 0.1 * g));

    [TestCase(false)]
    [TestCase(true)]
    public void Momentum(bool nesterov)
    {
        var accum = new double[3];
        AssertClose(Steps(new MomentumOptimizer(0.1, 0.9, nesterov)), Expected((i, w, g) =>
        {
            accum[i] = 0.9 * accum[i] + g;
            return nesterov ? w - 0.1 * g - 0.1 * 0.9 * accum[i] : w - 0.1 * accum[i];
        }));
    }

    [Test]
    public void Adagrad()
    {
        var accum = new[] { 0.1, 0.1, 0.1 };
        AssertClose(Steps(new AdagradOptimizer(0.5)), Expected((i, w, g) =>
        {
            accum[i] += g * g;
            return w - 0.5 * g / Math.Sqrt(accum[i]);
        }));
    }

    [TestCase(false, 0.0)]
    [TestCase(false, 0.5)]
    [TestCase(true, 0.5)]
    public void RmsProp(bool centered, double momentum)
    {
        double[] ms = [1, 1, 1], mom = new double[3], mg = new double[3];
        AssertClose(Steps(new RmsPropOptimizer(0.01, 0.9, momentum, 1e-10, centered)), Expected((i, w, g) =>
        {
            ms[i] = 0.9 * ms[i] + 0.1 * g * g;
            double denominator = ms[i] + 1e-10;
            if (centered)
            {
                mg[i] = 0.9 * mg[i] + 0.1 * g;
                denominator -= mg[i] * mg[i];
            }
            mom[i] = momentum * mom[i] + 0.01 * g / Math.Sqrt(denominator);
            return w - mom[i];
        }));
    }

    [Test]
    public void Adam()
    {
        double[] m = new double[3], v = new double[3];
        int[] t = new int[3];
        AssertClose(Steps(new AdamOptimizer(0.1)), Expected((i, w, g) =>
        {
            t[i]++;
            double lrT = 0.1 * Math.Sqrt(1 - Math.Pow(0.999, t[i])) / (1 - Math.Pow(0.9, t[i]));
            m[i] = 0.9 * m[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            return w - lrT * m[i] / (Math.Sqrt(v[i]) + 1e-8);
        }));
    }

    [Test]
    public void ComputeAndApplyGradientsSeparately()
    {
        var g = new Graph();
        var w = g.Variable(Start, "W");
        var unused = g.Variable(Start, "unused");
        var loss = g.ReduceSum(g.Square(w));
        var optimizer = new GradientDescentOptimizer(0.25);
        var pairs = optimizer.ComputeGradients(loss);
        Assert.That(pairs.Select(p => p.Variable), Is.EqualTo(new[] { w, unused }));
        Assert.That(pairs[1].Gradient, Is.Null);
        var train = optimizer.ApplyGradients(pairs);
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        s.Run(train);
        Assert.That(s.GetValue(w).ToDoubles(), Is.EqualTo(Start.Select(x => x - 0.25 * 2 * x)).Within(1e-12));
        Assert.That(s.GetValue(unused).ToDoubles(), Is.EqualTo(Start));
    }
}
