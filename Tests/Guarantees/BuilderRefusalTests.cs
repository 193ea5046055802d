using NUnit.Framework;

namespace GraphDL.Tests.Guarantees;

/// <summary>
/// What the builder fuzzer (<see cref="GraphBuilderFuzzTests"/>) found, one case each: a call that crashed the
/// process, named nothing, or left part of itself in the graph.
/// </summary>
public class BuilderRefusalTests
{
    [Test]
    public void AnInvalidNodeNameIsRefusedNamingTheOp()
    {
        var g = new Graph();
        var e = Assert.Throws<ArgumentException>(() => g.RandomNormal(new Shape(2), name: ""))!;
        Assert.That(e.Message, Does.Contain("RandomNormal").And.Contain("''"));
        Assert.That(g.Nodes, Is.Empty);
    }

    [Test]
    public void AConstantOfUnknownShapeIsRefusedNamingTheNode()
    {
        var g = new Graph();
        var e = Assert.Throws<ShapeException>(() => g.Constant(1, new Shape(-1, 2), name: "c"))!;
        Assert.That(e.Message, Does.Contain("Const 'c'").And.Contain("(?, 2)"));
    }

    [Test]
    public void AVariableOfUnknownShapeIsRefusedNamingIt()
    {
        var g = new Graph();
        var e = Assert.Throws<ShapeException>(() => g.Variable(Init.Constant(1, 4, -1), "v"))!;
        Assert.That(e.Message, Does.Contain("Variable 'v'").And.Contain("(4, ?)"));
        Assert.That(g.Nodes, Is.Empty);
    }

    [Test]
    public void AFunctionOfSeveralNodesThatFailsHalfwayLeavesNoneAndSaysWhichFunction()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, -1), "x");
        var e = Assert.Throws<ShapeException>(() => g.L2Normalize(x, [4]))!;
        Assert.That(e.Message, Does.StartWith("Cannot build L2Normalize from ['x' Float32 (?, ?)]").And.Contain("Axis 4"));
        Assert.That(g.Nodes, Has.Count.EqualTo(1), "the Square built before the refused ReduceSum is gone");
        Assert.That(g.Square(x).Name, Is.EqualTo("Square"), "and so is its name");
    }

    [Test]
    public void ANumberOperatorThatFailsLeavesNoConstant()
    {
        var g = new Graph();
        var mask = g.Placeholder(DType.Bool, new Shape(2), "mask");
        Assert.Throws<ShapeException>(() => _ = mask - 1.5);
        Assert.That(g.Nodes, Has.Count.EqualTo(1));
    }

    [Test]
    public void AFailedGradientGivesBackTheScopeNameItTook()
    {
        var g = new Graph();
        var x = g.Variable(Init.Ones(3), "x");
        var assigned = g.Assign(g.Variable(Init.Zeros(3), "v"), g.Square(x));
        Assert.Throws<InvalidOperationException>(() => g.Gradients([g.ReduceSum(assigned)], [x]));
        var dx = g.Gradients([g.ReduceSum(g.Square(x))], [x])[0]!.Value;
        Assert.That(dx.Name, Does.StartWith("gradients/"), "not gradients_1/: the refused gradient's scope name was given back");
    }

    [Test]
    public void MinimizingALossThatNoVariableReachesLeavesTheGraphAsItWas()
    {
        var g = new Graph();
        g.Variable(Init.Zeros(2), "W");
        var loss = g.ReduceSum(g.Placeholder(DType.Float32, new Shape(2), "x"), name: "loss");
        int nodes = g.Nodes.Count;
        var e = Assert.Throws<ArgumentException>(() => new GradientDescentOptimizer(0.1).Minimize(loss))!;
        Assert.That(e.Message, Does.Contain("'loss'").And.Contain("'W'"));
        Assert.That(g.Nodes, Has.Count.EqualTo(nodes));
        Assert.That(g.Gradients([g.ReduceSum(g.Variable(Init.Zeros(2), "V"))], [g.Nodes[0].Output])[0], Is.Null);
        Assert.That(g.Nodes.Any(n => n.Name.StartsWith("gradients_1/")), Is.False, "the refused Minimize's gradient scope was given back");
    }

    [Test]
    public void UnstackingOrSplittingIntoAbsurdlyManyPiecesIsRefusedBeforeAnyIsMade()
    {
        // Each piece is an output or a node of its own: 2^29 of them exhausted memory and ended the process.
        var g = new Graph();
        var long_ = g.Placeholder(DType.Float32, new Shape(1 << 29), "long");
        var unstack = Assert.Throws<ShapeException>(() => g.Unstack(long_))!;
        Assert.That(unstack.Message, Does.Contain("'long'").And.Contain("536,870,912 tensors").And.Contain("65,536"));
        var split = Assert.Throws<ShapeException>(() => g.Split(long_, 1 << 29))!;
        Assert.That(split.Message, Does.Contain("'long'").And.Contain("536,870,912 pieces"));
        Assert.That(g.Nodes, Has.Count.EqualTo(1));
    }

    [Test]
    public void SplitSizesNearIntMaxValueAreRefusedNotOverflowed()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2, 5), "x");
        var e = Assert.Throws<ShapeException>(() => g.Split(x, [int.MaxValue, int.MaxValue, 2], axis: 1))!;
        Assert.That(e.Message, Does.Contain("'x'").And.Contain("4294967296"));
        Assert.That(g.Nodes, Has.Count.EqualTo(1));
    }

    [Test]
    public void ARangeWithAnInvalidNameIsRefusedNamingRange()
    {
        var g = new Graph();
        var e = Assert.Throws<ArgumentException>(() => g.Range(0, 3, 1, name: ""))!;
        Assert.That(e.Message, Does.StartWith("Cannot build Range ''"));
        Assert.That(g.Nodes, Is.Empty);
    }

    [Test]
    public void AnEinsumRefusedHalfwayLeavesNoNodes()
    {
        var g = new Graph();
        var a = g.Placeholder(DType.Int32, new Shape(2), "a");
        var b = g.Placeholder(DType.Float32, new Shape(2), "b");
        var e = Assert.Throws<ShapeException>(() => g.Einsum("i,i->", a, b))!;
        Assert.That(e.Message, Does.StartWith("Cannot build Einsum from ['a' Int32 (2,), 'b' Float32 (2,)]"));
        Assert.That(g.Nodes, Has.Count.EqualTo(2), "the reshapes built before the refused MatMul are gone");
    }

    [Test]
    public void AShapeWithAZeroIsEmptyHoweverLargeItsOtherDimensions()
    {
        var empty = new Shape(int.MaxValue, 5, 0);
        Assert.That(empty.Size, Is.Zero);
        Assert.That(new Tensor(empty).Size, Is.Zero);
    }

    [Test]
    public void TheAbsoluteValueOfTheSmallestInt32WrapsInsteadOfThrowing()
    {
        // Found by the fuzzer's random fetches: TensorPrimitives.Abs threw an OverflowException out of Session.Run.
        var g = new Graph();
        var x = g.Placeholder(DType.Int32, new Shape(3), "x");
        var abs = g.Abs(x);
        using var session = new Session(g);
        var result = session.Run(abs, new() { [x] = Tensor.FromFlat(new[] { int.MinValue, -3, 4 }, new Shape(3)) });
        Assert.That((int[])result.Data, Is.EqualTo(new[] { int.MinValue, 3, 4 }));
    }
}
