using NUnit.Framework;

namespace GraphDL.Tests.Engine;

public class SessionTests
{
    [Test]
    public void SlideProgramRunsAsWritten()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
        var y = g.Placeholder(DType.Float32, new Shape(-1, 10), "y");
        var W = g.Variable(Init.Zeros(784, 10), "W");
        var b = g.Variable(Init.Zeros(10), "b");
        var h = g.Softmax(g.MatMul(x, W) + b);
        var loss = g.ReduceMean(-g.ReduceSum(y * g.Log(h), axis: 1));
        var train = new GradientDescentOptimizer(0.5).Minimize(loss);
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var batchX = new float[5, 784];
        var batchY = new float[5, 10];
        for (int i = 0; i < 5; i++) { batchX[i, i * 100] = 1; batchY[i, i] = 1; }
        var r = sess.Run([train, loss], new() { [x] = batchX, [y] = batchY });
        Assert.That((float)r[1], Is.EqualTo((float)Math.Log(10)).Within(1e-6), "zero weights give ln 10");
        Assert.That((float)sess.Run(loss, new() { [x] = batchX, [y] = batchY }), Is.LessThan(Math.Log(10)));
        Assert.Throws<InvalidOperationException>(() => _ = r[0], "the training op has no value");
    }

    [Test]
    public void WrongFeedShapeNamesBothShapes()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
        var y = g.ReduceSum(x);
        var e = Assert.Throws<ShapeException>(() => new Session(g).Run(y, new() { [x] = new Tensor(new Shape(50, 2352)) }));
        Assert.That(e!.Message, Is.EqualTo("Cannot feed a tensor of shape (50, 2352) into placeholder 'x' of shape (?, 784)."));
    }

    [Test]
    public void WrongFeedDTypeIsNamed()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2), "x");
        var e = Assert.Throws<ArgumentException>(() => new Session(g).Run(g.Neg(x), new() { [x] = new double[] { 1, 2 } }));
        Assert.That(e!.Message, Is.EqualTo("Cannot feed a Float64 tensor into placeholder 'x' of dtype Float32."));
    }

    [Test]
    public void MissingFeedNamesThePlaceholder()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
        var e = Assert.Throws<RunException>(() => new Session(g).Run(g.ReduceSum(x)));
        Assert.That(e!.Message, Is.EqualTo("You must feed a value for placeholder 'x' (Float32, shape (?, 784))."));
    }

    [Test]
    public void UninitialisedVariableIsNamed()
    {
        var g = new Graph();
        var w = g.Variable(Init.Zeros(3), "weights");
        var e = Assert.Throws<RunException>(() => new Session(g).Run(w * 2.0));
        Assert.That(e!.Message, Does.StartWith("Attempting to use uninitialized variable 'weights'."));
    }

    [Test]
    public void FetchFromAnotherGraphIsRejected()
    {
        var other = new Graph();
        var c = other.Constant(1f, "c");
        var e = Assert.Throws<ArgumentException>(() => new Session(new Graph()).Run(c));
        Assert.That(e!.Message, Is.EqualTo("Fetch 'c' belongs to a different graph than this session's."));
    }

    [Test]
    public void ShapeMismatchFailsAtBuildTimeNamingBothShapes()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
        var w = g.Variable(Init.Zeros(10, 784), "W");
        int before = g.Nodes.Count;
        var e = Assert.Throws<ShapeException>(() => g.MatMul(x, w));
        Assert.That(e!.Message, Does.Contain("(?, 784)").And.Contain("(10, 784)").And.Contain("MatMul"));
        Assert.That(g.Nodes, Has.Count.EqualTo(before));
    }

    [Test]
    public void RunTimeErrorNamesTheNode()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1), "x");
        var y = g.Placeholder(DType.Float32, new Shape(-1), "y");
        var sum = g.Add(x, y, "total");
        var e = Assert.Throws<RunException>(() => new Session(g).Run(sum, new() { [x] = new float[] { 1, 2 }, [y] = new float[] { 1, 2, 3 } }));
        Assert.That(e!.Message, Does.Contain("'total'").And.Contain("(2,)").And.Contain("(3,)"));
    }

    [Test]
    public void NamesAreUniqueAndScoped()
    {
        var g = new Graph();
        var a = g.Constant(1f);
        var m1 = g.Neg(a);
        var m2 = g.Neg(a);
        Output scoped, scopedAgain;
        using (g.NameScope("layer1")) scoped = g.Neg(a);
        using (g.NameScope("layer1")) scopedAgain = g.Neg(a);
        Assert.That(new[] { m1.Name, m2.Name, scoped.Name, scopedAgain.Name },
            Is.EqualTo(new[] { "Neg", "Neg_1", "layer1/Neg", "layer1_1/Neg" }));
    }

    [Test]
    public void ControlDependenciesRunFirstAndGroupRunsAll()
    {
        var g = new Graph();
        var counter = g.Variable(Init.Zeros(1), "counter", trainable: false);
        var inc = g.AssignAdd(counter, g.Constant(new float[] { 1 }));
        Output read;
        using (g.ControlDependencies(inc.Node)) read = g.Identity(counter);
        var twice = g.Group(g.AssignAdd(counter, g.Constant(new float[] { 10 })).Node, g.AssignAdd(counter, g.Constant(new float[] { 100 })).Node);
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        Assert.That(sess.Run(read).ToDoubles(), Is.EqualTo(new double[] { 1 }));
        sess.Run(twice);
        Assert.That(sess.GetValue(counter).ToDoubles(), Is.EqualTo(new double[] { 111 }));
        Assert.That(g.TrainableVariables, Is.Empty);
        Assert.That(g.GlobalVariables, Has.Count.EqualTo(1));
    }

    [Test]
    public void SeedsMakeRandomOpsReproducible()
    {
        double[] Draw(int? graphSeed, int? opSeed)
        {
            var g = new Graph { Seed = graphSeed };
            var r = g.RandomNormal(new Shape(5), seed: opSeed);
            using var s = new Session(g);
            return [.. s.Run(r).ToDoubles(), .. s.Run(r).ToDoubles()];
        }
        Assert.That(Draw(7, null), Is.EqualTo(Draw(7, null)));
        Assert.That(Draw(null, 3), Is.EqualTo(Draw(null, 3)));
        Assert.That(Draw(7, 1), Is.Not.EqualTo(Draw(7, 2)));
        var twoRuns = Draw(7, null);
        Assert.That(twoRuns[..5], Is.Not.EqualTo(twoRuns[5..]), "each run draws new numbers");
    }

    [Test]
    public void RandomOpsGiveTheirStreamsNumbersInOrderInTheirDType()
    {
        // The numbers go straight into each dtype's array: they must be the seeded generator's, in order, through the
        // distribution's formula and a cast to the dtype, which seeded lessons and resumed checkpoints depend on.
        var g = new Graph { Seed = 11 };
        var uniform = g.RandomUniform(new Shape(3, 4), -3, 5, DType.Float32, name: "uniform");
        var normal = g.RandomNormal(new Shape(6), 1, 2, DType.Float64, name: "normal");
        var like = g.RandomUniformLike(g.Constant(0, new Shape(5)), name: "like");
        var likeDouble = g.RandomUniformLike(g.Constant(0, new Shape(2, 3), DType.Float64), name: "like64");
        using var s = new Session(g);
        var drawn = s.Run([uniform, normal, like, likeDouble]);
        var streams = s.RandomStreamStates().ToDictionary(stream => stream.Node);
        Random Generator(string node) => new(streams[node].Seed);

        var r = Generator("uniform");
        Assert.That(drawn[0].ReadOnlySpan<float>().ToArray(), Is.EqualTo(Enumerable.Range(0, 12).Select(_ => (float)(-3 + 8 * r.NextDouble()))));
        r = Generator("normal");
        Assert.That(drawn[1].ReadOnlySpan<double>().ToArray(), Is.EqualTo(Enumerable.Range(0, 6).Select(_ =>
            1 + 2 * (Math.Sqrt(-2.0 * Math.Log(1.0 - r.NextDouble())) * Math.Cos(2.0 * Math.PI * r.NextDouble())))));
        r = Generator("like");
        Assert.That(drawn[2].ReadOnlySpan<float>().ToArray(), Is.EqualTo(Enumerable.Range(0, 5).Select(_ => (float)r.NextDouble())));
        r = Generator("like64");
        Assert.That(drawn[3].ReadOnlySpan<double>().ToArray(), Is.EqualTo(Enumerable.Range(0, 6).Select(_ => r.NextDouble())));
        Assert.That(new[] { "uniform", "normal", "like", "like64" }.Select(node => streams[node].Draws), Is.EqualTo(new long[] { 12, 12, 5, 6 }),
            "numbers given by each stream, two per normal");
    }

    [Test]
    public void InitializersHaveTheirDistributions()
    {
        var g = new Graph { Seed = 3 };
        var normal = g.Variable(Init.RandomNormal([100, 100], mean: 1, stddev: 2), "n");
        var truncated = g.Variable(Init.TruncatedNormal([100, 100], stddev: 0.1), "t");
        var uniform = g.Variable(Init.RandomUniform([100, 100], -3, -1), "u");
        var glorot = g.Variable(Init.GlorotUniform([200, 100]), "glorot");
        var he = g.Variable(Init.HeNormal([50, 100]), "he");
        var constant = g.Variable(Init.Constant(0.1, 4), "c");
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        double[] v(Output o) => s.GetValue(o).ToDoubles();
        Assert.That(v(normal).Average(), Is.EqualTo(1).Within(0.06));
        Assert.That(StdDev(v(normal)), Is.EqualTo(2).Within(0.06));
        Assert.That(v(truncated).Max(Math.Abs), Is.LessThanOrEqualTo(0.2 + 1e-7));
        Assert.That(v(uniform), Is.All.InRange(-3, -1));
        Assert.That(v(glorot).Max(Math.Abs), Is.LessThanOrEqualTo(Math.Sqrt(6.0 / 300) + 1e-7));
        Assert.That(StdDev(v(he)), Is.EqualTo(Math.Sqrt(2.0 / 50)).Within(0.01));
        Assert.That(v(constant), Is.All.EqualTo(0.1f));
    }

    private static double StdDev(double[] xs)
    {
        double mean = xs.Average();
        return Math.Sqrt(xs.Select(x => (x - mean) * (x - mean)).Average());
    }
}
