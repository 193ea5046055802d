using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// <see cref="GradientCheck"/> on users' graphs: correct gradients pass in Float64 and Float32, wrong ones are
/// caught and the op at fault is named, and the variables and the graph are left exactly as they were.
/// </summary>
public class UserGradientCheckTests
{
    /// <summary>tanh with its gradient multiplied by <paramref name="factor"/>: right only for 1.</summary>
    private sealed class ScaledTanh(double factor) : UnaryOp
    {
        protected override UnaryFn Fn => UnaryFn.Tanh;

        public override Output?[] Gradient(GradientContext g, Output dout) => [dout * (1.0 - g.Square(g.Y)) * factor];
    }

    /// <summary>x² with 3x for a gradient: the slip of a hand-written gradient.</summary>
    private sealed class WrongSquare : UnaryOp
    {
        protected override UnaryFn Fn => UnaryFn.Square;

        public override Output?[] Gradient(GradientContext g, Output dout) => [dout * 3.0 * g.Input(0)];
    }

    /// <summary>The identity, refusing any element above <paramref name="limit"/>: makes a run fail partway through a check.</summary>
    private sealed class Fragile(double limit) : UnaryOp
    {
        protected override UnaryFn Fn => UnaryFn.Identity;

        public override void Compute(IBackend be, Tensor[] x, Tensor[] y)
        {
            if (x[0].ToDoubles().Any(v => v > limit)) throw new InvalidOperationException($"an element is above {limit}");
            base.Compute(be, x, y);
        }

        public override Output?[] Gradient(GradientContext g, Output dout) => [dout];
    }

    private static Tensor Uniform(Shape shape, DType dtype, int seed, double scale)
    {
        var rng = new Random(seed);
        var t = new Tensor(shape, dtype);
        for (int i = 0; i < t.Size; i++) t.SetDouble(i, (rng.NextDouble() * 2 - 1) * scale);
        return t;
    }

    private static Tensor OneHotRows(int rows, int classes, DType dtype, int seed)
    {
        var rng = new Random(seed);
        var t = new Tensor(new Shape(rows, classes), dtype);
        for (int i = 0; i < rows; i++) t.SetDouble(i * classes + rng.Next(classes), 1);
        return t;
    }

    /// <summary>A two-layer classifier x·W1 + b1 → activation → ·W2 + b2 → mean softmax cross-entropy, initialised and fed.</summary>
    private sealed class Classifier
    {
        public Classifier(DType dtype, Func<Op> activation, int batch, int seed = 0)
        {
            var x = Graph.Placeholder(dtype, new Shape(-1, 20), "x");
            var labels = Graph.Placeholder(dtype, new Shape(-1, 5), "labels");
            var w1 = Graph.Variable(Uniform(new Shape(20, 12), dtype, seed + 1, 0.4), "W1");
            var b1 = Graph.Variable(Uniform(new Shape(12), dtype, seed + 2, 0.1), "b1");
            var w2 = Graph.Variable(Uniform(new Shape(12, 5), dtype, seed + 3, 0.5), "W2");
            var b2 = Graph.Variable(Uniform(new Shape(5), dtype, seed + 4, 0.1), "b2");
            Hidden = Graph.AddOp(activation(), [Graph.MatMul(x, w1) + b1], "hidden");
            var logits = Graph.MatMul(Hidden, w2) + b2;
            Loss = Graph.ReduceMean(Graph.SoftmaxCrossEntropyWithLogits(labels, logits), name: "loss");
            Session = new Session(Graph);
            Session.Run(Graph.GlobalVariablesInitializer());
            Feeds = new FeedDict { [x] = Uniform(new Shape(batch, 20), dtype, seed + 5, 2), [labels] = OneHotRows(batch, 5, dtype, seed + 6) };
        }

        public Graph Graph { get; } = new();

        public Output Hidden { get; }

        public Output Loss { get; }

        public Session Session { get; }

        public FeedDict Feeds { get; }
    }

    /// <summary>Every variable's elements, bit for bit.</summary>
    private static Dictionary<string, long[]> Snapshot(Session session) =>
        session.Graph.GlobalVariables.ToDictionary(v => v.Name, v => session.GetValue(v).ToDoubles().Select(BitConverter.DoubleToInt64Bits).ToArray());

    [Test]
    public void CorrectFloat64GraphPassesAndLeavesVariablesAndGraphAsTheyWere()
    {
        var c = new Classifier(DType.Float64, () => new Tanh(), batch: 8);
        var before = Snapshot(c.Session);
        var names = c.Graph.Nodes.Select(n => n.Name).ToList();

        var report = GradientCheck.VerifyGradients(c.Session, c.Loss, c.Feeds);

        Assert.That(report.Passed, Is.True, report.ToString());
        Assert.That(report.Variables.Select(v => v.Variable), Is.EqualTo(new[] { "W1", "b1", "W2", "b2" }));
        Assert.That(report.Variables.Select(v => v.ElementsChecked), Is.EqualTo(new[] { 240, 12, 60, 5 }));
        Assert.That(report.Variables.Max(v => v.MaxAbsError), Is.LessThan(1e-8));
        Assert.That(report.LossValue, Is.EqualTo(c.Session.Run(c.Loss, c.Feeds).Scalar<double>()));
        Assert.That(report.ToString(), Does.Contain("all gradients agree").And.Contain("W1"));
        Assert.That(Snapshot(c.Session), Is.EqualTo(before), "every variable holds its exact value again");
        Assert.That(c.Graph.Nodes.Select(n => n.Name), Is.EqualTo(names), "the check's gradient nodes are gone");
    }

    [Test]
    public void CorrectFloat32ReluNetworkPasses()
    {
        var c = new Classifier(DType.Float32, () => new Relu(), batch: 64);
        var before = Snapshot(c.Session);
        var report = GradientCheck.CheckGradients(c.Session, c.Loss, c.Feeds, new GradientCheckOptions { MaxElementsPerVariable = 120 });
        Assert.That(report.Passed, Is.True, report.ToString());
        Assert.That(report["W1"].ElementsChecked, Is.EqualTo(120));
        Assert.That(Snapshot(c.Session), Is.EqualTo(before), "Float32 values are restored bit for bit too");
    }

    [Test]
    public void CorrectFloat32ConvolutionalNetworkPasses()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 8, 8, 2), "x");
        var labels = g.Placeholder(DType.Float32, new Shape(-1, 3), "labels");
        var filter = g.Variable(Uniform(new Shape(3, 3, 2, 4), DType.Float32, 1, 0.5), "filter");
        var w = g.Variable(Uniform(new Shape(36, 3), DType.Float32, 2, 0.5), "W");
        var pooled = g.MaxPool(g.Relu(g.Conv2D(x, filter)), 2);   // 6x6x4, then 3x3x4
        var logits = g.MatMul(g.Reshape(pooled, [-1, 36]), w);
        var loss = g.ReduceMean(g.SoftmaxCrossEntropyWithLogits(labels, logits));
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict { [x] = Uniform(new Shape(16, 8, 8, 2), DType.Float32, 3, 1), [labels] = OneHotRows(16, 3, DType.Float32, 4) };

        var report = GradientCheck.VerifyGradients(session, loss, feeds, new GradientCheckOptions { MaxElementsPerVariable = 40 });

        Assert.That(report.Passed, Is.True, report.ToString());
        Assert.That(report.Variables.Select(v => v.ElementsChecked), Is.EqualTo(new[] { 40, 40 }));
    }

    [Test]
    public void WrongGradientIsCaughtAndTheOpWhoseGradientIsWrongNamed()
    {
        var c = new Classifier(DType.Float64, () => new WrongSquare(), batch: 8);
        var before = Snapshot(c.Session);
        int nodes = c.Graph.Nodes.Count;

        var e = Assert.Throws<GradientCheckException>(() => GradientCheck.VerifyGradients(c.Session, c.Loss, c.Feeds));

        Assert.That(e!.Message, Does.StartWith("Gradient check of 'loss' failed for variable 'W1' (Float64 (20, 12)): at ["));
        Assert.That(e.Message, Does.Contain(
            "The gradient first goes wrong in 'hidden' (WrongSquare): the gradient with respect to its output agrees with central differences, " +
            "the gradient with respect to its input 'Add' does not."));
        Assert.That(e.Message, Does.EndWith("1 more variable disagrees: 'b1'."));
        Assert.That(e.Suspects, Is.EqualTo(new[] { c.Hidden.Node }));
        Assert.That(e.Variable.Variable, Is.EqualTo("W1"));
        Assert.That(e.Variable.Disagreements, Is.GreaterThan(200), "3x instead of 2x is wrong almost everywhere");
        // W2 and b2 come after the wrong op: their gradients do not go through its gradient, and agree.
        Assert.That(e.Report.Variables.Select(v => v.Passed), Is.EqualTo(new[] { false, false, true, true }));
        Assert.That(e.Report["W1"].Symbolic / e.Report["W1"].Numerical, Is.EqualTo(1.5).Within(1e-6), "3x where 2x is due");
        Assert.That(Snapshot(c.Session), Is.EqualTo(before));
        Assert.That(c.Graph.Nodes, Has.Count.EqualTo(nodes), "the localisation's gradient nodes are gone too");
    }

    [Test]
    public void WrongGradientOfAnOpReadingTheVariableIsNamed()
    {
        var g = new Graph();
        var w = g.Variable(Tensor.FromFlat(new[] { 0.5, -1.25, 2.0 }, new Shape(3)), "w");
        var squared = g.AddOp(new WrongSquare(), [w], "squared");
        var loss = g.ReduceSum(g.Exp(squared * 0.1), name: "loss");
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());

        var e = Assert.Throws<GradientCheckException>(() => GradientCheck.VerifyGradients(session, loss));

        Assert.That(e!.Message, Does.Contain(
            "The gradient first goes wrong in 'squared' (WrongSquare): the gradient with respect to its output agrees with central differences, " +
            "the gradient with respect to its input 'w' does not."));
        Assert.That(e.Message, Does.Contain("3 of 3 elements disagree"));
        Assert.That(e.Suspects, Is.EqualTo(new[] { squared.Node }));
        Assert.That(session.GetValue(w).ToArray<double>(), Is.EqualTo(new[] { 0.5, -1.25, 2.0 }));
    }

    [Test]
    public void TenPercentOffIsCaughtInFloat32AndOnePercentInFloat64()
    {
        var float32 = new Classifier(DType.Float32, () => new ScaledTanh(1.1), batch: 64);
        var report = GradientCheck.CheckGradients(float32.Session, float32.Loss, float32.Feeds, new GradientCheckOptions { MaxElementsPerVariable = 40 });
        Assert.That(report["W1"].Passed, Is.False, report.ToString());
        Assert.That(report["W2"].Passed, Is.True, "W2's gradient does not go through tanh's");

        var float64 = new Classifier(DType.Float64, () => new ScaledTanh(1.01), batch: 64);
        report = GradientCheck.CheckGradients(float64.Session, float64.Loss, float64.Feeds, new GradientCheckOptions { MaxElementsPerVariable = 20 });
        Assert.That(report["W1"].Disagreements, Is.EqualTo(20), report.ToString());
        Assert.That(report["b1"].Disagreements, Is.EqualTo(12));
        Assert.That(report["W2"].Passed && report["b2"].Passed, Is.True);

        // The same Float64 graph with the right gradient passes: what failed was the 1%.
        var right = new Classifier(DType.Float64, () => new ScaledTanh(1.0), batch: 64);
        Assert.That(GradientCheck.CheckGradients(right.Session, right.Loss, right.Feeds, new GradientCheckOptions { MaxElementsPerVariable = 20 }).Passed, Is.True);
    }

    [Test]
    public void VariablesAreRestoredWhenARunFailsPartway()
    {
        var g = new Graph();
        // The second element sits 1.5 steps below the limit: x + h is allowed, x + 2h is not.
        double second = 1 - 1.5 * GradientCheck.Float64Step;
        var w = g.Variable(Tensor.FromFlat(new[] { 0.25, second, -0.5 }, new Shape(3)), "w");
        var loss = g.ReduceSum(g.Square(g.AddOp(new Fragile(1.0), [w], "fragile")), name: "loss");
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        int nodes = g.Nodes.Count;

        var e = Assert.Throws<RunException>(() => GradientCheck.CheckGradients(session, loss));

        Assert.That(e!.Message, Does.Contain("'fragile'").And.Contain("an element is above 1"));
        Assert.That(session.GetValue(w).ToArray<double>(), Is.EqualTo(new[] { 0.25, second, -0.5 }));
        Assert.That(g.Nodes, Has.Count.EqualTo(nodes));
        Assert.That(session.Run(loss).Scalar<double>(), Is.EqualTo(0.0625 + second * second + 0.25).Within(1e-15), "the session still works");
    }

    [Test]
    public void RandomLossIsRefusedNamingTheRandomOp()
    {
        var g = new Graph();
        var w = g.Variable(Init.Ones(4, 4), "w");
        var keep = g.Placeholder(DType.Float32, Shape.Scalar, "keep");
        var loss = g.ReduceSum(g.Dropout(w * 2.0, keep, seed: 7), name: "loss");
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());

        var e = Assert.Throws<InvalidOperationException>(() => GradientCheck.CheckGradients(session, loss, new FeedDict { [keep] = 0.5f }));
        Assert.That(e!.Message, Does.StartWith("The loss 'loss' gave ").And.Contain("(RandomUniform").And.Contain("a keep probability of 1 for dropout"));

        // Fed a keep probability of 1 the same graph is deterministic, and checks.
        Assert.That(GradientCheck.VerifyGradients(session, loss, new FeedDict { [keep] = 1f }).Passed, Is.True);
    }

    [Test]
    public void MistakesInTheCallAreNamed()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, new Shape(3), "x");
        var w = g.Variable(Tensor.FromFlat(new[] { 1.0, 2.0, 3.0 }, new Shape(3)), "w");
        var unused = g.Variable(Tensor.FromFlat(new[] { 1.0 }, new Shape(1)), "unused");
        var loss = g.ReduceSum(x * w, name: "loss");
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict { [x] = new[] { 1.0, 1.0, 1.0 } };

        var e = Assert.Throws<ArgumentException>(() => GradientCheck.CheckGradients(session, loss, new FeedDict { [x] = new[] { 1.0, 1.0, 1.0 }, [w] = new[] { 0.0, 0.0, 0.0 } }));
        Assert.That(e!.Message, Does.StartWith("Variable 'w' is fed, so perturbing its value would change nothing"));

        e = Assert.Throws<ArgumentException>(() => GradientCheck.CheckGradients(session, g.Cast(loss, DType.Int32, "whole"), feeds));
        Assert.That(e!.Message, Does.StartWith("The loss 'whole' is Int32"));

        e = Assert.Throws<ArgumentException>(() => GradientCheck.CheckGradients(session, loss, feeds, new GradientCheckOptions { Variables = [w, unused] }));
        Assert.That(e!.Message, Does.StartWith("The gradient of 'loss' does not reach 'unused'."));

        e = Assert.Throws<ArgumentException>(() => GradientCheck.CheckGradients(session, new Graph().Constant(1.0, Shape.Scalar, DType.Float64, "elsewhere"), feeds));
        Assert.That(e!.Message, Does.Contain("'elsewhere', which belongs to a different graph"));

        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.CheckGradients(session, loss, feeds, new GradientCheckOptions { MaxElementsPerVariable = 0 }));

        // By default only what the gradient reaches is checked: 'unused' is left out, not reported as failing.
        Assert.That(GradientCheck.CheckGradients(session, loss, feeds).Variables.Select(v => v.Variable), Is.EqualTo(new[] { "w" }));
    }

    [Test]
    public void LargeVariablesAreSampledTheSameWayEachTime()
    {
        var c = new Classifier(DType.Float64, () => new WrongSquare(), batch: 4);
        var options = new GradientCheckOptions { MaxElementsPerVariable = 10, Seed = 3 };
        var first = GradientCheck.CheckGradients(c.Session, c.Loss, c.Feeds, options);
        var second = GradientCheck.CheckGradients(c.Session, c.Loss, c.Feeds, options);
        Assert.That(first.Variables.Select(v => v.ElementsChecked), Is.EqualTo(new[] { 10, 10, 10, 5 }));
        Assert.That(second["W1"].WorstIndex, Is.EqualTo(first["W1"].WorstIndex));
        Assert.That(second["W1"].MaxAbsError, Is.EqualTo(first["W1"].MaxAbsError));
    }
}
