using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Guarantees;

/// <summary>
/// Sizes past what one process can hold, and graphs far larger or deeper than the lessons': each works or fails
/// at once with an error that names the shape and the node, never with a bare OutOfMemoryException or a hang.
/// </summary>
public class LimitsTests
{
    [Test]
    public void AShapeWhoseSizeOverflowsSixtyFourBitsIsStillRefused()
    {
        // 65,536^4 = 2^64 wraps a long to exactly 0: a check after the product would let it through as empty.
        var e = Assert.Throws<ShapeException>(() => _ = new Shape(65536, 65536, 65536, 65536).Size)!;
        Assert.That(e.Message, Does.Contain("(65536, 65536, 65536, 65536)").And.Contain("18446744073709551616 elements"));
    }

    [Test]
    public void ABroadcastPastOneTensorsSizeFailsNamingTheNodeAndBothShapes()
    {
        var g = new Graph();
        var a = g.Placeholder(DType.Float32, new Shape(-1, 1), "a");
        var b = g.Placeholder(DType.Float32, new Shape(1, -1), "b");
        var sum = g.Add(a, b, "outer_sum");
        using var session = new Session(g);
        var e = Assert.Throws<RunException>(() => session.Run(sum, new()
        {
            [a] = new Tensor(new Shape(70000, 1)),
            [b] = new Tensor(new Shape(1, 70000)),
        }))!;
        Assert.That(e.Message, Does.Contain("'outer_sum'").And.Contain("(70000, 70000)").And.Contain("4900000000 elements"));
    }

    [Test]
    public void ATileTooLargeToHoldFailsWhenRunNamingTheNode()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 2), "x");
        var tiled = g.Tile(x, [1 << 16, 1 << 16], "tiled");
        using var session = new Session(g);
        var e = Assert.Throws<RunException>(() => session.Run(tiled, new() { [x] = new Tensor(new Shape(2, 2)) }))!;
        Assert.That(e.Message, Does.Contain("Tile 'tiled'").And.Contain("(131072, 131072)"));
    }

    [Test]
    public void ATiledDimensionPastThirtyTwoBitsIsRefusedWhenBuilt()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 2), "x");
        var e = Assert.Throws<ShapeException>(() => g.Tile(x, [1, int.MaxValue], "tiled"))!;
        Assert.That(e.Message, Does.Contain("'tiled'").And.Contain("4,294,967,294"));
        Assert.That(g.Nodes.Count(n => n.Name == "tiled"), Is.Zero, "the failed call adds no node");
    }

    [Test]
    public void AnAbsurdReshapeIsRefusedWhenBuiltAndWhenRun()
    {
        var g = new Graph();
        var known = g.Placeholder(DType.Float32, new Shape(4), "known");
        var built = Assert.Throws<ShapeException>(() => g.Reshape(known, [1 << 20, 1 << 20], "huge"))!;
        Assert.That(built.Message, Does.Contain("'huge'").And.Contain("(1048576, 1048576)"));
        int nodes = g.Nodes.Count;

        var unknown = g.Placeholder(DType.Float32, new Shape(-1), "unknown");
        var later = g.Reshape(unknown, [1 << 20, 1 << 20, -1], "huge_later");
        using var session = new Session(g);
        var run = Assert.Throws<RunException>(() => session.Run(later, new() { [unknown] = new Tensor(new Shape(4)) }))!;
        Assert.That(run.Message, Does.Contain("'huge_later'").And.Contain("not a multiple"));
        Assert.That(g.Nodes.Count, Is.EqualTo(nodes + 2), "the refused reshape left no node behind");
    }

    [Test]
    public void AOneHotDepthPastOneTensorFailsNamingTheNode()
    {
        var g = new Graph();
        var i = g.Placeholder(DType.Int32, new Shape(-1), "labels");
        var hot = g.OneHot(i, int.MaxValue, name: "hot");
        using var session = new Session(g);
        var e = Assert.Throws<RunException>(() => session.Run(hot, new() { [i] = new Tensor(new Shape(4), DType.Int32) }))!;
        Assert.That(e.Message, Does.Contain("OneHot 'hot'").And.Contain("(4, 2147483647)"));
    }

    [Test]
    public void AHundredThousandNodeGraphBuildsRunsAndDifferentiates()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2), "x");
        var w = g.Variable(Init.Ones(2), "w");
        var y = g.Mul(x, w);
        for (int i = 0; i < 100_000; i++) y = g.Add(y, w);
        Assert.That(g.Nodes.Count, Is.GreaterThan(100_000));
        var grad = g.Gradients([g.ReduceSum(y)], [w])[0] ?? throw new AssertionException("no gradient");

        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var r = session.Run([y, grad], new() { [x] = Tensor.FromFlat(new[] { 3f, 4f }, new Shape(2)) });
        Assert.That(r[0].ToDoubles(), Is.EqualTo(new[] { 100_003.0, 100_004.0 }));
        Assert.That(r[1].ToDoubles(), Is.EqualTo(new[] { 100_003.0, 100_004.0 }), "d/dw of sum(x*w + 100,000 w) is x + 100,000");
    }

    [Test]
    public void GradientsThroughATenThousandDeepChainDoNotOverflowTheStack()
    {
        var g = new Graph();
        var w = g.Variable(Init.Constant(0.5, 1), "w");
        var y = w;
        var shrink = g.Constant(0.999f);
        for (int i = 0; i < 10_000; i++) y = g.Mul(g.Tanh(y), shrink);
        var grad = g.Gradients([g.ReduceSum(y)], [w])[0] ?? throw new AssertionException("no gradient");
        var second = g.Gradients([g.ReduceSum(grad)], [w])[0];
        Assert.That(second, Is.Not.Null, "the gradient of a 10,000-deep gradient is built too");

        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        double expected = 1, value = 0.5;
        for (int i = 0; i < 10_000; i++)
        {
            double t = Math.Tanh((float)value);
            expected *= (1 - t * t) * 0.999;
            value = (float)(t * 0.999);
        }
        // 20,000 float32 roundings along the chain bound the relative error by about 20,000 x 6e-8 = 1.2e-3.
        Assert.That(session.Run(grad).ToDoubles()[0], Is.EqualTo(expected).Within(0.12).Percent);
    }

    [Test]
    public void ACheckpointVariableTooLargeToReadBackIsRefusedBeforeAnythingIsWritten()
    {
        var g = new Graph();
        var small = g.Variable(Init.Zeros(3), "small");
        // Never initialised nor allocated: the refusal comes from the declared shape alone.
        var huge = g.Variable(Init.Zeros(1 << 20, 1 << 10), "huge");
        using var session = new Session(g);
        var folder = Directory.CreateTempSubdirectory("graphdl-limits-").FullName;
        try
        {
            var e = Assert.Throws<ArgumentException>(() => new Saver([small, huge]).Save(session, Path.Combine(folder, "model")))!;
            Assert.That(e.Message, Does.Contain("Variable 'huge'").And.Contain("(1048576, 1024)").And.Contain("4,294,967,296 bytes"));
            Assert.That(Directory.GetFiles(folder), Is.Empty);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A checkpoint of several GiB: 5 variables of 1 GiB, so that the archive needs zip64 offsets past 4 GiB. Saving
    /// and restoring copy no variable, so the variables and one initial value are all that is ever held; 5 GiB are
    /// written, then read twice (checked, then restored): run it with <c>--filter TestCategory=Long</c>.
    /// </summary>
    [Test, Explicit("5 GiB on disk and several minutes of disk traffic"), Category("Long")]
    public void ACheckpointOfSeveralGibibytesSavesAndRestores()
    {
        const int Count = 5, Elements = 1 << 28;
        var g = new Graph();
        var variables = Enumerable.Range(0, Count).Select(i => g.Variable(Init.Constant(i + 0.5, Elements), $"block{i}")).ToArray();
        // Every element is checked through its variable's least and greatest, so no value is fetched whole.
        Fetch[] extremes = [.. variables.SelectMany(v => new[] { g.ReduceMin(v), g.ReduceMax(v) }).Select(o => (Fetch)o)];
        // Zeros are assigned in place through one pooled buffer, so the variables stay the only large values alive.
        var clear = g.Group(variables.Select(v => g.Assign(v, g.ZerosLike(v)).Node));
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var folder = Directory.CreateTempSubdirectory("graphdl-limits-").FullName;
        try
        {
            var saver = new Saver(variables);
            string file = saver.Save(session, Path.Combine(folder, "model"));
            Assert.That(new FileInfo(file).Length, Is.GreaterThan(5L << 30));
            session.Run(clear);
            Assert.That(session.Run(extremes).Select(t => t.ToDoubles()[0]), Is.All.Zero);
            saver.Restore(session, file);
            Assert.That(GC.GetTotalMemory(forceFullCollection: true), Is.LessThan((Count + 1L) << 30), "restoring left no copy of a variable behind");
            var restored = session.Run(extremes).Select(t => t.ToDoubles()[0]).ToArray();
            for (int i = 0; i < Count; i++)
                Assert.That(restored.AsSpan(2 * i, 2).ToArray(), Is.EqualTo(new[] { i + 0.5, i + 0.5 }), $"block{i}'s least and greatest");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
