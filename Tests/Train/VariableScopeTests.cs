using NUnit.Framework;

namespace GraphDL.Tests.Train;

/// <summary>
/// TF1's variable sharing: tf.variable_scope and tf.get_variable, their names, the three reuse modes and how
/// nested scopes inherit them, TF1's errors (which leave the graph as it was), and two towers that share
/// weights training them with the sum of both towers' gradients.
/// </summary>
public class VariableScopeTests
{
    private static Output Dense(Graph g, Output x, int units) =>
        g.MatMul(x, g.GetVariable("w", Init.Ones(x.Shape[1], units))) + g.GetVariable("b", Init.Zeros(units));

    [Test]
    public void AReusedScopeSharesItsVariablesAndGivesItsOtherNodesAFreshNameScope()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        Output first, second;
        using (g.VariableScope("dense")) first = Dense(g, x, 2);
        using (g.VariableScope("dense", reuse: true)) second = Dense(g, x, 2);

        Assert.That(g.GlobalVariables.Select(v => v.Name), Is.EqualTo(new[] { "dense/w", "dense/b" }));
        Assert.That(first.Node.Inputs[0].Node.Name, Does.StartWith("dense/"));
        Assert.That(second.Node.Inputs[0].Node.Name, Does.StartWith("dense_1/"));
        Assert.That(second.Node.Inputs[0].Node.Inputs[1], Is.EqualTo(g.GetCollection(Collections.GlobalVariables)[0]));
    }

    [Test]
    public void ReuseVariablesTurnsAnOpenScopeFromCreatingToSharing()
    {
        var g = new Graph();
        using var scope = g.VariableScope("model");
        var w = g.GetVariable("w", Init.Ones(2));
        Assert.That(scope.Reuse, Is.EqualTo(VariableReuse.Inherit));
        scope.ReuseVariables();
        Assert.That(g.GetVariable("w"), Is.EqualTo(w));
        Assert.That(g.GetVariable("w", [2]), Is.EqualTo(w), "the shape alone is checked and the same variable comes back");
    }

    [Test]
    public void NestedScopesJoinTheirNamesAndIgnoreNameScopes()
    {
        var g = new Graph();
        Output w, product;
        using (g.NameScope("tower0"))
        using (g.VariableScope("outer"))
        using (g.VariableScope("inner"))
        {
            w = g.GetVariable("w", Init.Ones(2));
            product = g.Mul(w, w);
        }
        Assert.That(w.Name, Is.EqualTo("outer/inner/w"));
        Assert.That(product.Node.Name, Is.EqualTo("tower0/outer/inner/Mul"));
        Assert.That(() => g.GetVariable("outer/inner/w", Init.Ones(2)), Throws.InvalidOperationException,
            "the full name at the top level is the same variable, which a creating scope may not make again");
    }

    [Test]
    public void ReuseIsInheritedAndCannotBeSwitchedOffInside()
    {
        var g = new Graph();
        using (g.VariableScope("a")) g.GetVariable("w", Init.Ones(1));
        using (g.VariableScope("a", VariableReuse.Reuse))
        {
            using (var inner = g.VariableScope("b")) Assert.That(inner.Reuse, Is.EqualTo(VariableReuse.Reuse));
            using (var inner = g.VariableScope("c", VariableReuse.AutoReuse)) Assert.That(inner.Reuse, Is.EqualTo(VariableReuse.Reuse));
        }
        using (g.VariableScope("auto", VariableReuse.AutoReuse))
        using (var inner = g.VariableScope("inner"))
            Assert.That(inner.Reuse, Is.EqualTo(VariableReuse.AutoReuse));
    }

    [Test]
    public void AutoReuseCreatesOnceAndSharesAfter()
    {
        var g = new Graph();
        Output first, second;
        using (g.VariableScope("layer", VariableReuse.AutoReuse)) first = g.GetVariable("w", Init.Ones(3));
        using (g.VariableScope("layer", VariableReuse.AutoReuse)) second = g.GetVariable("w", Init.Ones(3));
        Assert.That(second, Is.EqualTo(first));
        Assert.That(g.GlobalVariables, Has.Count.EqualTo(1));
    }

    [Test]
    public void CreatingAVariableThatExistsFailsNamingItAndAddsNothing()
    {
        var g = new Graph();
        using (g.VariableScope("layer")) g.GetVariable("w", Init.Ones(3));
        int nodes = g.Nodes.Count;
        using (g.VariableScope("layer"))
        {
            int inside = g.Nodes.Count;
            var e = Assert.Throws<InvalidOperationException>(() => g.GetVariable("w", Init.Ones(3)));
            Assert.That(e!.Message, Does.Contain("'layer/w' already exists").And.Contain("VariableReuse.Reuse"));
            Assert.That(g.Nodes, Has.Count.EqualTo(inside));
        }
        Assert.That(g.Nodes, Has.Count.EqualTo(nodes));
    }

    [Test]
    public void SharingAVariableThatDoesNotExistFailsNamingIt()
    {
        var g = new Graph();
        using (g.VariableScope("layer", reuse: true))
        {
            var e = Assert.Throws<InvalidOperationException>(() => g.GetVariable("w", Init.Ones(3)));
            Assert.That(e!.Message, Does.Contain("'layer/w' does not exist"));
        }
        Assert.That(g.Nodes, Is.Empty);
        Assert.That(g.GlobalVariables, Is.Empty);
    }

    [Test]
    public void SharingWithAnotherShapeOrDTypeFailsNamingBoth()
    {
        var g = new Graph();
        using (g.VariableScope("layer")) g.GetVariable("w", Init.Ones(2, 3));
        using (g.VariableScope("layer", reuse: true))
        {
            var shape = Assert.Throws<ShapeException>(() => g.GetVariable("w", Init.Ones(3, 2)));
            Assert.That(shape!.Message, Does.Contain("'layer/w'").And.Contain("(3, 2)").And.Contain("(2, 3)"));
            var dtype = Assert.Throws<ArgumentException>(() => g.GetVariable("w", Init.Ones(2, 3) with { DType = DType.Float64 }));
            Assert.That(dtype!.Message, Does.Contain("Float64").And.Contain("Float32"));
        }
    }

    [Test]
    public void CreatingWithoutAnInitializerFailsAndBadNamesAreRefused()
    {
        var g = new Graph();
        Assert.That(() => g.GetVariable("w"), Throws.ArgumentException.With.Message.Contains("needs an initializer"));
        Assert.That(() => g.GetVariable(""), Throws.ArgumentException);
        Assert.That(() => g.VariableScope("a/b"), Throws.ArgumentException.With.Message.Contains("'a/b'"));
        Assert.That(g.Nodes, Is.Empty);
    }

    [Test]
    public void ClosingAScopeBeforeTheOneOpenedInsideItFails()
    {
        var g = new Graph();
        var outer = g.VariableScope("outer");
        var inner = g.VariableScope("inner");
        Assert.Throws<InvalidOperationException>(outer.Dispose);
        inner.Dispose();
        outer.Dispose();
        Assert.That(g.GetVariable("w", Init.Ones(1)).Name, Is.EqualTo("w"));
    }

    [Test]
    public void AShapeOnlyVariableIsGlorotUniformAsTf1GivesIt()
    {
        var g = new Graph { Seed = 7 };
        var w = g.GetVariable("w", [40, 60]);
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        var values = s.Run(w).ToDoubles();
        double limit = Math.Sqrt(6.0 / (40 + 60));
        Assert.That(values.Max(), Is.LessThanOrEqualTo(limit).And.GreaterThan(0.9 * limit));
        Assert.That(values.Min(), Is.GreaterThanOrEqualTo(-limit).And.LessThan(-0.9 * limit));
    }

    [Test]
    public void TwoTowersSharingAWeightTrainItWithTheSumOfTheirGradients()
    {
        var g = new Graph();
        var x1 = g.Placeholder(DType.Float32, new Shape(1, 2), "x1");
        var x2 = g.Placeholder(DType.Float32, new Shape(1, 2), "x2");
        Output y1, y2;
        using (g.VariableScope("tower")) y1 = Dense(g, x1, 1);
        using (g.VariableScope("tower", reuse: true)) y2 = Dense(g, x2, 1);
        var loss = g.ReduceSum(y1 + y2);
        var train = new GradientDescentOptimizer(0.5).Minimize(loss);

        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        s.Run(train, new FeedDict { [x1] = Tensor.FromArray(new float[,] { { 1, 2 } }), [x2] = Tensor.FromArray(new float[,] { { 3, 5 } }) });
        // dL/dw = x1ᵀ + x2ᵀ = (4, 7), dL/db = 2: w = 1 - 0.5·(4, 7), b = 0 - 0.5·2.
        Assert.That(s.Run(g.TrainableVariables[0]).ToDoubles(), Is.EqualTo(new[] { -1.0, -2.5 }));
        Assert.That(s.Run(g.TrainableVariables[1]).ToDoubles(), Is.EqualTo(new[] { -1.0 }));
        Assert.That(g.TrainableVariables, Has.Count.EqualTo(2));
    }
}
