namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    public static IEnumerable<ParityCase> Elementwise()
    {
        // 1031 elements: four full blocks of 256 and a partial fifth; the first elements are the edge values.
        Shape vector = new(1031);
        foreach (var fn in Enum.GetValues<UnaryFn>())
        {
            var x = ElementwiseKit.Edged(vector, 11 + (int)fn, -3, 3, ElementwiseKit.EdgesOf(fn));
            foreach (double alpha in fn is UnaryFn.LeakyRelu or UnaryFn.Elu ? new[] { 0.2, 1.0 } : new[] { 0.0 })
                yield return new("Elementwise", $"Unary {fn}{(alpha != 0 ? $" alpha {alpha}" : "")} {vector}", be => ElementwiseKit.Unary(be, fn, x, alpha));
        }
        // Sizes around a block: nothing may be written past the end, and the last element must be written.
        foreach (int n in new[] { 1, 255, 256, 257 })
        {
            var x = Kit.Random(new Shape(n), n, -5, 5);
            yield return new("Elementwise", $"Unary Sigmoid ({n},)", be => ElementwiseKit.Unary(be, UnaryFn.Sigmoid, x, 0));
            yield return new("Elementwise", $"Unary Elu alpha 0.5 ({n},)", be => ElementwiseKit.Unary(be, UnaryFn.Elu, x, 0.5));
        }
        var ranked = Kit.Random(new Shape(3, 1, 5, 7), 5, -2, 2);
        yield return new("Elementwise", "Unary Tanh (3, 1, 5, 7)", be => ElementwiseKit.Unary(be, UnaryFn.Tanh, ranked, 0));

        // Binary functions, each on its edge pairs and on every broadcast pattern.
        foreach (var fn in Enum.GetValues<BinaryFn>())
        {
            var (a, b) = ElementwiseKit.EdgePairs(fn, new Shape(33, 31), 100 + (int)fn);
            yield return new("Elementwise", $"Binary {fn} (33, 31) edges", be => ElementwiseKit.Binary(be, fn, a, b));
            int pattern = 0;
            foreach (var (sa, sb) in ElementwiseKit.BroadcastPatterns)
            {
                var pa = ElementwiseKit.Operand(fn, 0, sa, 200 + 17 * pattern + (int)fn);
                var pb = ElementwiseKit.Operand(fn, 1, sb, 300 + 17 * pattern++ + (int)fn);
                yield return new("Elementwise", $"Binary {fn} {sa} with {sb}", be => ElementwiseKit.Binary(be, fn, pa, pb));
            }
        }

        // Int32 counter arithmetic over the whole range, so that the wrap on overflow is compared too.
        foreach (var fn in new[] { BinaryFn.Add, BinaryFn.Sub, BinaryFn.Mul, BinaryFn.Maximum, BinaryFn.Minimum })
            foreach (var (sa, sb) in new (Shape, Shape)[] { (new(33, 31), new(33, 31)), (new(33, 31), new(31)), (new(257), new()) })
            {
                var ia = Kit.RandomInts(sa, 900 + (int)fn, int.MinValue, int.MaxValue);
                var ib = Kit.RandomInts(sb, 950 + (int)fn, int.MinValue, int.MaxValue);
                yield return new("Elementwise", $"Binary {fn} Int32 {sa} with {sb}", be => ElementwiseKit.Binary(be, fn, ia, ib), Tolerance: 0);
            }

        // Comparisons: values drawn from a few integers, so that equality happens; NaN in the Float32 pairs.
        foreach (var fn in Enum.GetValues<CompareFn>())
        {
            foreach (var (sa, sb) in new (Shape, Shape)[] { (new(33, 31), new(33, 31)), (new(33, 31), new(31)), (new(5, 1, 3), new(4, 1)), (new(257), new()) })
            {
                var fa = ElementwiseKit.WithValues(Kit.SmallFloats(sa, 400 + (int)fn), float.NaN, 1, float.NaN, -0f);
                var fb = ElementwiseKit.WithValues(Kit.SmallFloats(sb, 500 + (int)fn), float.NaN, float.NaN, 1, 0f);
                var ia = Kit.RandomInts(sa, 600 + (int)fn, -2, 3);
                var ib = Kit.RandomInts(sb, 700 + (int)fn, -2, 3);
                yield return new("Elementwise", $"Compare {fn} Float32 {sa} with {sb}", be => ElementwiseKit.Compare(be, fn, fa, fb));
                yield return new("Elementwise", $"Compare {fn} Int32 {sa} with {sb}", be => ElementwiseKit.Compare(be, fn, ia, ib));
            }
        }

        // Where over each dtype it moves, with the condition, a and b broadcast in turn.
        foreach (var (sc, sa, sb) in new (Shape, Shape, Shape)[]
                 {
                     (new(33, 31), new(33, 31), new(33, 31)), (new(33, 1), new(31), new()), (new(31), new(33, 1), new(33, 31)),
                     (new(), new(7, 13), new(7, 1)), (new(2, 1, 3, 1, 2, 1), new(1, 2, 1, 4, 1, 3), new(2, 2, 3, 4, 2, 3)),
                 })
        {
            var c = Kit.Bools(sc, 800);
            string shapes = $"{sc} ? {sa} : {sb}";
            var fa = Kit.Random(sa, 801);
            var fb = Kit.Random(sb, 802);
            var ia = Kit.RandomInts(sa, 803, -100, 100);
            var ib = Kit.RandomInts(sb, 804, -100, 100);
            var ba = Kit.Bools(sa, 805);
            var bb = Kit.Bools(sb, 806);
            yield return new("Elementwise", $"Where Float32 {shapes}", be => ElementwiseKit.Where(be, c, fa, fb));
            yield return new("Elementwise", $"Where Int32 {shapes}", be => ElementwiseKit.Where(be, c, ia, ib));
            yield return new("Elementwise", $"Where Bool {shapes}", be => ElementwiseKit.Where(be, c, ba, bb));
        }

        // Casts between Float32, Int32 and Bool; float to int truncates toward zero and saturates, NaN gives 0.
        var floats = ElementwiseKit.WithValues(Kit.Random(new Shape(257), 900, -100, 100),
            0f, -0f, 0.5f, -0.5f, 2.99f, -2.99f, 1e10f, -1e10f, 2147483520f, -2147483648f, float.NaN, 1e-30f);
        var ints = ElementwiseKit.WithValues(Kit.RandomInts(new Shape(257), 901, -3, 3), 0, 1, -1, int.MaxValue, int.MinValue, 16777217);
        var bools = Kit.Bools(new Shape(257), 902);
        foreach (var (x, to) in new (Tensor, DType)[]
                 {
                     (floats, DType.Int32), (floats, DType.Bool), (floats, DType.Float32), (ints, DType.Float32), (ints, DType.Bool),
                     (ints, DType.Int32), (bools, DType.Float32), (bools, DType.Int32), (bools, DType.Bool),
                 })
            yield return new("Elementwise", $"Cast {x.DType} to {to} (257,)", be => ElementwiseKit.Cast(be, x, to));
        foreach (var x in new[] { floats, ints, bools })
            yield return new("Elementwise", $"Copy {x.DType} (257,)", be => ElementwiseKit.Copy(be, x));

        foreach (var (dtype, value) in new (DType, double)[] { (DType.Float32, -1.5), (DType.Float32, 0.1), (DType.Int32, -7), (DType.Int32, 3.9), (DType.Bool, 1), (DType.Bool, 0) })
            foreach (int n in new[] { 1, 257 })
                yield return new("Elementwise", $"Fill {dtype} {value} ({n},)", be => ElementwiseKit.Fill(be, new Shape(n), dtype, value));

        // AddN below, at and above one launch's eight inputs.
        foreach (int count in new[] { 1, 2, 3, 8, 9, 17 })
        {
            var xs = Enumerable.Range(0, count).Select(i => Kit.Random(new Shape(5, 67), 1000 + i, -10, 10)).ToArray();
            yield return new("Elementwise", $"AddN of {count} (5, 67)", be => ElementwiseKit.AddN(be, xs));
        }
    }
}

/// <summary>
/// The elementwise cases' runs and inputs: random values with each function's edge cases written over the
/// first ones. A file class, so that its names stay out of the other families' way.
/// </summary>
file static class ElementwiseKit
{
    public static Tensor[] Unary(IBackend be, UnaryFn fn, Tensor x, double alpha)
    {
        var y = Kit.Out(be, x.Shape);
        be.Unary(fn, Kit.On(be, x), y, alpha);
        return [y];
    }

    public static Tensor[] Binary(IBackend be, BinaryFn fn, Tensor a, Tensor b)
    {
        var y = Kit.Out(be, Shape.Broadcast(a.Shape, b.Shape), a.DType);
        be.Binary(fn, Kit.On(be, a), Kit.On(be, b), y);
        return [y];
    }

    public static Tensor[] Compare(IBackend be, CompareFn fn, Tensor a, Tensor b)
    {
        var y = Kit.Out(be, Shape.Broadcast(a.Shape, b.Shape), DType.Bool);
        be.Compare(fn, Kit.On(be, a), Kit.On(be, b), y);
        return [y];
    }

    public static Tensor[] Where(IBackend be, Tensor condition, Tensor a, Tensor b)
    {
        var y = Kit.Out(be, Shape.Broadcast(condition.Shape, Shape.Broadcast(a.Shape, b.Shape)), a.DType);
        be.Where(Kit.On(be, condition), Kit.On(be, a), Kit.On(be, b), y);
        return [y];
    }

    public static Tensor[] Cast(IBackend be, Tensor x, DType to)
    {
        var y = Kit.Out(be, x.Shape, to);
        be.Cast(Kit.On(be, x), y);
        return [y];
    }

    public static Tensor[] Copy(IBackend be, Tensor x)
    {
        var y = Kit.Out(be, x.Shape, x.DType);
        be.Copy(Kit.On(be, x), y);
        return [y];
    }

    public static Tensor[] Fill(IBackend be, Shape shape, DType dtype, double value)
    {
        var y = Kit.Out(be, shape, dtype);
        be.Fill(y, value);
        return [y];
    }

    public static Tensor[] AddN(IBackend be, Tensor[] xs)
    {
        var y = Kit.Out(be, xs[0].Shape);
        be.AddN(xs.Select(x => Kit.On(be, x)).ToArray(), y);
        return [y];
    }

    /// <summary>
    /// Values at which each function is easy to get wrong: signed zeros, NaN, and for the exponentials
    /// arguments far past where e^x overflows. None makes the CPU's result infinite, since the parity check
    /// compares differences and inf - inf is NaN.
    /// </summary>
    public static float[] EdgesOf(UnaryFn fn) => fn switch
    {
        UnaryFn.Exp => [0f, -0f, 1f, -1f, 88f, -88f, -100f, -1000f, 1e-7f, float.NaN],
        UnaryFn.Sigmoid or UnaryFn.Tanh or UnaryFn.Softplus or UnaryFn.Elu =>
            [0f, -0f, 1e-7f, -1e-7f, 15f, -15f, 20f, -20f, 88f, -88f, 89f, -89f, 100f, -100f, 1000f, -1000f, 3e38f, -3e38f, float.NaN],
        UnaryFn.Log or UnaryFn.Sqrt or UnaryFn.Rsqrt or UnaryFn.Reciprocal =>
            [1f, 1e-30f, 1e30f, 0.5f, 2f, 4f, -1f, -1e-7f, float.NaN],
        UnaryFn.Sin or UnaryFn.Cos => [0f, -0f, 1.5707964f, 3.1415927f, 100f, -100f, 1e4f, -1e4f, float.NaN],
        UnaryFn.Floor => [0f, -0f, 0.5f, -0.5f, 2.5f, -2.5f, 1e7f + 1, -1e7f - 1, 1e-30f, -1e-30f, float.NaN],
        UnaryFn.Square => [0f, -0f, 1e18f, -1e18f, 1e-30f, float.NaN],
        UnaryFn.Tan => [0f, -0f, 1e-7f, -1e-7f, 1.57f, -1.57f, 100f, -100f, 1e4f, -1e4f, float.NaN],
        UnaryFn.Atan => [0f, -0f, 1e-30f, 1f, -1f, 1e30f, -1e30f, float.PositiveInfinity, float.NegativeInfinity, float.NaN],
        UnaryFn.Log1p => [0f, -0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, -0.5f, -0.99999994f, 1e30f, -2f, float.NaN],
        UnaryFn.Expm1 => [0f, -0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 1f, 88f, -88f, -100f, -1000f, float.NegativeInfinity, float.NaN],
        UnaryFn.Round => [0f, -0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, 8388609f, 1e30f, -1e30f, float.NaN],
        _ => [0f, -0f, 1f, -1f, 1e-30f, -1e-30f, 1e30f, -1e30f, float.NaN],
    };

    public static Tensor Edged(Shape shape, int seed, double lo, double hi, float[] edges) =>
        WithValues(Kit.Random(shape, seed, lo, hi), edges);

    public static Tensor WithValues<T>(Tensor t, params T[] values)
    {
        var span = t.Span<T>();
        values.AsSpan(0, Math.Min(values.Length, span.Length)).CopyTo(span);
        return t;
    }


    /// <summary>
    /// Operand shapes: equal, a scalar either side, a row vector (the bias add), a column vector, both
    /// broadcast, the (3, 1, 5) with (1, 4, 1) cross, rank 4, rank 6 with every axis alternating (nothing
    /// merges), size-1 dims kept, rank 0 with rank 0, and sizes that end one past a block.
    /// </summary>
    public static readonly (Shape A, Shape B)[] BroadcastPatterns =
    [
        (new(7, 13), new(7, 13)),
        (new(33, 31), new()),
        (new(), new(33, 31)),
        (new(33, 31), new(31)),
        (new(33, 31), new(33, 1)),
        (new(33, 1), new(1, 31)),
        (new(3, 1, 5), new(1, 4, 1)),
        (new(2, 3, 1, 5), new(3, 4, 1)),
        (new(2, 1, 3, 1, 2, 1), new(1, 2, 1, 4, 1, 3)),
        (new(5, 1, 7), new(1, 1, 7)),
        (new(1, 1), new(1)),
        (new(), new()),
        (new(257), new(257)),
        (new(1, 257), new(257, 1)),
    ];

    /// <summary>Operand <paramref name="which"/> (0 = a, 1 = b) of a function, in a range where it is finite and well defined.</summary>
    public static Tensor Operand(BinaryFn fn, int which, Shape shape, int seed) => (fn, which) switch
    {
        (BinaryFn.Pow, 0) => Kit.Random(shape, seed, 0.1, 3),
        (BinaryFn.Pow, 1) => Kit.Random(shape, seed, -3, 3),
        (BinaryFn.Div, 1) => WithSign(Kit.Random(shape, seed, 0.25, 4), seed),
        _ => Kit.Random(shape, seed, -2, 2),
    };

    private static Tensor WithSign(Tensor t, int seed)
    {
        var rng = new Random(seed);
        var span = t.Span<float>();
        for (int i = 0; i < span.Length; i++) span[i] = rng.Next(2) == 0 ? span[i] : -span[i];
        return t;
    }

    /// <summary>Operands of equal shape whose first elements are the function's edge pairs.</summary>
    public static (Tensor A, Tensor B) EdgePairs(BinaryFn fn, Shape shape, int seed)
    {
        const float nan = float.NaN;
        (float A, float B)[] pairs = fn switch
        {
            BinaryFn.Pow =>
            [
                (0f, 0f), (nan, 0f), (1f, nan), (0f, 2f), (-0f, 3f), (-0f, 2f), (-8f, 1f / 3), (-2f, 3f), (-2f, 2f), (-2f, -1f),
                (2f, -1f), (2f, 0.5f), (nan, 1f), (1e-20f, 0.5f), (10f, 30f), (0.5f, 100f), (1f, 1e30f),
            ],
            BinaryFn.Div => [(0f, 1f), (0f, -1f), (-0f, 1f), (1f, 3f), (-1f, 3f), (nan, 1f), (1f, nan), (1e30f, 1e-5f), (1e-30f, 1e10f)],
            BinaryFn.Maximum or BinaryFn.Minimum =>
                [(0f, -0f), (-0f, 0f), (0f, 0f), (1f, nan), (nan, 1f), (nan, nan), (-1f, -1f), (2f, 1f), (1f, 2f), (-1e30f, 1e30f)],
            BinaryFn.ReluGrad => [(1f, 0f), (1f, -0f), (2f, nan), (3f, 1e-30f), (4f, -1e-30f), (nan, 1f), (nan, -1f), (-5f, 2f)],
            _ => [(0f, -0f), (-0f, 0f), (1f, nan), (nan, 1f), (1e18f, -1e18f), (1e-30f, 1e-30f), (-3f, 3f), (3f, 3f)],
        };
        var a = WithValues(Operand(fn, 0, shape, seed), pairs.Select(p => p.A).ToArray());
        var b = WithValues(Operand(fn, 1, shape, seed + 1), pairs.Select(p => p.B).ToArray());
        return (a, b);
    }
}
