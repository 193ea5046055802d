using NUnit.Framework;

namespace GraphDL.Tests.Engine;

/// <summary>
/// Einsum against a plain loop over every assignment of the equation's letters (the definition of Einstein
/// summation), for each supported form; a few hand values; and the equation errors.
/// </summary>
public class EinsumTests
{
    private static readonly Dictionary<char, int> Sizes = new() { ['b'] = 2, ['h'] = 3, ['i'] = 3, ['j'] = 4, ['k'] = 5, ['q'] = 2, ['d'] = 4 };

    private static IEnumerable<TestCaseData> Forms() =>
        new[]
        {
            "ij,jk->ik", "bij,bjk->bik", "bi,bi->b", "i,j->ij", "bhqd,bhkd->bhqk", "ij,ik->jk", "ji,kj->ik",
            "bij,jk->bki", "ij,ij->ij", "ij,ij->", "bij,bkj->bik", "ijk,kj->i", "ij,j->i", "ik,jk",
            "ij->ji", "ij->", "ij->i", "ijk->kij", "ii->", "ii->i", "ij",
        }.Select(equation => new TestCaseData(equation).SetName($"Einsum_{equation.Replace("->", "_to_").Replace(",", "_")}"));

    [TestCaseSource(nameof(Forms))]
    public void MatchesALoopOverEveryLetterAssignment(string equation)
    {
        string[] inputs = equation.Split("->")[0].Split(',');
        var rng = new Random(3);
        var operands = inputs.Select(letters => RandomTensor(rng, letters.Select(c => Sizes[c]).ToArray())).ToArray();
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var g = new Graph();
            var xs = operands.Select(t => g.Cast(g.Constant(t), dtype)).ToArray();
            var y = new Session(g).Run(xs.Length == 1 ? g.Einsum(equation, xs[0]) : g.Einsum(equation, xs[0], xs[1]));
            var (shape, expected) = Reference(equation, operands);
            Assert.That(y.Shape, Is.EqualTo(shape), $"{equation} {dtype}");
            Assert.That(y.ToDoubles(), Is.EqualTo(expected).Within(1e-5), $"{equation} {dtype}");
        }
    }

    [Test]
    public void HandValues()
    {
        var g = new Graph();
        var m = g.Constant(new double[,] { { 1, 2 }, { 3, 4 } });
        var v = g.Constant(new double[] { 1, 10 });
        var sess = new Session(g);
        Assert.That(sess.Run(g.Einsum("ii->", m)).ToDoubles(), Is.EqualTo(new double[] { 5 }), "trace");
        Assert.That(sess.Run(g.Einsum("ii->i", m)).ToDoubles(), Is.EqualTo(new double[] { 1, 4 }), "diagonal");
        Assert.That(sess.Run(g.Einsum("ij->ji", m)).ToDoubles(), Is.EqualTo(new double[] { 1, 3, 2, 4 }), "transpose");
        Assert.That(sess.Run(g.Einsum("ij,j->i", m, v)).ToDoubles(), Is.EqualTo(new double[] { 21, 43 }), "matrix times vector");
        Assert.That(sess.Run(g.Einsum("i,j->ij", v, v)).ToDoubles(), Is.EqualTo(new double[] { 1, 10, 10, 100 }), "outer product");
        Assert.That(sess.Run(g.Einsum("ij,ij->i", m, m)).ToDoubles(), Is.EqualTo(new double[] { 5, 25 }), "row-wise dot products");
    }

    [Test]
    public void AnUnknownBatchSizeIsFilledInAtRunTime()
    {
        var g = new Graph();
        var q = g.Placeholder(DType.Float32, new Shape(-1, 3, 2, 4), "q");
        var k = g.Placeholder(DType.Float32, new Shape(-1, 3, 5, 4), "k");
        var scores = g.Einsum("bhqd,bhkd->bhqk", q, k);
        Assert.That(scores.Shape, Is.EqualTo(new Shape(-1, 3, 2, 5)));
        var rng = new Random(8);
        var qv = RandomTensor(rng, [2, 3, 2, 4]);
        var kv = RandomTensor(rng, [2, 3, 5, 4]);
        var y = new Session(g).Run(scores, new FeedDict { [q] = qv, [k] = kv });
        var (shape, expected) = Reference("bhqd,bhkd->bhqk", [qv, kv]);
        Assert.That(y.Shape, Is.EqualTo(shape));
        Assert.That(y.ToDoubles(), Is.EqualTo(expected).Within(1e-5));
    }

    [TestCase("ij,j1->i", "'1' is not an axis letter")]
    [TestCase("ij,jk->ii", "the result repeats the letter 'i'")]
    [TestCase("ij,jk->iz", "the result's letter 'z' appears in no operand")]
    [TestCase("...ij,jk->...ik", "an ellipsis (...) is not supported")]
    [TestCase("ij->ik", "names 1 operand(s) but was given 2")]
    [TestCase("ijk,jk->ik", "operand 0 has 3 letters ('ijk') but rank 2 (3, 4)")]
    [TestCase("ij,ik->jk", "letter 'i' is 3 in one place and 4 in operand 1 (4, 5)")]
    public void EquationErrorsNameTheEquationAndTheShapes(string equation, string message)
    {
        var g = new Graph();
        var a = g.Placeholder(DType.Float32, new Shape(3, 4), "a");
        var b = g.Placeholder(DType.Float32, new Shape(4, 5), "b");
        var e = Assert.Throws<ShapeException>(() => g.Einsum(equation, a, b));
        Assert.That(e!.Message, Does.StartWith("Cannot build Einsum from ['a' Float32 (3, 4), 'b' Float32 (4, 5)]: Einsum '" + equation + "'")
            .And.Contain(message));
    }

    /// <summary>y[out] = Σ over all other letters of the product of the operands, by brute force.</summary>
    private static (Shape Shape, double[] Values) Reference(string equation, Tensor[] operands)
    {
        string[] parts = equation.Split("->");
        string[] inputs = parts[0].Split(',');
        string output = parts.Length > 1
            ? parts[1]
            : string.Concat(parts[0].Where(char.IsLetter).GroupBy(c => c).Where(c => c.Count() == 1).Select(c => c.Key).Order());
        var size = new Dictionary<char, int>();
        for (int o = 0; o < inputs.Length; o++)
            for (int axis = 0; axis < inputs[o].Length; axis++) size[inputs[o][axis]] = operands[o].Shape[axis];
        string letters = string.Concat(size.Keys);
        var outShape = new Shape(output.Select(c => size[c]).ToArray());
        var result = new double[outShape.Size];
        var values = operands.Select(t => t.ToDoubles()).ToArray();
        var at = new Dictionary<char, int>();
        int total = letters.Aggregate(1, (p, c) => p * size[c]);
        for (int flat = 0; flat < total; flat++)
        {
            for (int l = letters.Length - 1, rest = flat; l >= 0; rest /= size[letters[l]], l--) at[letters[l]] = rest % size[letters[l]];
            double term = 1;
            for (int o = 0; o < inputs.Length; o++) term *= values[o][Offset(inputs[o], at, size)];
            result[Offset(output, at, size)] += term;
        }
        return (outShape, result);
    }

    private static int Offset(string letters, Dictionary<char, int> at, Dictionary<char, int> size) =>
        letters.Aggregate(0, (offset, c) => offset * size[c] + at[c]);

    private static Tensor RandomTensor(Random rng, int[] shape)
    {
        var t = new Tensor(new Shape(shape));
        var span = t.Span<float>();
        for (int i = 0; i < span.Length; i++) span[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }
}
