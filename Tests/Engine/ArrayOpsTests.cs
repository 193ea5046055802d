using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// tf.stack, tf.unstack, tf.split, tf.pad and tf.range against values worked out by hand (the catalogue checks
/// their gradients), and the messages their mistakes get.
/// </summary>
public class ArrayOpsTests
{
    private static readonly float[,] TwoByThree = { { 1, 2, 3 }, { 4, 5, 6 } };

    private static Tensor Run(Graph g, Output y, FeedDict? feeds = null) => new Session(g).Run(y, feeds);

    // ---------------------------------------------------------------- Stack and Unstack

    [TestCase(0, new[] { 3, 2 }, new double[] { 1, 2, 3, 4, 5, 6 })]
    [TestCase(1, new[] { 2, 3 }, new double[] { 1, 3, 5, 2, 4, 6 })]
    [TestCase(-1, new[] { 2, 3 }, new double[] { 1, 3, 5, 2, 4, 6 })]
    [TestCase(-2, new[] { 3, 2 }, new double[] { 1, 2, 3, 4, 5, 6 })]
    public void StackJoinsAlongANewAxis(int axis, int[] shape, double[] expected)
    {
        var g = new Graph();
        var y = g.Stack([g.Constant(new float[] { 1, 2 }), g.Constant(new float[] { 3, 4 }), g.Constant(new float[] { 5, 6 })], axis);
        Assert.That(y.Shape, Is.EqualTo(new Shape(shape)));
        var value = Run(g, y);
        Assert.That(value.Shape, Is.EqualTo(new Shape(shape)));
        Assert.That(value.ToDoubles(), Is.EqualTo(expected));
    }

    [Test]
    public void StackKeepsAnUnknownBatchAndNamesItsResult()
    {
        var g = new Graph();
        var a = g.Placeholder(DType.Float32, new Shape(-1, 2), "a");
        var b = g.Placeholder(DType.Float32, new Shape(-1, 2), "b");
        var y = g.Stack([a, b], axis: 1, name: "pair");
        Assert.That(y.Shape, Is.EqualTo(new Shape(-1, 2, 2)));
        Assert.That(y.Name, Does.StartWith("pair"));
        var value = Run(g, y, new FeedDict { [a] = new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, [b] = new float[,] { { 7, 8 }, { 9, 10 }, { 11, 12 } } });
        Assert.That(value.Shape, Is.EqualTo(new Shape(3, 2, 2)));
        Assert.That(value.ToDoubles(), Is.EqualTo(new double[] { 1, 2, 7, 8, 3, 4, 9, 10, 5, 6, 11, 12 }));
    }

    [Test]
    public void StackOfDifferentShapesNamesBoth()
    {
        var g = new Graph();
        var a = g.Placeholder(DType.Float32, new Shape(2, 3), "a");
        var b = g.Placeholder(DType.Float32, new Shape(3, 2), "b");
        var e = Assert.Throws<ShapeException>(() => g.Stack([a, b]));
        Assert.That(e!.Message, Is.EqualTo("Stack needs tensors of one shape, but 'b' (3, 2) differs from 'a' (2, 3)."));
        e = Assert.Throws<ShapeException>(() => g.Stack([a, a], axis: 3));
        Assert.That(e!.Message, Is.EqualTo("Stack of tensors of shape (2, 3) takes an axis in [-3, 2], got 3."));
        Assert.Throws<ArgumentException>(() => g.Stack([]));
    }

    [TestCase(0, new[] { 3 }, new double[] { 1, 2, 3 }, new double[] { 4, 5, 6 })]
    [TestCase(1, new[] { 2 }, new double[] { 1, 4 }, new double[] { 2, 5 }, new double[] { 3, 6 })]
    [TestCase(-1, new[] { 2 }, new double[] { 1, 4 }, new double[] { 2, 5 }, new double[] { 3, 6 })]
    public void UnstackTakesTheAxisApart(int axis, int[] shape, params double[][] expected)
    {
        var g = new Graph();
        var parts = g.Unstack(g.Constant(TwoByThree), axis);
        Assert.That(parts, Has.Length.EqualTo(expected.Length));
        using var sess = new Session(g);
        for (int i = 0; i < parts.Length; i++)
        {
            Assert.That(parts[i].Shape, Is.EqualTo(new Shape(shape)));
            Assert.That(sess.Run(parts[i]).ToDoubles(), Is.EqualTo(expected[i]), $"part {i}");
        }
    }

    [Test]
    public void UnstackUndoesStack()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3, 2), "x");
        var back = g.Stack(g.Unstack(x, 1), 1);
        var value = new float[2, 3, 2];
        for (int i = 0; i < 12; i++) value[i / 6, i / 2 % 3, i % 2] = i * 1.5f;
        Assert.That(Run(g, back, new FeedDict { [x] = value }).ToDoubles(), Is.EqualTo(Enumerable.Range(0, 12).Select(i => i * 1.5)));
    }

    [Test]
    public void UnstackOfAnUnknownAxisSaysHowManyItCannotKnow()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        var e = Assert.Throws<ShapeException>(() => g.Unstack(x));
        Assert.That(e!.Message, Is.EqualTo("Unstack of 'x' (?, 3) needs the size of axis 0 to know how many tensors to make, but it is unknown."));
        Assert.That(g.Unstack(x, 1), Has.Length.EqualTo(3));
        e = Assert.Throws<ShapeException>(() => g.Unstack(g.Constant(Tensor.Scalar(1f), "one")));
        Assert.That(e!.Message, Is.EqualTo("Unstack needs a tensor of rank 1 or more; 'one' is a scalar."));
        e = Assert.Throws<ShapeException>(() => g.Unstack(x, -3));
        Assert.That(e!.Message, Is.EqualTo("Unstack of 'x' (?, 3) takes an axis in [-2, 2), got -3."));
    }

    // ---------------------------------------------------------------- Split

    [Test]
    public void SplitIntoEqualPieces()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 6), "x");
        var pieces = g.Split(x, 3, axis: 1);
        Assert.That(pieces.Select(p => p.Shape), Is.All.EqualTo(new Shape(-1, 2)));
        var feeds = new FeedDict { [x] = new float[,] { { 0, 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10, 11 } } };
        using var sess = new Session(g);
        Assert.That(sess.Run(pieces[0], feeds).ToDoubles(), Is.EqualTo(new double[] { 0, 1, 6, 7 }));
        Assert.That(sess.Run(pieces[1], feeds).ToDoubles(), Is.EqualTo(new double[] { 2, 3, 8, 9 }));
        Assert.That(sess.Run(pieces[2], feeds).ToDoubles(), Is.EqualTo(new double[] { 4, 5, 10, 11 }));
    }

    [Test]
    public void SplitBySizesInfersTheMinusOne()
    {
        var g = new Graph();
        var x = g.Constant(new float[,] { { 0, 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10, 11 } });
        var pieces = g.Split(x, [1, -1, 2], axis: -1);
        Assert.That(pieces.Select(p => p.Shape), Is.EqualTo(new[] { new Shape(2, 1), new Shape(2, 3), new Shape(2, 2) }));
        using var sess = new Session(g);
        Assert.That(sess.Run(pieces[0]).ToDoubles(), Is.EqualTo(new double[] { 0, 6 }));
        Assert.That(sess.Run(pieces[1]).ToDoubles(), Is.EqualTo(new double[] { 1, 2, 3, 7, 8, 9 }));
        Assert.That(sess.Run(pieces[2]).ToDoubles(), Is.EqualTo(new double[] { 4, 5, 10, 11 }));
        var rows = g.Split(x, [2, 0]);
        Assert.That(rows.Select(p => p.Shape), Is.EqualTo(new[] { new Shape(2, 6), new Shape(0, 6) }));
    }

    [Test]
    public void SplitMistakesNameTheTensorAndTheSizes()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 6), "x");
        var e = Assert.Throws<ShapeException>(() => g.Split(x, 4, axis: 1));
        Assert.That(e!.Message, Is.EqualTo("Split of 'x' (?, 6) into 4 pieces along axis 1: the count must be positive and divide 6."));
        e = Assert.Throws<ShapeException>(() => g.Split(x, [1, -1, -1], axis: 1));
        Assert.That(e!.Message, Is.EqualTo("Split of 'x' (?, 6) takes one or more sizes, each non-negative or at most one -1, got [1, -1, -1]."));
        e = Assert.Throws<ShapeException>(() => g.Split(x, [2, 3], axis: 1));
        Assert.That(e!.Message, Is.EqualTo("Split of 'x' (?, 6) into sizes [2, 3] along axis 1: they add up to 5, not 6."));
        e = Assert.Throws<ShapeException>(() => g.Split(x, [4, -1, 3], axis: 1));
        Assert.That(e!.Message, Is.EqualTo("Split of 'x' (?, 6) into sizes [4, -1, 3] along axis 1: they add up to 7, more than 6."));
        e = Assert.Throws<ShapeException>(() => g.Split(x, 2));
        Assert.That(e!.Message, Is.EqualTo("Split of 'x' (?, 6) needs the size of axis 0, but it is unknown."));
        e = Assert.Throws<ShapeException>(() => g.Split(x, 2, axis: 2));
        Assert.That(e!.Message, Is.EqualTo("Split of 'x' (?, 6) takes an axis in [-2, 2), got 2."));
    }

    // ---------------------------------------------------------------- Pad

    private static readonly int[,] OneRowTwoColumns = { { 1, 1 }, { 2, 2 } };

    /// <summary>tf.pad's own documentation example, t = [[1, 2, 3], [4, 5, 6]] padded by [[1, 1], [2, 2]], in each mode.</summary>
    private static IEnumerable<TestCaseData> PadCases()
    {
        yield return new TestCaseData(PadMode.Constant, 0.0, new double[,]
        {
            { 0, 0, 0, 0, 0, 0, 0 },
            { 0, 0, 1, 2, 3, 0, 0 },
            { 0, 0, 4, 5, 6, 0, 0 },
            { 0, 0, 0, 0, 0, 0, 0 },
        }).SetName("Pad_Constant");
        yield return new TestCaseData(PadMode.Constant, -7.0, new double[,]
        {
            { -7, -7, -7, -7, -7, -7, -7 },
            { -7, -7, 1, 2, 3, -7, -7 },
            { -7, -7, 4, 5, 6, -7, -7 },
            { -7, -7, -7, -7, -7, -7, -7 },
        }).SetName("Pad_ConstantValue");
        yield return new TestCaseData(PadMode.Reflect, 0.0, new double[,]
        {
            { 6, 5, 4, 5, 6, 5, 4 },
            { 3, 2, 1, 2, 3, 2, 1 },
            { 6, 5, 4, 5, 6, 5, 4 },
            { 3, 2, 1, 2, 3, 2, 1 },
        }).SetName("Pad_Reflect");
        yield return new TestCaseData(PadMode.Symmetric, 0.0, new double[,]
        {
            { 2, 1, 1, 2, 3, 3, 2 },
            { 2, 1, 1, 2, 3, 3, 2 },
            { 5, 4, 4, 5, 6, 6, 5 },
            { 5, 4, 4, 5, 6, 6, 5 },
        }).SetName("Pad_Symmetric");
    }

    [TestCaseSource(nameof(PadCases))]
    public void PadMatchesTheDocumentedExample(PadMode mode, double constant, double[,] expected)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int32 })
        {
            var g = new Graph();
            var y = g.Pad(g.Cast(g.Constant(TwoByThree), dtype), OneRowTwoColumns, mode, constant);
            Assert.That(y.Shape, Is.EqualTo(new Shape(4, 7)));
            var value = Run(g, y);
            Assert.That(value.DType, Is.EqualTo(dtype));
            Assert.That(value.ToDoubles(), Is.EqualTo(expected.Cast<double>()), dtype.ToString());
        }
    }

    [Test]
    public void PadOfBoolsFillsWithTrueOrFalse()
    {
        var g = new Graph();
        var x = g.Constant(Tensor.FromFlat(new[] { true, false }, new Shape(2)));
        Assert.That(Run(g, g.Pad(x, new[,] { { 1, 2 } }, PadMode.Constant, 1)).ToArray<bool>(), Is.EqualTo(new[] { true, true, false, true, true }));
        Assert.That(Run(g, g.Pad(x, new[,] { { 1, 1 } }, PadMode.Reflect)).ToArray<bool>(), Is.EqualTo(new[] { false, true, false, true }));
    }

    [Test]
    public void PadOfAnUnknownBatchPadsTheBatchItGets()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        var y = g.Pad(x, new[,] { { 0, 1 }, { 2, 0 } }, PadMode.Symmetric);
        Assert.That(y.Shape, Is.EqualTo(new Shape(-1, 5)));
        var value = Run(g, y, new FeedDict { [x] = TwoByThree });
        Assert.That(value.Shape, Is.EqualTo(new Shape(3, 5)));
        Assert.That(value.ToDoubles(), Is.EqualTo(new double[] { 2, 1, 1, 2, 3, 5, 4, 4, 5, 6, 5, 4, 4, 5, 6 }));
    }

    /// <summary>
    /// [1, 2, 3] padded by two on each side, and dout = [1, ..., 7]: each cell of x gets the dout of every cell
    /// that copies it. Reflect [3, 2, 1, 2, 3, 2, 1]: x0 is read at 2 and 6, x1 at 1, 3 and 5, x2 at 0 and 4.
    /// Symmetric [2, 1, 1, 2, 3, 3, 2]: x0 at 1 and 2, x1 at 0, 3 and 6, x2 at 4 and 5. Constant: the middle three.
    /// </summary>
    [TestCase(PadMode.Constant, new double[] { 3, 4, 5 })]
    [TestCase(PadMode.Reflect, new double[] { 3 + 7, 2 + 4 + 6, 1 + 5 })]
    [TestCase(PadMode.Symmetric, new double[] { 2 + 3, 1 + 4 + 7, 5 + 6 })]
    public void PadGradientAddsUpEveryCopy(PadMode mode, double[] expected)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var g = new Graph();
            var x = g.Placeholder(dtype, new Shape(3), "x");
            var dout = g.Cast(g.Constant(new float[] { 1, 2, 3, 4, 5, 6, 7 }), dtype);
            var y = g.Pad(x, new[,] { { 2, 2 } }, mode);
            var dx = g.Gradients([g.ReduceSum(y * dout)], [x])[0]!.Value;
            Tensor values = dtype == DType.Float32 ? new float[] { 1, 2, 3 } : new double[] { 1, 2, 3 };
            Assert.That(Run(g, dx, new FeedDict { [x] = values }).ToDoubles(), Is.EqualTo(expected), $"{mode}, {dtype}");
        }
    }

    [Test]
    public void PadMistakesNameTheNodeAndTheShape()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2, 3), "x");
        var e = Assert.Throws<ShapeException>(() => g.Pad(x, new[,] { { 0, 0 }, { 3, 0 } }, PadMode.Reflect, name: "mirror"));
        Assert.That(e!.Message, Is.EqualTo(
            "Cannot build Pad 'mirror' from ['x' Float32 (2, 3)]: Pad of shape (2, 3) in Reflect mode takes paddings of at most 2 along axis 1 (size 3 - 1), got [[0, 0], [3, 0]]."));
        e = Assert.Throws<ShapeException>(() => g.Pad(x, new[,] { { 3, 0 }, { 0, 0 } }, PadMode.Symmetric));
        Assert.That(e!.Message, Is.EqualTo(
            "Cannot build Pad 'Pad' from ['x' Float32 (2, 3)]: Pad of shape (2, 3) in Symmetric mode takes paddings of at most 2 along axis 0 (size 2), got [[3, 0], [0, 0]]."));
        e = Assert.Throws<ShapeException>(() => g.Pad(x, new[,] { { 1, 1 } }));
        Assert.That(e!.Message, Is.EqualTo(
            "Cannot build Pad 'Pad' from ['x' Float32 (2, 3)]: Pad of a tensor of shape (2, 3) needs paddings of shape (2, 2), one (before, after) row per axis, got (1, 2)."));
        e = Assert.Throws<ShapeException>(() => g.Pad(x, new[,] { { 1, 1, 1 }, { 1, 1, 1 } }));
        Assert.That(e!.Message, Does.EndWith("needs paddings of shape (2, 2), one (before, after) row per axis, got (2, 3)."));
        e = Assert.Throws<ShapeException>(() => g.Pad(x, new[,] { { 0, 0 }, { 1, -1 } }));
        Assert.That(e!.Message, Is.EqualTo(
            "Cannot build Pad 'Pad' from ['x' Float32 (2, 3)]: Pad of shape (2, 3) needs non-negative paddings, got [[0, 0], [1, -1]] (axis 1)."));
        var a = Assert.Throws<ArgumentException>(() => g.Pad(x, new[,] { { 0, 0 }, { 1, 1 } }, PadMode.Reflect, constantValues: 2));
        Assert.That(a!.Message, Does.StartWith("Pad in Reflect mode takes no constant value, got 2."));
        Assert.That(g.Nodes, Has.Count.EqualTo(1), "refused nodes are not added");
    }

    [Test]
    public void ReflectPaddingWiderThanAFedBatchFailsAtRunTimeNamingTheNode()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        var y = g.Pad(x, new[,] { { 2, 2 }, { 0, 0 } }, PadMode.Reflect, name: "mirror");
        using var sess = new Session(g);
        Assert.That(sess.Run(y, new FeedDict { [x] = new float[3, 3] }).Shape, Is.EqualTo(new Shape(7, 3)));
        var e = Assert.Catch(() => sess.Run(y, new FeedDict { [x] = TwoByThree }));
        Assert.That(e!.Message, Does.Contain("mirror").And.Contain("at most 1 along axis 0 (size 2 - 1)"));
    }

    // ---------------------------------------------------------------- Range

    [Test]
    public void RangeOfWholeNumbersIsInt32()
    {
        var g = new Graph();
        var upTo = g.Range(5);
        Assert.That(upTo.DType, Is.EqualTo(DType.Int32));
        Assert.That(upTo.Shape, Is.EqualTo(new Shape(5)));
        Assert.That(Run(g, upTo).ToArray<int>(), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
        Assert.That(Run(g, g.Range(3, 18, 3)).ToArray<int>(), Is.EqualTo(new[] { 3, 6, 9, 12, 15 }));
        Assert.That(Run(g, g.Range(3, 17, 3)).ToArray<int>(), Is.EqualTo(new[] { 3, 6, 9, 12, 15 }));
        Assert.That(Run(g, g.Range(10, 0, -3)).ToArray<int>(), Is.EqualTo(new[] { 10, 7, 4, 1 }));
        Assert.That(Run(g, g.Range(-2, 2)).ToArray<int>(), Is.EqualTo(new[] { -2, -1, 0, 1 }));
        var empty = g.Range(4, 4);
        Assert.That(empty.Shape, Is.EqualTo(new Shape(0)));
        Assert.That(Run(g, empty).Size, Is.EqualTo(0));
    }

    [Test]
    public void RangeWithFractionsIsFloat32UnlessAskedOtherwise()
    {
        var g = new Graph();
        var down = g.Range(3, 1, -0.5);
        Assert.That(down.DType, Is.EqualTo(DType.Float32));
        Assert.That(Run(g, down).ToArray<float>(), Is.EqualTo(new[] { 3f, 2.5f, 2f, 1.5f }));
        var quarters = g.Range(0, 1.1, 0.25, DType.Float64, name: "quarters");
        Assert.That(quarters.Name, Does.StartWith("quarters"));
        Assert.That(Run(g, quarters).ToArray<double>(), Is.EqualTo(new[] { 0, 0.25, 0.5, 0.75, 1.0 }));
        Assert.That(Run(g, g.Range(0, 4, 2, DType.Float32)).ToArray<float>(), Is.EqualTo(new[] { 0f, 2f }));
    }

    [Test]
    public void RangeMistakesSayWhatTheRuleIs()
    {
        var g = new Graph();
        var e = Assert.Throws<ArgumentException>(() => g.Range(0, 5, 0));
        Assert.That(e!.Message, Does.StartWith("Range(0, 5, 0) needs a non-zero delta."));
        e = Assert.Throws<ArgumentException>(() => g.Range(5, 0));
        Assert.That(e!.Message, Is.EqualTo("Range(5, 0, 1) needs start <= limit when delta is positive."));
        e = Assert.Throws<ArgumentException>(() => g.Range(0, 1.5, -0.5));
        Assert.That(e!.Message, Is.EqualTo("Range(0, 1.5, -0.5) needs start >= limit when delta is negative."));
        e = Assert.Throws<ArgumentException>(() => g.Range(-1));
        Assert.That(e!.Message, Is.EqualTo("Range(0, -1, 1) needs start <= limit when delta is positive."));
        e = Assert.Throws<ArgumentException>(() => g.Range(0, 3, 1, DType.Bool));
        Assert.That(e!.Message, Does.StartWith("Range makes Int32, Float32 or Float64 values, not Bool."));
        e = Assert.Throws<ArgumentException>(() => g.Range(0, 1.5, 0.5, DType.Int32));
        Assert.That(e!.Message, Does.StartWith("Range with fractions makes Float32 or Float64 values, not Int32."));
        Assert.That(g.Nodes, Is.Empty);
    }
}
