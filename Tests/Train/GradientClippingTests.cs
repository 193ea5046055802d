using NUnit.Framework;

namespace GraphDL.Tests.Train;

/// <summary>
/// TF1's clipping functions against values worked out by hand (3-4-5 and 5-12-13 triangles keep the norms exact),
/// their gradients where clipping decides them, the zero-norm cases that must not divide by zero, and clipped
/// gradients going from ComputeGradients through ClipByGlobalNorm into ApplyGradients.
/// </summary>
public class GradientClippingTests
{
    private static double[] Values(Graph g, Output x)
    {
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        return s.Run(x).ToDoubles();
    }

    [Test]
    public void ClipByValueLimitsEachElementAndPassesTheGradientInsideTheRangeOnly()
    {
        var g = new Graph();
        var x = g.Constant(new[] { -2.0, -1.0, 0.5, 1.0, 3.0 });
        var clipped = g.ClipByValue(x, -1, 1);
        // d/dx Σ 3·clip(x): 3 inside [-1, 1], bounds included, and 0 where the value was clipped.
        var grad = g.Gradients([g.ReduceSum(3.0 * clipped)], [x])[0]!.Value;
        Assert.That(Values(g, clipped), Is.EqualTo(new[] { -1.0, -1.0, 0.5, 1.0, 1.0 }));
        Assert.That(Values(g, grad), Is.EqualTo(new[] { 0.0, 3.0, 3.0, 3.0, 0.0 }));
        Assert.Throws<ArgumentException>(() => g.ClipByValue(x, 2, 1));
    }

    [Test]
    public void ClipByNormScalesDownOnlyATensorLongerThanTheLimit()
    {
        var g = new Graph();
        var t = g.Constant(new[] { 3.0, 4.0 });
        Assert.That(Values(g, g.ClipByNorm(t, 2)), Is.EqualTo(new[] { 1.2, 1.6 }).Within(1e-12));
        Assert.That(Values(g, g.ClipByNorm(t, 10)), Is.EqualTo(new[] { 3.0, 4.0 }).Within(1e-12));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.ClipByNorm(t, 0));
    }

    [Test]
    public void ClipByNormAlongAnAxisClipsEachRowOnItsOwn()
    {
        var g = new Graph();
        var t = g.Constant(new[,] { { 3.0, 4.0 }, { 0.3, 0.4 }, { 0.0, 0.0 } });
        Assert.That(Values(g, g.ClipByNorm(t, 1, axes: [1])), Is.EqualTo(new[] { 0.6, 0.8, 0.3, 0.4, 0.0, 0.0 }).Within(1e-12));
    }

    /// <summary>At t = 0 the norm's square root has an infinite slope; TF1's guard keeps the value 0 and the gradient 1.</summary>
    [Test]
    public void ClipByNormOfZerosIsZeroWithAFiniteGradient()
    {
        var g = new Graph();
        var t = g.Variable(new[] { 0.0, 0.0, 0.0 }, "t");
        var clipped = g.ClipByNorm(t, 1.5);
        var grad = g.Gradients([g.ReduceSum(clipped)], [t])[0]!.Value;
        Assert.That(Values(g, clipped), Is.EqualTo(new[] { 0.0, 0.0, 0.0 }));
        Assert.That(Values(g, grad), Is.EqualTo(new[] { 1.0, 1.0, 1.0 }));
    }

    [Test]
    public void GlobalNormIsTheNormOfAllTensorsEndToEndSkippingNulls()
    {
        var g = new Graph();
        Output? a = g.Constant(new[] { 3.0, 4.0 }), b = g.Constant(new[,] { { 12.0 } });
        Assert.That(Values(g, g.GlobalNorm([a, null, b])), Is.EqualTo(new[] { 13.0 }).Within(1e-12));
        Assert.Throws<ArgumentException>(() => g.GlobalNorm([null]));
        Assert.Throws<ArgumentException>(() => g.GlobalNorm([a, g.Constant(new[] { 1f })]));
    }

    [Test]
    public void ClipByGlobalNormScalesEveryTensorByOneFactor()
    {
        var g = new Graph();
        Output? a = g.Constant(new[] { 3.0, 4.0 }), b = g.Constant(new[] { 12.0 });
        var (clipped, norm) = g.ClipByGlobalNorm([a, null, b], 6.5);
        Assert.That(clipped[1], Is.Null, "a null passes through");
        Assert.That(Values(g, norm), Is.EqualTo(new[] { 13.0 }).Within(1e-12), "the norm before clipping");
        Assert.That(Values(g, clipped[0]!.Value), Is.EqualTo(new[] { 1.5, 2.0 }).Within(1e-12));
        Assert.That(Values(g, clipped[2]!.Value), Is.EqualTo(new[] { 6.0 }).Within(1e-12));

        var (unclipped, _) = g.ClipByGlobalNorm([a, b], 20);
        Assert.That(Values(g, unclipped[0]!.Value), Is.EqualTo(new[] { 3.0, 4.0 }).Within(1e-12));

        // TF1's use_norm: the given norm replaces the computed one, 26 here, so the factor is 6.5 / 26.
        var (byGiven, given) = g.ClipByGlobalNorm([a, b], 6.5, useNorm: g.Constant(Tensor.Scalar(26.0)));
        Assert.That(Values(g, byGiven[0]!.Value), Is.EqualTo(new[] { 0.75, 1.0 }).Within(1e-12));
        Assert.That(Values(g, given), Is.EqualTo(new[] { 26.0 }));
    }

    [Test]
    public void ClipByGlobalNormLeavesZerosAloneAndTurnsAnInfiniteNormIntoNaN()
    {
        var g = new Graph();
        var (zeros, zeroNorm) = g.ClipByGlobalNorm([g.Constant(new[] { 0.0, 0.0 })], 1);
        Assert.That(Values(g, zeroNorm), Is.EqualTo(new[] { 0.0 }));
        Assert.That(Values(g, zeros[0]!.Value), Is.EqualTo(new[] { 0.0, 0.0 }), "scale 1, no 0/0");

        var (infinite, _) = g.ClipByGlobalNorm([g.Constant(new[] { double.PositiveInfinity, 1.0 })], 1);
        Assert.That(Values(g, infinite[0]!.Value), Has.All.NaN);
    }

    /// <summary>
    /// L = ½‖w‖² + ½‖v‖² has gradients w = (3, 4) and v = (12), global norm 13; clipped to 6.5 they halve, so one
    /// step at rate 1 halves both variables. A variable the loss ignores has a null gradient, kept null.
    /// </summary>
    [Test]
    public void ClippedGradientsFlowIntoApplyGradients()
    {
        var g = new Graph();
        var w = g.Variable(new[] { 3.0, 4.0 }, "w");
        var v = g.Variable(new[] { 12.0 }, "v");
        var unused = g.Variable(new[] { 7.0 }, "unused");
        var loss = 0.5 * g.ReduceSum(g.Square(w)) + 0.5 * g.ReduceSum(g.Square(v));
        var optimizer = new GradientDescentOptimizer(1.0);
        var gradsAndVars = optimizer.ComputeGradients(loss, [w, v, unused]);
        var (clipped, norm) = g.ClipByGlobalNorm(gradsAndVars.Select(p => p.Gradient).ToArray(), 6.5);
        Assert.That(clipped[2], Is.Null);
        var train = optimizer.ApplyGradients(gradsAndVars.Select((p, i) => (clipped[i], p.Variable)).ToArray());
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        var r = s.Run([train, norm]);
        Assert.That((double)r[1], Is.EqualTo(13.0).Within(1e-12));
        Assert.That(s.GetValue(w).ToDoubles(), Is.EqualTo(new[] { 1.5, 2.0 }).Within(1e-12));
        Assert.That(s.GetValue(v).ToDoubles(), Is.EqualTo(new[] { 6.0 }).Within(1e-12));
        Assert.That(s.GetValue(unused).ToDoubles(), Is.EqualTo(new[] { 7.0 }));
        // Second step: the gradients (1.5, 2, 6) have norm 6.5, not above the limit, so a full step to zero.
        s.Run(train);
        Assert.That(s.GetValue(w).ToDoubles(), Is.EqualTo(new[] { 0.0, 0.0 }).Within(1e-12));
        Assert.That(s.GetValue(v).ToDoubles(), Is.EqualTo(new[] { 0.0 }).Within(1e-12));
    }

    [Test]
    public void ClipByValueTakesTensorLimitsThatBroadcastIntoTheClippedShape()
    {
        var g = new Graph();
        var x = g.Constant(new[,] { { -3.0, 0.5, 4.0 }, { 2.0, -0.5, -4.0 } });
        // One range per column, and a fed upper limit.
        var low = g.Constant(new[] { -1.0, 0.0, -2.0 });
        var high = g.Placeholder(DType.Float64, Shape.Scalar, "high");
        var clipped = g.ClipByValue(x, low, high);
        using var s = new Session(g);
        Assert.That(s.Run(clipped, new FeedDict { [high] = 1.0 }).ToDoubles(), Is.EqualTo(new[] { -1.0, 0.5, 1.0, 1.0, 0.0, -2.0 }));
        Assert.That(s.Run(clipped, new FeedDict { [high] = 3.0 }).ToDoubles(), Is.EqualTo(new[] { -1.0, 0.5, 3.0, 2.0, 0.0, -2.0 }));
        Assert.That(() => g.ClipByValue(x, g.Constant(new[] { 0.0, 1.0 }), high),
            Throws.InstanceOf<ShapeException>().With.Message.Contains("(2,)").And.Message.Contains("(2, 3)"));
        Assert.That(() => g.ClipByValue(x, g.Constant(new double[2, 2, 3]), high), Throws.InstanceOf<ShapeException>());
        Assert.That(() => g.ClipByValue(x, g.Constant(Tensor.Scalar(0f)), high), Throws.ArgumentException.With.Message.Contains("Float32"));
    }

    [Test]
    public void ClipIsClipByValueUnderTheKerasName()
    {
        var g = new Graph();
        var x = g.Constant(new[] { -2.0, 0.25, 3.0 });
        Assert.That(Values(g, g.Clip(x, -1, 1)), Is.EqualTo(Values(g, g.ClipByValue(x, -1, 1))));
        Assert.That(g.Clip(x, 0, 1).Node.Name, Does.StartWith("Clip"));
    }

    [Test]
    public void ClipByNormAndClipByGlobalNormTakeAFedLimit()
    {
        var g = new Graph();
        var limit = g.Placeholder(DType.Float64, Shape.Scalar, "limit");
        var t = g.Constant(new[] { 3.0, 4.0 });
        var b = g.Constant(new[] { 12.0 });
        var byNorm = g.ClipByNorm(t, limit);
        var (clipped, norm) = g.ClipByGlobalNorm([t, b], limit);
        using var s = new Session(g);
        Assert.That(s.Run(byNorm, new FeedDict { [limit] = 2.0 }).ToDoubles(), Is.EqualTo(new[] { 1.2, 1.6 }).Within(1e-12));
        Assert.That(s.Run(byNorm, new FeedDict { [limit] = 10.0 }).ToDoubles(), Is.EqualTo(new[] { 3.0, 4.0 }).Within(1e-12));
        // The global norm of (3, 4) and (12) is 13; a limit of 6.5 halves both.
        var half = s.Run([clipped[0]!.Value, clipped[1]!.Value, norm], new FeedDict { [limit] = 6.5 });
        Assert.That(half[0].ToDoubles(), Is.EqualTo(new[] { 1.5, 2.0 }).Within(1e-12));
        Assert.That(half[1].ToDoubles(), Is.EqualTo(new[] { 6.0 }).Within(1e-12));
        Assert.That((double)half[2], Is.EqualTo(13.0).Within(1e-12));
        Assert.That(() => g.ClipByNorm(t, g.Constant(new[] { 1.0, 2.0 })), Throws.InstanceOf<ShapeException>().With.Message.Contains("scalar"));
        Assert.That(() => g.ClipByGlobalNorm([t], g.Constant(Tensor.Scalar(1f))), Throws.InstanceOf<ShapeException>().With.Message.Contains("Float64"));
    }

    [Test]
    public void AClipThatFailsLeavesTheGraphAsItWas()
    {
        var g = new Graph();
        var flags = g.Constant(Tensor.FromFlat(new[] { true, false }, new Shape(2)));
        var notScalar = g.Constant(new[] { 1.0, 2.0 });
        int count = g.Nodes.Count;
        Assert.That(() => g.ClipByValue(flags, 0, 1), Throws.InstanceOf<ArgumentException>());
        Assert.That(() => g.ClipByGlobalNorm([g.Constant(new[] { 1.0 })], 2.0, useNorm: notScalar), Throws.InstanceOf<ShapeException>());
        Assert.That(g.Nodes.Count, Is.EqualTo(count + 1), "only the Const built for the useNorm call's tensor list");
    }
}
