using NUnit.Framework;
using GraphDL.Data;

namespace GraphDL.Tests.Engine;

/// <summary>The executor's plan reuse: steady-state steps allocate nothing, yet every run computes afresh.</summary>
public class ExecutorTests
{
    private sealed record Mlp(Graph Graph, Output X, Output Y, Output Loss, Output Hidden);

    private static Mlp BuildMlp()
    {
        var g = new Graph { Seed = 3 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 12), "x");
        var y = g.Placeholder(DType.Float32, new Shape(-1, 4), "y");
        var W1 = g.Variable(Init.TruncatedNormal([12, 16], stddev: 0.1), "W1");
        var b1 = g.Variable(Init.Constant(0.1, 16), "b1");
        var W2 = g.Variable(Init.TruncatedNormal([16, 4], stddev: 0.1), "W2");
        var b2 = g.Variable(Init.Constant(0.1, 4), "b2");
        var h1 = g.Relu(g.MatMul(x, W1) + b1);
        // A reshape round trip puts a view op on the path, as flattening layers do.
        var flat = g.Reshape(g.Reshape(h1, [-1, 4, 4]), [-1, 16]);
        var h = g.Softmax(g.MatMul(flat, W2) + b2);
        var loss = g.ReduceMean(g.Neg(g.ReduceSum(y * g.Log(h), 1)));
        return new Mlp(g, x, y, loss, h1);
    }

    private static FeedDict Batch(Mlp m, int rows, int seed)
    {
        var random = new Random(seed);
        var xs = new float[rows * 12];
        for (int i = 0; i < xs.Length; i++) xs[i] = (float)random.NextDouble();
        var ys = new float[rows * 4];
        for (int i = 0; i < rows; i++) ys[i * 4 + random.Next(4)] = 1;
        return new FeedDict { [m.X] = Tensor.FromFlat(xs, new Shape(rows, 12)), [m.Y] = Tensor.FromFlat(ys, new Shape(rows, 4)) };
    }

    private static long AllocatedBytesPerStep(Action step, int steps = 50)
    {
        for (int i = 0; i < 5; i++) step();   // warm-up: plans compile, buffers bind, code is jitted
        return StepAllocations.FewestBytesInAWindow(step, stepsPerWindow: steps) / steps;
    }

    [TestCase("GradientDescent"), TestCase("Momentum"), TestCase("Adam"), TestCase("RmsProp"), TestCase("Adagrad")]
    [TestCase("Adadelta"), TestCase("Adamax"), TestCase("Nadam")]
    public void ASteadyStateTrainingStepAllocatesNothing(string optimizer)
    {
        var m = BuildMlp();
        Optimizer opt = optimizer switch
        {
            "GradientDescent" => new GradientDescentOptimizer(0.5),
            "Momentum" => new MomentumOptimizer(0.1, 0.9),
            "Adam" => new AdamOptimizer(0.01),
            "RmsProp" => new RmsPropOptimizer(0.01),
            "Adadelta" => new AdadeltaOptimizer(1.0),
            "Adamax" => new AdamaxOptimizer(0.01),
            "Nadam" => new NadamOptimizer(0.01),
            _ => new AdagradOptimizer(0.1),
        };
        var train = opt.Minimize(m.Loss);
        using var sess = new Session(m.Graph);
        sess.Run(m.Graph.GlobalVariablesInitializer());
        var feeds = Batch(m, 32, seed: 1);
        Assert.That(AllocatedBytesPerStep(() => sess.Run(train, feeds)), Is.Zero);
    }

    [Test]
    public void FetchingOperationsByListAllocatesNothingEither()
    {
        var m = BuildMlp();
        var train = new GradientDescentOptimizer(0.5).Minimize(m.Loss);
        using var sess = new Session(m.Graph);
        sess.Run(m.Graph.GlobalVariablesInitializer());
        var feeds = Batch(m, 8, seed: 2);
        Fetch[] fetches = [train];
        Assert.That(AllocatedBytesPerStep(() => sess.Run(fetches, feeds)), Is.Zero);
    }

    [Test]
    public void ReusedBuffersNeverLeakIntoFetchedValues()
    {
        var m = BuildMlp();
        var train = new GradientDescentOptimizer(0.5).Minimize(m.Loss);
        using var sess = new Session(m.Graph);
        sess.Run(m.Graph.GlobalVariablesInitializer());
        var feeds = Batch(m, 16, seed: 3);
        var first = sess.Run([train, m.Loss, m.Hidden], feeds);
        float firstLoss = (float)first[1];
        var firstHidden = first[2].ToDoubles();
        for (int i = 0; i < 20; i++) sess.Run(train, feeds);
        var later = sess.Run([train, m.Loss], feeds);
        Assert.That((float)later[1], Is.LessThan(firstLoss), "training went on");
        Assert.That((float)first[1], Is.EqualTo(firstLoss), "an earlier result keeps its value");
        Assert.That(first[2].ToDoubles(), Is.EqualTo(firstHidden));
    }

    [Test]
    public void ANewBatchSizeRebindsBuffersAndMatchesAFreshSession()
    {
        var m = BuildMlp();
        var big = Batch(m, 32, seed: 4);
        var small = Batch(m, 5, seed: 5);
        using var reused = new Session(m.Graph);
        reused.Run(m.Graph.GlobalVariablesInitializer());
        reused.Run(m.Loss, big);
        var afterResize = reused.Run(m.Loss, small);
        var backAgain = reused.Run(m.Loss, big);

        using var fresh = new Session(m.Graph);
        fresh.Run(m.Graph.GlobalVariablesInitializer());
        Assert.That((float)afterResize, Is.EqualTo((float)fresh.Run(m.Loss, small)));
        Assert.That((float)backAgain, Is.EqualTo((float)fresh.Run(m.Loss, big)));
        Assert.That((float)afterResize, Is.Not.EqualTo((float)backAgain), "different batches give different losses");
    }

    [Test]
    public void PlansAreKeptApartByTheirFeedSets()
    {
        var g = new Graph();
        var a = g.Placeholder(DType.Float32, new Shape(2), "a");
        var b = g.Identity(a * 2.0, "b");
        var c = b + 1.0;
        using var sess = new Session(g);
        // Feeding the intermediate b cuts the graph there; the plan that computes b from a must not be reused.
        Assert.That(sess.Run(c, new FeedDict { [a] = new float[] { 1, 2 } }).ToDoubles(), Is.EqualTo(new[] { 3.0, 5.0 }));
        Assert.That(sess.Run(c, new FeedDict { [b] = new float[] { 10, 20 } }).ToDoubles(), Is.EqualTo(new[] { 11.0, 21.0 }));
        Assert.That(sess.Run(c, new FeedDict { [a] = new float[] { 0, 1 } }).ToDoubles(), Is.EqualTo(new[] { 1.0, 3.0 }));
    }

    [Test]
    public void AProfileNamesEveryNodeItTimed()
    {
        var m = BuildMlp();
        var train = new GradientDescentOptimizer(0.5).Minimize(m.Loss);
        using var sess = new Session(m.Graph);
        sess.Run(m.Graph.GlobalVariablesInitializer());
        var feeds = Batch(m, 8, seed: 6);
        sess.Profile = new RunProfile();
        for (int i = 0; i < 3; i++) sess.Run(train, feeds);
        var matMul = sess.Profile.Entries.Single(e => e.Node.Name == "MatMul");
        Assert.That(matMul.Calls, Is.EqualTo(3));
        Assert.That(matMul.Time, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(sess.Profile.Report(top: 100), Does.Contain("MatMul"));
    }

    [Test]
    public void AFedTensorCanBeFetchedBack()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, Shape.Scalar, "x");
        var y = x * 3.0;
        using var sess = new Session(g);
        var fed = Tensor.Scalar(1.5);
        var result = sess.Run([x, y], new FeedDict { [x] = fed });
        Assert.That((double)result[0], Is.EqualTo(1.5));
        Assert.That((double)result[1], Is.EqualTo(4.5));
        Assert.That(result[0], Is.Not.SameAs(fed), "a fetched value is the session's copy, not the caller's tensor");
    }

    [Test]
    public void SharingBuffersByLivenessChangesNoResultAndSavesMemory()
    {
        var m = BuildMlp();
        var train = new AdamOptimizer(0.01).Minimize(m.Loss);
        var feedsA = Batch(m, 32, seed: 7);
        var feedsB = Batch(m, 9, seed: 8);
        (List<float> Losses, double[] Hidden, Session Session) Train(bool share)
        {
            var sess = new Session(m.Graph) { ShareBuffers = share };
            sess.Run(m.Graph.GlobalVariablesInitializer());
            var losses = new List<float>();
            for (int i = 0; i < 6; i++)
            {
                // Change the batch size now and then, so that some runs are binding runs; end on the big batch.
                var feeds = i % 3 == 1 ? feedsB : feedsA;
                losses.Add((float)sess.Run([train, m.Loss], feeds)[1]);
            }
            return (losses, sess.Run(m.Hidden, feedsA).ToDoubles(), sess);
        }
        var (sharedLosses, sharedHidden, shared) = Train(share: true);
        var (ownLosses, ownHidden, own) = Train(share: false);
        Assert.That(sharedLosses, Is.EqualTo(ownLosses), "bit-identical training");
        Assert.That(sharedHidden, Is.EqualTo(ownHidden));

        var trainPlan = shared.Plans.OrderByDescending(p => p.UnsharedBufferBytes).First();
        var ownPlan = own.Plans.OrderByDescending(p => p.UnsharedBufferBytes).First();
        Assert.That(ownPlan.BufferBytes, Is.EqualTo(ownPlan.UnsharedBufferBytes), "without sharing every step has its own buffers");
        TestContext.Out.WriteLine($"training plan buffers: {trainPlan.BufferBytes} bytes shared, {trainPlan.UnsharedBufferBytes} unshared");
        Assert.That(trainPlan.BufferBytes, Is.LessThan(trainPlan.UnsharedBufferBytes * 0.75), "measured: 60%");
        shared.Dispose();
        own.Dispose();
    }

    /// <summary>
    /// Lessons/MnistCnn's layers at a small size: a bias over a convolution's output, ReLU, max pooling, a dense layer,
    /// softmax cross entropy, Adam. Each bias Add may write over the convolution's or the product's output, each ReLU
    /// over the sum, and the backward ReluGrads over the pooling's gradient, none of them read again.
    /// </summary>
    [Test]
    public void OverwritingInputsNoLaterStepReadsChangesNoResultAndSavesMemory()
    {
        var g = new Graph { Seed = 5 };
        var x = g.Placeholder(DType.Float32, new Shape(-1, 8, 8, 1), "x");
        var y = g.Placeholder(DType.Float32, new Shape(-1, 3), "y");
        var W_conv = g.Variable(Init.GlorotUniform([3, 3, 1, 4]), "W_conv");
        var b_conv = g.Variable(Init.Constant(0.05, 4), "b_conv");
        var pooled = g.MaxPool(g.Relu(g.Add(g.Conv2D(x, W_conv, stride: 1, padding: Padding.Same), b_conv, "conv_bias"), "conv_relu"), poolSize: 2, stride: 2);
        var W = g.Variable(Init.GlorotUniform([64, 3]), "W");
        var b = g.Variable(Init.Constant(0.05, 3), "b");
        var logits = g.Add(g.MatMul(g.Flatten(pooled), W), b, "logits");
        var loss = g.ReduceMean(g.SoftmaxCrossEntropyWithLogits(y, logits));
        var train = new AdamOptimizer(0.01).Minimize(loss);
        var random = new Random(2);
        var feeds = new FeedDict
        {
            [x] = Tensor.FromFlat(Enumerable.Range(0, 6 * 64).Select(_ => random.NextSingle() - 0.5f).ToArray(), new Shape(6, 8, 8, 1)),
            [y] = OneHotEncoding.Encode([0, 1, 2, 2, 1, 0], 3),
        };

        (float[] Losses, float[] Weights, Plan Plan, Session Session) Train(bool overwrite)
        {
            var before = Plan.OverwriteInputs;
            Plan.OverwriteInputs = overwrite;
            try
            {
                var sess = new Session(g);
                sess.Run(g.GlobalVariablesInitializer());
                var losses = Enumerable.Range(0, 5).Select(_ => (float)sess.Run([train, loss], feeds)[1]).ToArray();
                var plan = sess.Plans.OrderByDescending(p => p.UnsharedBufferBytes).First();
                return (losses, sess.GetValue(W_conv).ToArray<float>(), plan, sess);
            }
            finally
            {
                Plan.OverwriteInputs = before;
            }
        }
        var (overwrittenLosses, overwrittenWeights, overwritingPlan, overwriting) = Train(overwrite: true);
        var (keptLosses, keptWeights, keepingPlan, keeping) = Train(overwrite: false);
        Assert.That(overwrittenLosses, Is.EqualTo(keptLosses), "bit-identical training");
        Assert.That(overwrittenWeights, Is.EqualTo(keptWeights));
        Assert.That(overwrittenLosses[^1], Is.LessThan(overwrittenLosses[0]));

        var names = overwritingPlan.NodesWritingOverAnInput.Select(n => n.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "conv_bias", "conv_relu", "logits", "gradients/conv_relu_grad/ReluGrad" }));
        Assert.That(keepingPlan.NodesWritingOverAnInput, Is.Empty);
        TestContext.Out.WriteLine($"buffers: {overwritingPlan.BufferBytes} bytes overwriting, {keepingPlan.BufferBytes} not");
        Assert.That(overwritingPlan.BufferBytes, Is.LessThan(keepingPlan.BufferBytes));
        overwriting.Dispose();
        keeping.Dispose();
    }

    /// <summary>
    /// A value that is fetched, read by a later step, or read through a view is never written over, and a bias that is
    /// broadcast into the sum (an operand smaller than the output) never gives the sum its buffer.
    /// </summary>
    [Test]
    public void AValueReadAfterTheStepOrFetchedKeepsItsBuffer()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        var doubled = g.Mul(x, g.Constant(2f), "doubled");
        var shifted = g.Add(g.Exp(g.Constant(new float[] { 0, 0, 0 }), "ones"), doubled, "shifted");  // doubled's last reader but one
        var cut = g.Relu(shifted, "cut");
        var again = g.Add(doubled, cut, "again");                    // reads doubled after cut ran
        var viewed = g.Reshape(g.Neg(x, "negated"), [-1], "flat");   // a view of negated, read below
        var squared = g.Square(g.Reshape(viewed, [-1, 3]), "squared");
        var tail = g.Add(viewed, g.Constant(1f), "tail");            // reads negated through the view after squared
        using var session = new Session(g);
        var feeds = new FeedDict { [x] = Tensor.FromFlat(new float[] { -1, 0.5f, 2, 3, -4, 0 }, new Shape(2, 3)) };
        RunResult result = default!;
        for (int i = 0; i < 2; i++) result = session.Run([shifted, cut, again, squared, tail], feeds);

        Assert.That(result[0].ToArray<float>(), Is.EqualTo(new float[] { -1, 2, 5, 7, -7, 1 }), "shifted, fetched, is not cut's buffer");
        Assert.That(result[1].ToArray<float>(), Is.EqualTo(new float[] { 0, 2, 5, 7, 0, 1 }));
        Assert.That(result[2].ToArray<float>(), Is.EqualTo(new float[] { -2, 3, 9, 13, -8, 1 }), "doubled outlived shifted");
        Assert.That(result[3].ToArray<float>(), Is.EqualTo(new float[] { 1, 0.25f, 4, 9, 16, 0 }));
        Assert.That(result[4].ToArray<float>(), Is.EqualTo(new float[] { 2, 0.5f, -1, -2, 5, 1 }), "negated outlived squared");
        var names = session.Plans.Single().NodesWritingOverAnInput.Select(n => n.Name).ToList();
        Assert.That(names, Is.EquivalentTo(new[] { "again" }), "cut's input is fetched; the rest are read later, a view, or broadcast");
    }

    /// <summary>
    /// A plan run once (an initializer) lets its buffers go, so that large initial values are not held beside the
    /// variables they filled for the session's life; a plan run again keeps its buffers, and a steady step allocates nothing.
    /// </summary>
    [Test]
    public void APlanRunOnceLetsItsBuffersGoAndAPlanRunAgainKeepsThem()
    {
        var g = new Graph();
        var w = g.Variable(Init.RandomNormal([512, 512], seed: 1), "w");
        var x = g.Placeholder(DType.Float32, new Shape(-1, 512), "x");
        var loss = g.ReduceMean(g.Square(g.MatMul(x, w)));
        var train = new GradientDescentOptimizer(0.01).Minimize(loss);
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var initializer = session.Plans.Single();
        Assert.That(initializer.BufferBytes, Is.Zero, "the initializer's plan holds no buffer after its one run");

        var feeds = new FeedDict { [x] = new Tensor(new Shape(8, 512)) };
        session.Run(train, feeds);
        var step = session.Plans.Single(p => p != initializer);
        Assert.That(step.BufferBytes, Is.Zero, "after one run");
        session.Run(train, feeds);
        Assert.That(step.BufferBytes, Is.GreaterThan(0), "kept from the second run on");
        Assert.That(StepAllocations.FewestBytesInAWindow(() => session.Run(train, feeds), stepsPerWindow: 5), Is.Zero);
        Assert.That(session.GetValue(w).ToArray<float>().All(float.IsFinite));
    }

    /// <summary>
    /// Assign copies its value into the variable, so the value's buffer goes back to the pool after it: initializing
    /// four variables holds one initial value at a time, not four beside the variables.
    /// </summary>
    [Test]
    public void AnInitializerHoldsOneInitialValueAtATime()
    {
        var g = new Graph();
        var variables = Enumerable.Range(0, 4).Select(i => g.Variable(Init.RandomNormal([256, 256], seed: i), $"v{i}")).ToArray();
        using var session = new Session(g);
        var initializer = g.GlobalVariablesInitializer();
        session.Run(initializer);
        session.Run(initializer);   // a second run keeps its buffers, so they can be counted
        Assert.That(session.Plans.Single().BufferBytes, Is.EqualTo(256 * 256 * sizeof(float)));
        Assert.That(variables.Select(v => session.GetValue(v).ToArray<float>()[0]).Distinct().Count(), Is.EqualTo(4), "each variable has its own value");
    }
}
