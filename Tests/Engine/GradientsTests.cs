using NUnit.Framework;

namespace GraphDL.Tests.Engine;

public class GradientsTests
{
    private static double Eval(Graph g, Output o, Output x, double value) =>
        new Session(g).Run(o, new FeedDict { [x] = Tensor.Scalar(value) }).GetDouble(0);

    [Test]
    public void PathsThroughSeveralConsumersAreSummedWithOneAddN()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, Shape.Scalar, "x");
        var y = x * x + 3.0 * x;                         // dy/dx = 2x + 3
        var dx = g.Gradient(y, x)!.Value;
        Assert.That(Eval(g, dx, x, 2.0), Is.EqualTo(7.0).Within(1e-12));
        Assert.That(g.Nodes.Count(n => n.IsGradient && n.Op is AddN), Is.EqualTo(1));
    }

    [Test]
    public void ABiasAddedToABatchPassesTheGradientToTheBatchWithoutASum()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, new Shape(-1, 3), "x");
        var b = g.Placeholder(DType.Float64, new Shape(3), "b");
        var y = x + b;
        var grads = g.Gradients([g.ReduceSum(y * y)], [x, b]);
        Assert.That(g.Nodes.Count(n => n.IsGradient && n.Op is SumToShape), Is.EqualTo(1), "only the bias's gradient is summed");

        var result = new Session(g).Run([grads[0]!.Value, grads[1]!.Value], new FeedDict
        {
            [x] = Tensor.FromFlat(new double[] { 1, 2, 3, 4, 5, 6 }, new Shape(2, 3)),
            [b] = Tensor.FromFlat(new double[] { 10, 20, 30 }, new Shape(3)),
        });
        Assert.That(result[0].ToArray<double>(), Is.EqualTo(new double[] { 22, 44, 66, 28, 50, 72 }), "dx = 2(x + b)");
        Assert.That(result[1].ToArray<double>(), Is.EqualTo(new double[] { 50, 94, 138 }), "db sums 2(x + b) over the batch");
    }

    [Test]
    public void TwoUnknownBatchesStillSumWhereOneIsBroadcastWhenRun()
    {
        // Both (-1, 2): the static shapes agree, yet a fed (1, 2) broadcasts against b's (3, 2).
        var g = new Graph();
        var a = g.Placeholder(DType.Float64, new Shape(-1, 2), "a");
        var b = g.Placeholder(DType.Float64, new Shape(-1, 2), "b");
        var da = g.Gradients([g.ReduceSum(a + b)], [a])[0]!.Value;
        var result = new Session(g).Run(da, new FeedDict
        {
            [a] = Tensor.FromFlat(new double[] { 1, 2 }, new Shape(1, 2)),
            [b] = Tensor.FromFlat(new double[] { 1, 2, 3, 4, 5, 6 }, new Shape(3, 2)),
        });
        Assert.That(result.Shape, Is.EqualTo(new Shape(1, 2)));
        Assert.That(result.ToArray<double>(), Is.EqualTo(new double[] { 3, 3 }));
    }

    [Test]
    public void NodesBetweenKeepsOnlyWhatLiesOnAPathFromXsToYs()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, Shape.Scalar, "x");
        var c = g.Placeholder(DType.Float64, Shape.Scalar, "c");
        var onPath = g.Square(x, "on_path");
        var deadEnd = g.Exp(x, "dead_end");              // reached from x, but y does not read it
        var y = g.Add(onPath, g.Neg(c, "unreached"), "y");   // -c leads to y, but x does not reach it

        var between = g.NodesBetween([x.Node], [y.Node]);
        Assert.That(between.Select(n => n.Name), Is.EquivalentTo(new[] { "x", "on_path", "y" }));
        Assert.That(g.NodesBetween([x.Node], [deadEnd.Node, y.Node]).Select(n => n.Name),
            Is.EquivalentTo(new[] { "x", "on_path", "dead_end", "y" }));
        Assert.That(g.NodesBetween([x.Node], [y.Node], cutsPath: n => n == onPath.Node), Is.Empty,
            "a node that cuts paths ends the only one from x to y");
        Assert.That(g.NodesBetween([onPath.Node], [y.Node], cutsPath: n => n == onPath.Node).Select(n => n.Name),
            Is.EquivalentTo(new[] { "on_path", "y" }), "a node that cuts paths still starts one when it is an x");
    }

    [Test]
    public void StopGradientBlocksOnePath()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, Shape.Scalar, "x");
        var y = x * g.StopGradient(x);                   // treated as c·x with c = x
        Assert.That(Eval(g, g.Gradient(y, x)!.Value, x, 3.0), Is.EqualTo(3.0));
        var viaList = g.Gradients([x * x], [x], stopGradients: [x])[0];
        Assert.That(Eval(g, viaList!.Value, x, 3.0), Is.EqualTo(6.0), "gradients still reach x itself");

        // TF1's documented example: with a and b = 2a both stopped, d(a + b) is 1 for each.
        var a = g.Placeholder(DType.Float64, Shape.Scalar, "a");
        var b = 2.0 * a;
        var grads = g.Gradients([a + b], [a, b], stopGradients: [a, b]);
        Assert.That(Eval(g, grads[0]!.Value, a, 0.0), Is.EqualTo(1.0));
        Assert.That(Eval(g, grads[1]!.Value, a, 0.0), Is.EqualTo(1.0));
    }

    [Test]
    public void SecondDerivativeOfCubeIsSixX()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, Shape.Scalar, "x");
        var y = g.Pow(x, g.ScalarLike(3, x));
        var d1 = g.Gradient(y, x)!.Value;
        var d2 = g.Gradient(d1, x)!.Value;
        Assert.That(Eval(g, d1, x, 2.0), Is.EqualTo(12.0).Within(1e-9));
        Assert.That(Eval(g, d2, x, 2.0), Is.EqualTo(12.0).Within(1e-9));
        Assert.That(Eval(g, d2, x, -1.5), Is.EqualTo(-9.0).Within(1e-9));
    }

    [Test]
    public void SecondDerivativeThroughBroadcastAndReduction()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, new Shape(-1, 3), "x");
        var y = g.ReduceMean(g.Square(x + g.Constant(new double[] { 1, 2, 3 })));
        var dx = g.Gradient(y, x)!.Value;
        var hessianTrace = g.Gradient(g.ReduceSum(dx), x)!.Value;   // Σ_j ∂²y/∂x_i∂x_j = 2/n per element
        var r = new Session(g).Run(hessianTrace, new FeedDict { [x] = new double[,] { { 1, 2, 3 }, { 4, 5, 6 } } });
        Assert.That(r.ToDoubles(), Is.All.EqualTo(2.0 / 6).Within(1e-12));
    }

    [Test]
    public void UnconnectedInputGivesNullOrZeros()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, new Shape(2), "x");
        var z = g.Placeholder(DType.Float64, new Shape(2), "z");
        var y = g.ReduceSum(x * 2.0);
        Assert.That(g.Gradients([y], [x, z])[1], Is.Null);
        var zeros = g.Gradients([y], [z], unconnectedZeros: true)[0]!.Value;
        var r = new Session(g).Run(zeros, new FeedDict { [z] = new double[] { 5, 6 } });
        Assert.That(r.ToDoubles(), Is.EqualTo(new double[] { 0, 0 }));
    }

    [Test]
    public void GradientThroughArgMaxNamesTheOpAndLeavesTheGraphUnchanged()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 10), "x");
        g.ArgMax(x, 1);
        g.ArgMax(x, 1);
        var a = g.ArgMax(x, 1);
        var loss = g.ReduceSum(g.Cast(a, DType.Float32));
        int before = g.Nodes.Count;
        var e = Assert.Throws<InvalidOperationException>(() => g.Gradients([loss], [x]));
        Assert.That(e!.Message, Is.EqualTo("No gradient defined for op 'ArgMax_2' (ArgMax)"));
        Assert.That(g.Nodes, Has.Count.EqualTo(before));
    }

    [Test]
    public void NodesBetweenFollowsOnlyTheEdgesThatCarry()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, new Shape(3), "x");
        var mask = g.Cast(g.Greater(x, g.ScalarLike(0, x)), DType.Float64, "mask");
        var y = g.ReduceSum(mask, name: "y");
        Assert.That(g.NodesBetween([x.Node], [y.Node]), Has.Count.EqualTo(4), "x, Greater, mask, y");
        Assert.That(g.NodesBetween([x.Node], [y.Node], carries: o => o.DType.IsFloating()), Is.Empty,
            "the only path passes a Bool edge");
    }

    /// <summary>
    /// relu written with a mask, x * (x > 0): TF1 ignores the path through the comparison (a Bool carries no
    /// gradient) and gives the mask as dy/dx, where the comparison used to stop the gradient with an error.
    /// </summary>
    [Test]
    public void APathThroughAComparisonCarriesNoGradient()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, new Shape(4), "x");
        var y = g.ReduceSum(x * g.Cast(g.Greater(x, g.ScalarLike(0, x)), DType.Float64));
        var dx = g.Gradient(y, x)!.Value;
        var r = new Session(g).Run(dx, new FeedDict { [x] = new double[] { -2, 3, -0.5, 1 } });
        Assert.That(r.ToDoubles(), Is.EqualTo(new double[] { 0, 1, 0, 1 }));
        Assert.That(g.Nodes.Where(n => n.IsGradient).Select(n => n.Op), Has.None.InstanceOf<Greater>());
    }

    /// <summary>An index computed from x (an ArgMax) is no path either: Gather's gradient reaches x through the params only.</summary>
    [Test]
    public void AnIndexComputedFromXCarriesNoGradient()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, new Shape(2, 3), "x");
        var largestRow = g.Gather(x, g.Reshape(g.ArgMax(g.ReduceSum(x, [1]), 0), [1]));   // the row with the largest sum
        var dx = g.Gradient(g.ReduceSum(largestRow * 2.0), x)!.Value;
        var r = new Session(g).Run(dx, new FeedDict { [x] = new double[,] { { 1, 2, 3 }, { 4, 5, 6 } } });
        Assert.That(r.ToDoubles(), Is.EqualTo(new double[] { 0, 0, 0, 2, 2, 2 }));
    }

    /// <summary>
    /// The Hessian-vector product of f(x) = Σ_rows (max of the row)², worked by hand. For
    /// x = [[1, 3, 2], [5, 4, 0]] the row maxima are x01 = 3 and x10 = 5, with no ties, so near x
    /// f = x01² + x10²: df/dx = [[0, 2·3, 0], [2·5, 0, 0]] = [[0, 6, 0], [10, 0, 0]], and the Hessian is
    /// diagonal with 2 at the two maxima and 0 elsewhere. Along v = [[1, 2, 3], [4, 5, 6]]:
    /// H v = [[0, 2·2, 0], [2·4, 0, 0]] = [[0, 4, 0], [8, 0, 0]]. The gradient of the gradient goes back
    /// through ReduceMax's gradient, which compares x with the maximum: the Equal must carry nothing.
    /// </summary>
    [Test]
    public void ReduceMaxHessianVectorProductByHand()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, new Shape(2, 3), "x");
        var f = g.ReduceSum(g.Square(g.ReduceMax(x, 1)));
        var dx = g.Gradient(f, x)!.Value;
        var v = g.Constant(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var hv = g.Gradient(g.ReduceSum(dx * v), x)!.Value;
        var r = new Session(g).Run([dx, hv], new FeedDict { [x] = new double[,] { { 1, 3, 2 }, { 5, 4, 0 } } });
        Assert.That(r[0].ToDoubles(), Is.EqualTo(new double[] { 0, 6, 0, 10, 0, 0 }));
        Assert.That(r[1].ToDoubles(), Is.EqualTo(new double[] { 0, 4, 0, 8, 0, 0 }));
    }

    [Test]
    public void GradientNodesAreMarkedAndScoped()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2, 2), "x");
        var w = g.Variable(Init.Ones(2, 2), "W");
        var y = g.ReduceSum(g.MatMul(x, w));
        var dw = g.Gradient(y, w)!.Value;
        Assert.That(dw.Node.IsGradient, Is.True);
        Assert.That(dw.Name, Does.StartWith("gradients/MatMul_grad/"));
        Assert.That(y.Node.IsGradient, Is.False);
        string dot = g.ToDot();
        Assert.That(dot, Does.StartWith("digraph GraphDL {"));
        Assert.That(dot, Does.Contain("#f9c784"), "gradient nodes are coloured");
        Assert.That(dot, Does.Contain("MatMul\\nMatMul\\nFloat32 (2, 2)"));
    }
}
