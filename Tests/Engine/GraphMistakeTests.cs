using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// The mistakes people make when they build and run a graph, each with the message they get. A message
/// names what was built or run, the nodes involved and what was expected, so that it can be acted on
/// without a debugger; these tests pin the whole text where it is stable.
/// </summary>
public class GraphMistakeTests
{
    // ---------------------------------------------------------------- ranks

    [Test]
    public void MatMulOfAVectorNamesBothShapes()
    {
        var g = new Graph();
        var v = g.Placeholder(DType.Float32, new Shape(3), "v");
        var w = g.Placeholder(DType.Float32, new Shape(3, 4), "w");
        var e = Assert.Throws<ShapeException>(() => g.MatMul(v, w));
        Assert.That(e!.Message, Is.EqualTo(
            "Cannot build MatMul 'MatMul' from ['v' Float32 (3,), 'w' Float32 (3, 4)]: MatMul needs matrices or batches of them (rank 2 or more), got shapes (3,) and (3, 4)."));
        Assert.That(g.Nodes, Has.Count.EqualTo(2), "a refused node is not added");
    }

    [Test]
    public void Conv2DOnARank3InputAsksForTheBatchAxis()
    {
        var g = new Graph();
        var image = g.Placeholder(DType.Float32, new Shape(28, 28, 1), "image");
        var filter = g.Placeholder(DType.Float32, new Shape(5, 5, 1, 32), "filter");
        var e = Assert.Throws<ShapeException>(() => g.Conv2D(image, filter, name: "conv1"));
        Assert.That(e!.Message, Is.EqualTo(
            "Cannot build Conv2D 'conv1' from ['image' Float32 (28, 28, 1), 'filter' Float32 (5, 5, 1, 32)]: " +
            "The input must have rank 4 (batch, height, width, channels), got (28, 28, 1)."));
    }

    // ---------------------------------------------------------------- dtypes

    [Test]
    public void AddingInt32ToFloat32NamesBothDTypes()
    {
        var g = new Graph();
        var counts = g.Placeholder(DType.Int32, new Shape(3), "counts");
        var weights = g.Placeholder(DType.Float32, new Shape(3), "weights");
        var e = Assert.Throws<ShapeException>(() => _ = counts + weights);
        Assert.That(e!.Message, Is.EqualTo(
            "Cannot build Add 'Add' from ['counts' Int32 (3,), 'weights' Float32 (3,)]: Add needs inputs of one dtype, got Int32 and Float32."));
    }

    [Test]
    public void SoftmaxOfInt32SaysWhichDTypesItTakes()
    {
        var g = new Graph();
        var labels = g.Placeholder(DType.Int32, new Shape(-1, 10), "labels");
        var e = Assert.Throws<ShapeException>(() => g.Softmax(labels));
        Assert.That(e!.Message, Is.EqualTo(
            "Cannot build Softmax 'Softmax' from ['labels' Int32 (?, 10)]: Softmax is defined for Float32 and Float64, not Int32."));
    }

    // ---------------------------------------------------------------- two graphs

    [Test]
    public void FetchFromAnotherGraphIsRefused()
    {
        var mine = new Graph();
        var theirs = new Graph();
        var c = theirs.Constant(1.0, Shape.Scalar, name: "c");
        using var session = new Session(mine);
        var e = Assert.Throws<ArgumentException>(() => session.Run(c));
        Assert.That(e!.Message, Is.EqualTo("Fetch 'c' belongs to a different graph than this session's."));
    }

    [Test]
    public void FeedingAnotherGraphsPlaceholderIsRefused()
    {
        var mine = new Graph();
        var x = mine.Placeholder(DType.Float32, new Shape(3), "x");
        var theirs = new Graph();
        var y = theirs.Placeholder(DType.Float32, new Shape(3), "y");
        using var session = new Session(mine);
        var e = Assert.Throws<ArgumentException>(() =>
            session.Run(mine.Neg(x), new() { [x] = new float[] { 1, 2, 3 }, [y] = new float[] { 4, 5, 6 } }));
        Assert.That(e!.Message, Is.EqualTo("Cannot feed placeholder 'y': it belongs to a different graph than this session's."));
    }

    [Test]
    public void BuildingFromAnotherGraphsOutputIsRefused()
    {
        var mine = new Graph();
        var x = mine.Placeholder(DType.Float32, new Shape(3), "x");
        var y = new Graph().Placeholder(DType.Float32, new Shape(3), "y");
        var e = Assert.Throws<ArgumentException>(() => mine.Add(x, y));
        Assert.That(e!.Message, Is.EqualTo("The input 1 of Add is 'y', which belongs to a different graph."));
    }

    [Test]
    public void ADefaultOutputIsNeitherAFetchNorAnInput()
    {
        var g = new Graph();
        using var session = new Session(g);
        var e = Assert.Throws<ArgumentException>(() => session.Run(default(Output)));
        Assert.That(e!.Message, Is.EqualTo("A fetch is a default value that names no node."));
        e = Assert.Throws<ArgumentException>(() => g.Neg(default));
        Assert.That(e!.Message, Is.EqualTo("Input 0 of Neg is a default Output that belongs to no graph."));
    }

    // ---------------------------------------------------------------- feeds and state

    [Test]
    public void FeedingTheWrongShapeNamesThePlaceholderAndBothShapes()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "images");
        using var session = new Session(g);
        var e = Assert.Throws<ShapeException>(() => session.Run(g.Neg(x), new() { [x] = new Tensor(new Shape(50, 28, 28)) }));
        Assert.That(e!.Message, Is.EqualTo("Cannot feed a tensor of shape (50, 28, 28) into placeholder 'images' of shape (?, 784)."));
    }

    [Test]
    public void FeedingTheWrongDTypeNamesThePlaceholderAndBothDTypes()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(3), "x");
        using var session = new Session(g);
        var e = Assert.Throws<ArgumentException>(() => session.Run(g.Neg(x), new() { [x] = new[] { 1, 2, 3 } }));
        Assert.That(e!.Message, Does.Contain("Int32 tensor into placeholder 'x' of dtype Float32"));
    }

    [Test]
    public void UninitialisedVariableSaysHowToInitialiseIt()
    {
        var g = new Graph();
        var w = g.Variable(Init.Ones(2, 2), "W");
        using var session = new Session(g);
        var e = Assert.Throws<RunException>(() => session.Run(g.ReduceSum(w)));
        Assert.That(e!.Message, Is.EqualTo(
            "Attempting to use uninitialized variable 'W'. Run its initializer first, e.g. sess.Run(g.GlobalVariablesInitializer())."));
        e = Assert.Throws<RunException>(() => session.GetValue(w));
        Assert.That(e!.Message, Does.StartWith("Attempting to use uninitialized variable 'W'."));
    }

    [Test]
    public void MissingFeedNamesThePlaceholderItsDTypeAndShape()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4), "x");
        var labels = g.Placeholder(DType.Int32, new Shape(-1), "labels");
        var loss = g.ReduceSum(x) + g.ReduceSum(g.Cast(labels, DType.Float32));
        using var session = new Session(g);
        var e = Assert.Throws<RunException>(() => session.Run(loss, new() { [x] = new float[,] { { 1, 2, 3, 4 } } }));
        Assert.That(e!.Message, Is.EqualTo("You must feed a value for placeholder 'labels' (Int32, shape (?,))."));
    }

    // ---------------------------------------------------------------- gradients

    [Test]
    public void GradientThroughAComparisonNamesTheOp()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 10), "x");
        var w = g.Variable(Init.Ones(10), "w");
        var positive = g.Greater(x * w, g.ZerosLike(x), "positive");
        var loss = g.ReduceSum(g.Cast(positive, DType.Float32));
        int before = g.Nodes.Count;
        var e = Assert.Throws<InvalidOperationException>(() => g.Gradients([loss], [w]));
        Assert.That(e!.Message, Is.EqualTo("No gradient defined for op 'positive' (Greater)"));
        Assert.That(g.Nodes, Has.Count.EqualTo(before), "the failed gradient leaves no nodes behind");
    }

    [Test]
    public void OptimizerThroughArgMaxNamesTheOp()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        var w = g.Variable(Init.Ones(3, 3), "W");
        var predicted = g.ArgMax(g.MatMul(x, w), 1, "predicted");
        var loss = g.ReduceMean(g.Cast(predicted, DType.Float32));
        var e = Assert.Throws<InvalidOperationException>(() => new GradientDescentOptimizer(0.1).Minimize(loss));
        Assert.That(e!.Message, Is.EqualTo("No gradient defined for op 'predicted' (ArgMax)"));
    }

    /// <summary>A Cast to Int32 ends the float path as an ArgMax does: truncated values carry no gradient.</summary>
    [Test]
    public void GradientThroughACastToIntegersNamesTheCast()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        var w = g.Variable(Init.Ones(3), "w");
        var truncated = g.Cast(x * w, DType.Int32, "truncated");
        var loss = g.ReduceSum(g.Cast(truncated, DType.Float32));
        int before = g.Nodes.Count;
        var e = Assert.Throws<InvalidOperationException>(() => g.Gradients([loss], [w]));
        Assert.That(e!.Message, Is.EqualTo("No gradient defined for op 'truncated' (Cast)"));
        Assert.That(g.Nodes, Has.Count.EqualTo(before));
    }

    // ---------------------------------------------------------------- control dependencies

    /// <summary>
    /// Control inputs come only from <see cref="Graph.ControlDependencies"/>, a scope whose dependencies
    /// already exist while the nodes that get them are being built. A node can therefore only wait for
    /// older nodes, as it can only read older ones, and no sequence of calls closes a cycle: every input,
    /// data or control, has a smaller id than its node. This builds the tangles people try (nested scopes,
    /// a dependency on a node's own input, the same scope around a node and its consumer, a group of
    /// updates that read each other) and checks that ordering on every node.
    /// </summary>
    [Test]
    public void ControlDependenciesCannotCloseACycle()
    {
        var g = new Graph();
        var counter = g.Variable(Init.Zeros(1), "counter");
        var step = g.AssignAdd(counter, g.Constant(1.0, new Shape(1)), "step");
        Output read, twice, after;
        using (g.ControlDependencies(step.Node))
        {
            read = g.Identity(counter, "read");
            using (g.ControlDependencies(read.Node, counter.Node))
                twice = g.Add(read, read, "twice");
        }
        using (g.ControlDependencies(twice.Node, step.Node))
            after = g.AssignAdd(counter, twice, "after");
        var all = g.Group(new[] { step.Node, after.Node }, "all");

        foreach (var node in g.Nodes)
        {
            foreach (var input in node.Inputs)
                Assert.That(input.Node.Id, Is.LessThan(node.Id), $"{node} reads {input.Node}");
            foreach (var control in node.ControlInputs)
                Assert.That(control.Id, Is.LessThan(node.Id), $"{node} waits for {control}");
        }
        Assert.That(twice.Node.ControlInputs, Is.EquivalentTo(new[] { step.Node, read.Node, counter.Node }), "nested scopes add up");
        Assert.That(after.Node.ControlInputs, Is.EquivalentTo(new[] { twice.Node, step.Node }));

        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        session.Run(all);
        // step: 1; read = 1; twice = 2; after: 1 + 2 = 3. The group runs step once although two paths lead to it.
        Assert.That(session.GetValue(counter).ToArray<float>(), Is.EqualTo(new[] { 3f }));
    }

    [Test]
    public void ControlDependencyOnAnotherGraphsNodeIsRefused()
    {
        var g = new Graph();
        var elsewhere = new Graph().Constant(1.0, Shape.Scalar, name: "elsewhere");
        var e = Assert.Throws<ArgumentException>(() => g.ControlDependencies(elsewhere.Node));
        Assert.That(e!.Message, Is.EqualTo("Control dependency 'elsewhere' (Const) belongs to a different graph."));
    }

    /// <summary>
    /// The one way around the ordering above is to cast a node's input lists to the arrays behind them and
    /// write into those: nothing in the engine would notice the cycle, and a run would read a value no step
    /// wrote. The lists should be read-only wrappers.
    /// </summary>
    [Test]
    public void ANodesInputListsCannotBeRewrittenThroughACast()
    {
        var g = new Graph();
        var a = g.Constant(1.0, Shape.Scalar, name: "a");
        Node b;
        using (g.ControlDependencies(a.Node)) b = g.Neg(a, "b").Node;
        Assert.That(b.ControlInputs, Is.Not.InstanceOf<Node[]>());
        Assert.That(b.Inputs, Is.Not.InstanceOf<Output[]>());
    }
}
