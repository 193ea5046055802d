using GraphDL.Backends.Cuda;
using GraphDL.Tests.Gpu;
using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// The CTC loss (tf.nn.ctc_loss) against a brute-force sum over every alignment path, computed here; its options;
/// its gradient against central differences; a batch of different lengths; its errors; the emulated GPU; training.
/// </summary>
public class CtcLossTests
{
    /// <summary>Seeded logits in [-2, 2) of the given shape, in Float64.</summary>
    internal static Tensor RandomLogits(Shape shape, int seed)
    {
        var rng = new Random(seed);
        var t = new Tensor(shape, DType.Float64);
        for (int k = 0; k < t.Size; k++) t.SetDouble(k, rng.NextDouble() * 4 - 2);
        return t;
    }

    private static double[] Softmax(IReadOnlyList<double> row)
    {
        double max = row.Max();
        var e = row.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    /// <summary>
    /// -log Σ over every path π in classes^time whose decoding is <paramref name="label"/> of Π_t p_t(π_t). The
    /// decoding merges runs of one class (when <paramref name="mergeRepeated"/>) and then drops the blanks.
    /// </summary>
    internal static double BruteForceLoss(double[][] probabilities, int[] label, int blank, bool mergeRepeated)
    {
        int time = probabilities.Length, classes = time == 0 ? 1 : probabilities[0].Length;
        var path = new int[time];
        double total = 0;
        for (long n = 0; n < (long)Math.Pow(classes, time); n++)
        {
            long rest = n;
            for (int t = 0; t < time; t++, rest /= classes) path[t] = (int)(rest % classes);
            var decoded = new List<int>();
            for (int t = 0; t < time; t++)
            {
                if (mergeRepeated && t > 0 && path[t] == path[t - 1]) continue;
                if (path[t] != blank) decoded.Add(path[t]);
            }
            if (!decoded.SequenceEqual(label)) continue;
            double p = 1;
            for (int t = 0; t < time; t++) p *= probabilities[t][path[t]];
            total += p;
        }
        return -Math.Log(total);
    }

    /// <summary>Row t of a time-major logits tensor for example b, softmaxed.</summary>
    internal static double[][] Probabilities(Tensor logits, int b, int time, bool timeMajor = true)
    {
        int maxTime = logits.Shape[timeMajor ? 0 : 1], batch = logits.Shape[timeMajor ? 1 : 0], classes = logits.Shape[2];
        return [.. Enumerable.Range(0, time).Select(t => Softmax(Enumerable.Range(0, classes)
            .Select(c => logits.GetDouble((timeMajor ? t * batch + b : b * maxTime + t) * classes + c)).ToArray()))];
    }

    private static int[] Parse(string labels) => labels.Length == 0 ? [] : [.. labels.Split(',').Select(int.Parse)];

    /// <summary>One example's CTC loss through the op; the labels are padded with a valid id past their length, which must not matter.</summary>
    private static double OpLoss(Tensor logits, int[] label, int blankIndex = -1, bool mergeRepeated = true, bool collapseRepeated = false)
    {
        var g = new Graph();
        int padded = label.Length + 2;
        var row = new int[1, padded];
        for (int i = 0; i < padded; i++) row[0, i] = i < label.Length ? label[i] : 0;
        var loss = g.CtcLoss(g.Constant(row), g.Constant(logits), g.Constant(new[] { label.Length }), g.Constant(new[] { logits.Shape[0] }),
            blankIndex, ctcMergeRepeated: mergeRepeated, preprocessCollapseRepeated: collapseRepeated);
        using var sess = new Session(g);
        return sess.Run(loss).GetDouble(0);
    }

    [TestCase(1, 2, "0", -1, true)]
    [TestCase(3, 3, "0,1", -1, true)]
    [TestCase(3, 3, "1,1", -1, true)]              // a repeat needs the blank between: exactly three frames
    [TestCase(4, 3, "1,1", -1, true)]
    [TestCase(5, 4, "0,1,0", -1, true)]
    [TestCase(5, 4, "2,2,1", -1, true)]
    [TestCase(5, 3, "0,0,0", -1, true)]
    [TestCase(4, 3, "", -1, true)]                 // the empty label: every frame blank
    [TestCase(5, 4, "1,3,3", 0, true)]             // blank 0, as TF2's default
    [TestCase(4, 4, "0,2,0", 1, true)]             // a blank in the middle of the classes
    [TestCase(3, 3, "0,0,0", -1, false)]           // unmerged repeats need no blank: three frames suffice
    [TestCase(4, 3, "1,1", -1, false)]
    [TestCase(5, 4, "0,0,2", -1, false)]
    [TestCase(5, 4, "1,2", 0, false)]
    public void LossIsTheSumOverEveryAlignment(int time, int classes, string labels, int blankIndex, bool mergeRepeated)
    {
        var label = Parse(labels);
        var logits = RandomLogits(new Shape(time, 1, classes), time * 31 + classes * 7 + label.Length);
        int blank = blankIndex < 0 ? classes + blankIndex : blankIndex;
        double expected = BruteForceLoss(Probabilities(logits, 0, time), label, blank, mergeRepeated);
        Assert.That(OpLoss(logits, label, blankIndex, mergeRepeated), Is.EqualTo(expected).Within(1e-12 * (1 + expected)));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void CollapseRepeatedMergesTheTargetsRepeatsFirst(bool mergeRepeated)
    {
        var logits = RandomLogits(new Shape(5, 1, 4), 11);
        int[] repeated = [0, 0, 1, 1, 1, 2], collapsed = [0, 1, 2];
        double expected = BruteForceLoss(Probabilities(logits, 0, 5), collapsed, 3, mergeRepeated);
        Assert.That(OpLoss(logits, repeated, mergeRepeated: mergeRepeated, collapseRepeated: true), Is.EqualTo(expected).Within(1e-12 * expected));
        Assert.That(OpLoss(logits, collapsed, mergeRepeated: mergeRepeated), Is.EqualTo(expected).Within(1e-12 * expected));
    }

    [Test]
    public void MergingRepeatsChangesTheLossOfARepeatedLabel()
    {
        // Without merging, "a a" over two frames is the path a a itself; with merging that path decodes to "a" and
        // the label needs a blank between its two a's, which two frames cannot hold.
        var logits = RandomLogits(new Shape(3, 1, 2), 5);
        double merged = OpLoss(logits, [0, 0]), unmerged = OpLoss(logits, [0, 0], mergeRepeated: false);
        var p = Probabilities(logits, 0, 3);
        Assert.That(merged, Is.EqualTo(-Math.Log(p[0][0] * p[1][1] * p[2][0])).Within(1e-12));
        Assert.That(unmerged, Is.EqualTo(BruteForceLoss(p, [0, 0], 1, false)).Within(1e-12));
        Assert.That(unmerged, Is.LessThan(merged));
    }

    /// <summary>A batch of three examples of different label and logit lengths, time-major or batch-major.</summary>
    private static (Graph G, Output Logits, Output Loss, Output Dlogits, Tensor Values) DifferentLengths(bool timeMajor)
    {
        var g = new Graph();
        var values = RandomLogits(timeMajor ? new Shape(5, 3, 4) : new Shape(3, 5, 4), 23);
        var logits = g.Placeholder(DType.Float64, values.Shape, "logits");
        var loss = g.CtcLoss(g.Constant(new[,] { { 0, 1, 1 }, { 2, 9, 9 }, { 1, 0, 2 } }), logits,
            g.Constant(new[] { 3, 1, 3 }), g.Constant(new[] { 5, 2, 4 }), timeMajor: timeMajor, name: "ctc");
        var dlogits = g.Gradients([g.ReduceSum(loss)], [logits])[0]!.Value;
        return (g, logits, loss, dlogits, values);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void EachExampleOfABatchUsesItsOwnLengths(bool timeMajor)
    {
        var (g, logits, loss, dlogits, values) = DifferentLengths(timeMajor);
        using var sess = new Session(g);
        var result = sess.Run([loss, dlogits], new FeedDict { [logits] = values });
        int[][] labels = [[0, 1, 1], [2], [1, 0, 2]];
        int[] times = [5, 2, 4];
        for (int b = 0; b < 3; b++)
            Assert.That(result[0].GetDouble(b), Is.EqualTo(BruteForceLoss(Probabilities(values, b, times[b], timeMajor), labels[b], 3, true)).Within(1e-12 * 10),
                $"example {b}");

        // Each valid frame's gradient is softmax - posterior, two distributions: it sums to zero over the classes.
        // Frames past an example's length get none.
        var gradient = result[1];
        for (int b = 0; b < 3; b++)
            for (int t = 0; t < 5; t++)
            {
                var row = Enumerable.Range(0, 4).Select(c => gradient.GetDouble(((timeMajor ? t * 3 + b : b * 5 + t) * 4) + c)).ToArray();
                if (t < times[b])
                {
                    Assert.That(row.Sum(), Is.EqualTo(0).Within(1e-12), $"example {b}, frame {t}");
                    Assert.That(row.Max(Math.Abs), Is.GreaterThan(1e-3), $"example {b}, frame {t} has a gradient");
                }
                else Assert.That(row, Is.All.EqualTo(0), $"example {b}, frame {t} is past its length");
            }
    }

    private static IEnumerable<GradCase> GradientCases()
    {
        // (time, batch, classes) with labels that fit every example's frames, in both layouts and with each option.
        yield return new("1x1x2", [new Shape(1, 1, 2)], (g, x) =>
            g.CtcLoss(g.Constant(new[,] { { 0 } }), x[0], g.Constant(new[] { 1 }), g.Constant(new[] { 1 })));
        yield return new("3x1x3/empty-label", [new Shape(3, 1, 3)], (g, x) =>
            g.CtcLoss(g.Constant(new[,] { { 1 } }), x[0], g.Constant(new[] { 0 }), g.Constant(new[] { 3 })));
        yield return new("4x3x5/lengths", [new Shape(4, 3, 5)], (g, x) =>
            g.CtcLoss(g.Constant(new[,] { { 0, 3 }, { 2, 2 }, { 1, 0 } }), x[0], g.Constant(new[] { 2, 2, 1 }), g.Constant(new[] { 4, 3, 2 })));
        yield return new("batch-major-6x2x3", [new Shape(2, 6, 3)], (g, x) =>
            g.CtcLoss(g.Constant(new[,] { { 0, 0, 1 }, { 1, 0, 0 } }), x[0], g.Constant(new[] { 3, 2 }), g.Constant(new[] { 6, 5 }),
                blankIndex: 2, timeMajor: false));
        yield return new("5x2x4/blank-1/no-merge", [new Shape(5, 2, 4)], (g, x) =>
            g.CtcLoss(g.Constant(new[,] { { 0, 0, 2, 3 }, { 3, 3, 3, 0 } }), x[0], g.Constant(new[] { 4, 3 }), g.Constant(new[] { 5, 4 }),
                blankIndex: 1, ctcMergeRepeated: false));
        yield return new("5x2x4/collapse", [new Shape(5, 2, 4)], (g, x) =>
            g.CtcLoss(g.Constant(new[,] { { 0, 0, 2, 2 }, { 1, 1, 1, 1 } }), x[0], g.Constant(new[] { 4, 4 }), g.Constant(new[] { 5, 3 }),
                preprocessCollapseRepeated: true));
    }

    [TestCaseSource(nameof(GradientCases))]
    public void GradientMatchesCentralDifferences(GradCase c) => NumericalGradientOracle.Check(c);

    [Test]
    public void ASecondDerivativeIsAnErrorNamingTheNode()
    {
        var (g, logits, _, dlogits, _) = DifferentLengths(timeMajor: true);
        var penalty = g.ReduceSum(g.Square(dlogits));
        int before = g.Nodes.Count;
        var e = Assert.Throws<InvalidOperationException>(() => g.Gradients([penalty], [logits]));
        Assert.That(e!.Message, Does.Contain("No second derivative of CtcLoss 'ctc'"));
        Assert.That(g.Nodes.Count, Is.EqualTo(before), "the failed gradient leaves no half-built nodes");
    }

    /// <summary>Runs a two-example CTC loss with the given labels and lengths over 3 frames of 3 classes (blank 2).</summary>
    private static (double[] Loss, double[] Gradient) RunTwoExamples(int[,] labels, int[] labelLength, int[] logitLength, bool ignoreLonger = false,
                                                                     bool mergeRepeated = true)
    {
        var g = new Graph();
        var logits = g.Constant(RandomLogits(new Shape(3, 2, 3), 3));
        var loss = g.CtcLoss(g.Constant(labels), logits, g.Constant(labelLength), g.Constant(logitLength),
            ctcMergeRepeated: mergeRepeated, ignoreLongerOutputsThanInputs: ignoreLonger, name: "ctc");
        var dlogits = g.Gradients([g.ReduceSum(loss)], [logits])[0]!.Value;
        using var sess = new Session(g);
        var result = sess.Run([loss, dlogits]);
        return (result[0].ToDoubles(), result[1].ToDoubles());
    }

    private static string RunError(int[,] labels, int[] labelLength, int[] logitLength, bool mergeRepeated = true) =>
        Assert.Throws<RunException>(() => RunTwoExamples(labels, labelLength, logitLength, mergeRepeated: mergeRepeated))!.Message;

    [Test]
    public void ALabelLongerThanItsFramesIsAnErrorUnlessIgnored()
    {
        // Example 1's "0 1 1" needs four frames (a blank between the 1s) and has three.
        int[,] labels = { { 0, 1, 0 }, { 0, 1, 1 } };
        string message = RunError(labels, [2, 3], [3, 3]);
        Assert.That(message, Does.Contain("CtcLoss 'ctc'").And.Contain("Example 1").And.Contain("need 4 time steps")
            .And.Contain("logitLength is 3").And.Contain("ignoreLongerOutputsThanInputs"));

        // Unmerged repeats need no blank, so the same label fits.
        Assert.That(RunTwoExamples(labels, [2, 3], [3, 3], mergeRepeated: false).Loss, Is.All.GreaterThan(0));

        // Ignored, as TF1: loss 0 and gradient 0 for that example only.
        var (loss, gradient) = RunTwoExamples(labels, [2, 3], [3, 3], ignoreLonger: true);
        Assert.That(loss[0], Is.GreaterThan(0));
        Assert.That(loss[1], Is.Zero);
        var example1 = Enumerable.Range(0, 3).SelectMany(t => Enumerable.Range(0, 3).Select(c => gradient[(t * 2 + 1) * 3 + c]));
        var example0 = Enumerable.Range(0, 3).SelectMany(t => Enumerable.Range(0, 3).Select(c => gradient[(t * 2) * 3 + c]));
        Assert.That(example1, Is.All.Zero);
        Assert.That(example0.Max(Math.Abs), Is.GreaterThan(1e-3));
    }

    [Test]
    public void ALabelOutOfRangeOrEqualToTheBlankIsAnError()
    {
        Assert.That(RunError(new[,] { { 0, 1 }, { 3, 0 } }, [2, 2], [3, 3]),
            Does.Contain("CtcLoss 'ctc'").And.Contain("Example 1: label 3 at position 0 is outside [0, 3)"));
        Assert.That(RunError(new[,] { { 0, -1 }, { 1, 0 } }, [2, 2], [3, 3]), Does.Contain("Example 0: label -1 at position 1"));
        Assert.That(RunError(new[,] { { 0, 1 }, { 1, 2 } }, [2, 2], [3, 3]), Does.Contain("Example 1: label 2 at position 1 is the blank"));
        // Past a row's length the padding may be anything.
        Assert.That(RunTwoExamples(new[,] { { 0, -1 }, { 1, 2 } }, [1, 1], [3, 3]).Loss, Is.All.GreaterThan(0));
    }

    [Test]
    public void ALengthOutOfRangeIsAnError()
    {
        int[,] labels = { { 0, 1 }, { 1, 0 } };
        Assert.That(RunError(labels, [2, 3], [3, 3]), Does.Contain("CtcLoss 'ctc'").And.Contain("Example 1: labelLength 3 is outside [0, 2]"));
        Assert.That(RunError(labels, [-1, 2], [3, 3]), Does.Contain("Example 0: labelLength -1"));
        Assert.That(RunError(labels, [2, 2], [3, 4]), Does.Contain("Example 1: logitLength 4 is outside [0, 3]"));
        Assert.That(RunError(labels, [2, 2], [-1, 3]), Does.Contain("Example 0: logitLength -1"));
    }

    [Test]
    public void BadShapesAndABlankOutsideTheClassesFailWhenBuilt()
    {
        var g = new Graph();
        var logits = g.Placeholder(DType.Float32, new Shape(5, 2, 4), "logits");
        var labels = g.Constant(new[,] { { 0 }, { 1 } });
        var lengths = g.Constant(new[] { 1, 1 });
        Assert.That(() => g.CtcLoss(labels, logits, lengths, lengths, blankIndex: 4, name: "ctc"),
            Throws.InstanceOf<ShapeException>().With.Message.Contain("'ctc'").And.Message.Contain("blankIndex 4 is not a class id of logits with 4 classes"));
        Assert.That(() => g.CtcLoss(labels, logits, lengths, lengths, blankIndex: -5),
            Throws.InstanceOf<ShapeException>().With.Message.Contain("blankIndex -5"));
        Assert.That(() => g.CtcLoss(labels, logits, g.Constant(new[] { 1, 1, 1 }), lengths),
            Throws.InstanceOf<ShapeException>().With.Message.Contain("labelLength has 3 examples, but logits (5, 2, 4) have 2"));
        Assert.That(() => g.CtcLoss(labels, logits, lengths, lengths, timeMajor: false),
            Throws.InstanceOf<ShapeException>().With.Message.Contain("labels has 2 examples, but logits (5, 2, 4) have 5"));
        Assert.That(() => g.CtcLoss(g.Constant(new[] { 0, 1 }), logits, lengths, lengths),
            Throws.InstanceOf<ShapeException>().With.Message.Contain("labels must be [batch, maxLabelLength]"));
        Assert.That(() => g.CtcLoss(labels, logits, g.Constant(new[] { 1.0, 1.0 }), lengths),
            Throws.InstanceOf<ShapeException>().With.Message.Contain("labelLength must be Int32"));
    }

    /// <summary>A small float model on the GPU backend: a MatMul feeds the CTC loss, so its logits live on the device.</summary>
    private static (double[] Loss, double[] Dw) RunOn(IBackend backend)
    {
        var g = new Graph();
        var x = g.Constant(Tensor.FromFlat(Enumerable.Range(0, 4 * 2 * 3).Select(k => (float)Math.Sin(k)).ToArray(), new Shape(8, 3)));
        var w = g.Constant(Tensor.FromFlat(Enumerable.Range(0, 3 * 4).Select(k => (float)Math.Cos(k)).ToArray(), new Shape(3, 4)));
        var logits = g.Reshape(g.MatMul(x, w), [4, 2, 4]);
        var loss = g.CtcLoss(g.Constant(new[,] { { 0, 1 }, { 2, 2 } }), logits, g.Constant(new[] { 2, 2 }), g.Constant(new[] { 4, 3 }));
        var dw = g.Gradients([g.ReduceSum(loss * g.Constant(new[] { 1f, 0.5f }))], [w])[0]!.Value;
        using var sess = new Session(g, backend);
        var result = sess.Run([loss, dw]);
        return (result[0].ToDoubles(), result[1].ToDoubles());
    }

    [RequiresKernelEmulator]
    [Test]
    public void ASessionOnTheEmulatedGpuRunsItOnTheHostWithTheSameValues()
    {
        var cpu = RunOn(GraphDL.Backends.Cpu.CpuBackend.Instance);
        var gpu = RunOn(CudaBackend.Emulated);
        Assert.That(new CtcLoss().RunsOnHost, Is.True, "declared a host op, as TF1's CTCLoss has a CPU kernel only");
        Assert.That(gpu.Loss, Is.EqualTo(cpu.Loss).Within(1e-5));
        Assert.That(gpu.Dw, Is.EqualTo(cpu.Dw).Within(1e-5));
        Assert.That(cpu.Dw.Max(Math.Abs), Is.GreaterThan(1e-3), "the gradient reaches W");
    }

    [Test]
    public void AFewAdamStepsLowerTheLossOfATinyModel()
    {
        // Per-frame features through a dense layer, trained to emit "0 1 1" (with the blank between the 1s) and "2".
        var g = new Graph { Seed = 3 };
        var features = g.Constant(Tensor.FromFlat(Enumerable.Range(0, 6 * 2 * 5).Select(k => (float)Math.Sin(0.7 * k)).ToArray(), new Shape(12, 5)));
        var w = g.Variable(Init.GlorotUniform([5, 4]), "W");
        var b = g.Variable(Init.Zeros(4), "b");
        var logits = g.Reshape(g.MatMul(features, w) + b, [6, 2, 4]);
        var loss = g.ReduceMean(g.CtcLoss(g.Constant(new[,] { { 0, 1, 1 }, { 2, 0, 0 } }), logits, g.Constant(new[] { 3, 1 }), g.Constant(new[] { 6, 4 })));
        var train = new AdamOptimizer(0.1).Minimize(loss);
        using var sess = new Session(g);
        sess.Run(g.GlobalVariablesInitializer());
        var losses = new List<double>();
        for (int step = 0; step < 30; step++) losses.Add(sess.Run([loss, train])[0].GetDouble(0));
        Assert.That(losses[^1], Is.LessThan(0.5 * losses[0]), $"losses {string.Join(", ", losses.Select(l => l.ToString("F3")))}");
    }
}
