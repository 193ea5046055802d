namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    public static IEnumerable<ParityCase> Reduce()
    {
        // Every set of axes of a rank-3 tensor, the empty one included, with and without keepDims. Rows here
        // are short (a thread per output) except over all axes (315 elements, a block). Products get factors
        // near ±1 (ReduceKit.Input), so that they neither vanish nor overflow.
        var cube = Kit.Random(new Shape(5, 7, 9), 1, -1, 1);
        foreach (var fn in Enum.GetValues<ReduceFn>())
            for (int mask = 0; mask < 8; mask++)
            {
                int[] axes = Enumerable.Range(0, 3).Where(a => (mask >> a & 1) == 1).ToArray();
                foreach (bool keepDims in new[] { false, true })
                    yield return ReduceKit.Case(fn, ReduceKit.Input(fn, cube), axes, keepDims);
            }

        // Long rows take a block each: contiguous, strided (a column), split over two axes, one output in all,
        // and rank 6 with alternating axes (walks that keep their strides apart).
        var wide = Kit.Random(new Shape(3, 1000), 2, -1, 1);
        var tall = Kit.Random(new Shape(1000, 3), 3, -1, 1);
        var split = Kit.Random(new Shape(130, 3, 2), 4, -1, 1);
        var line = Kit.Random(new Shape(1031), 5, -1, 1);
        var rank6 = Kit.Random(new Shape(3, 4, 2, 5, 3, 7), 6, -1, 1);
        foreach (var fn in Enum.GetValues<ReduceFn>())
        {
            yield return ReduceKit.Case(fn, ReduceKit.Input(fn, wide), [1], false);
            yield return ReduceKit.Case(fn, ReduceKit.Input(fn, tall), [0], true);
            yield return ReduceKit.Case(fn, ReduceKit.Input(fn, split), [0, 2], false);
            yield return ReduceKit.Case(fn, ReduceKit.Input(fn, line), [0], false);
            yield return ReduceKit.Case(fn, ReduceKit.Input(fn, rank6), [1, 3, 5], false);
            yield return ReduceKit.Case(fn, ReduceKit.Input(fn, rank6), [0, 2, 4], true);
            yield return ReduceKit.Case(fn, ReduceKit.Input(fn, rank6), [0, 1, 2, 3, 4, 5], false);
        }

        // Rows of one sign, so that a wrong starting value (0 instead of -inf for Max) would win; the 200-long
        // rows leave a block's last 56 threads without an element.
        foreach (var shape in new Shape[] { new(3, 200), new(6, 5) })
        {
            yield return ReduceKit.Case(ReduceFn.Max, Kit.Random(shape, 17, -3, -1), [1], false, "all negative");
            yield return ReduceKit.Case(ReduceFn.Min, Kit.Random(shape, 18, 1, 3), [1], false, "all positive");
        }

        // NaN anywhere in a row makes its Max and Min NaN; a row without one is unaffected. Both launch shapes.
        foreach (var shape in new Shape[] { new(4, 300), new(4, 20) })
        {
            var x = ReduceKit.WithNaNs(Kit.Random(shape, 7, -1, 1));
            foreach (var fn in new[] { ReduceFn.Max, ReduceFn.Min, ReduceFn.Sum })
                foreach (int axis in new[] { 0, 1 })
                    yield return ReduceKit.Case(fn, x, [axis], false, "with NaNs");
        }

        // Over an empty axis: Sum is 0, Mean is 0 / 0 = NaN, Prod is 1, Any false and All true.
        foreach (var fn in new[] { ReduceFn.Sum, ReduceFn.Mean, ReduceFn.Prod, ReduceFn.Any, ReduceFn.All })
        {
            var dtype = ReduceKit.IsLogical(fn) ? DType.Bool : DType.Float32;
            yield return ReduceKit.Case(fn, new Tensor(new Shape(3, 0), dtype), [1], false);
            yield return ReduceKit.Case(fn, new Tensor(new Shape(0, 4), dtype), [0], true);
            yield return ReduceKit.Case(fn, new Tensor(new Shape(0, 4), dtype), [1], false);
        }

        // A zero anywhere in a row makes its product 0, a NaN makes it NaN (both launch shapes).
        foreach (var shape in new Shape[] { new(4, 300), new(4, 20) })
        {
            var x = ReduceKit.NearOne(shape, 19);
            x.Span<float>()[shape[1] / 3] = 0;
            yield return ReduceKit.Case(ReduceFn.Prod, x, [1], false, "with a zero");
            foreach (int axis in new[] { 0, 1 })
                yield return ReduceKit.Case(ReduceFn.Prod, ReduceKit.WithNaNs(ReduceKit.NearOne(shape, 20)), [axis], false, "with NaNs");
        }

        // Any and All of rows that are all false, all true, or true at one place only (first, middle, last), so
        // that a wrong starting value or a lost element in the block's tree would show; both launch shapes.
        foreach (int n in new[] { 300, 20 })
        {
            var rows = new Tensor(new Shape(6, n), DType.Bool);
            var b = rows.Span<bool>();
            b.Slice(n, n).Fill(true);
            b[2 * n] = true;
            b[3 * n + n / 2] = true;
            b[5 * n - 1] = true;
            b.Slice(5 * n, n).Fill(true);
            b[5 * n + n / 3] = false;
            foreach (var fn in new[] { ReduceFn.Any, ReduceFn.All })
                foreach (int axis in new[] { 0, 1 })
                    yield return ReduceKit.Case(fn, rows, [axis], axis == 0, "edge rows");
        }

        // ArgMax and ArgMin along each axis; values from a few integers, so the first of equal maxima must win.
        var ties = Kit.SmallFloats(new Shape(5, 7, 9), 8);
        foreach (bool max in new[] { true, false })
        {
            for (int axis = 0; axis < 3; axis++)
            {
                yield return ReduceKit.ArgCase(max, cube, axis, "");
                yield return ReduceKit.ArgCase(max, ties, axis, "ties");
            }
            yield return ReduceKit.ArgCase(max, wide, 1, "");
            yield return ReduceKit.ArgCase(max, Kit.SmallFloats(new Shape(3, 1000), 9), 1, "ties");
            yield return ReduceKit.ArgCase(max, Kit.Random(new Shape(700, 4), 10), 0, "");
            yield return ReduceKit.ArgCase(max, Kit.SmallFloats(new Shape(700, 4), 11), 0, "ties");
            yield return ReduceKit.ArgCase(max, line, 0, "");
            foreach (var shape in new Shape[] { new(4, 300), new(4, 20) })
                yield return ReduceKit.ArgCase(max, ReduceKit.WithNaNs(Kit.SmallFloats(shape, 12)), 1, "with NaNs");
        }

        // SumTo: the gradient of each broadcast pattern, and a plain copy.
        foreach (var (from, to) in new (Shape, Shape)[]
                 {
                     (new(33, 31), new(31)), (new(33, 31), new(33, 1)), (new(33, 31), new()), (new(33, 31), new(1, 1)),
                     (new(3, 4, 5), new(1, 4, 1)), (new(3, 4, 5), new(3, 1, 5)), (new(2, 3, 4, 5), new(3, 1, 5)),
                     (new(2, 2, 3, 4, 2, 3), new(2, 1, 3, 1, 2, 1)), (new(1000, 3), new(3)), (new(3, 1000), new(3, 1)),
                     (new(7, 13), new(7, 13)),
                 })
        {
            var x = Kit.Random(from, 13, -1, 1);
            yield return new("Reduce", $"SumTo {from} to {to}", be => ReduceKit.SumTo(be, x, to));
        }

        // BroadcastTo for each dtype it moves.
        foreach (var (from, to) in new (Shape, Shape)[]
                 {
                     (new(31), new(33, 31)), (new(33, 1), new(33, 31)), (new(), new(7, 13)), (new(1, 4, 1), new(3, 4, 5)),
                     (new(2, 1, 3, 1, 2, 1), new(2, 2, 3, 4, 2, 3)), (new(5, 1), new(5, 1)), (new(1), new(257)),
                 })
        {
            var f = Kit.Random(from, 14);
            var i = Kit.RandomInts(from, 15, -100, 100);
            var b = Kit.Bools(from, 16);
            yield return new("Reduce", $"BroadcastTo Float32 {from} to {to}", be => ReduceKit.BroadcastTo(be, f, to));
            yield return new("Reduce", $"BroadcastTo Int32 {from} to {to}", be => ReduceKit.BroadcastTo(be, i, to));
            yield return new("Reduce", $"BroadcastTo Bool {from} to {to}", be => ReduceKit.BroadcastTo(be, b, to));
        }
    }
}

/// <summary>The reduction cases' runs and inputs (a file class, so that its names stay out of the other families' way).</summary>
file static class ReduceKit
{
    public static bool IsLogical(ReduceFn fn) => fn is ReduceFn.Any or ReduceFn.All;

    /// <summary>
    /// The input a case of <paramref name="fn"/> reduces, in place of the Float32 <paramref name="x"/>: Bools
    /// from the same seed for Any and All, factors near ±1 for Prod, x itself for the others.
    /// </summary>
    public static Tensor Input(ReduceFn fn, Tensor x)
    {
        int seed = x.Size;
        return fn switch
        {
            ReduceFn.Any or ReduceFn.All => Kit.Bools(x.Shape, seed),
            ReduceFn.Prod => NearOne(x.Shape, seed),
            _ => x,
        };
    }

    /// <summary>Float32 factors with sizes from 0.9 to 1.1 and either sign, so that products of thousands stay far from underflow and overflow.</summary>
    public static Tensor NearOne(Shape shape, int seed)
    {
        var size = Kit.Random(shape, seed, 0.9, 1.1);
        var sign = Kit.Bools(shape, seed + 1).Span<bool>();
        var span = size.Span<float>();
        for (int i = 0; i < span.Length; i++) if (sign[i]) span[i] = -span[i];
        return size;
    }

    public static ParityCase Case(ReduceFn fn, Tensor x, int[] axes, bool keepDims, string note = "")
    {
        var dims = x.Shape.ToArray();
        var kept = keepDims
            ? dims.Select((d, a) => axes.Contains(a) ? 1 : d).ToArray()
            : dims.Where((_, a) => !axes.Contains(a)).ToArray();
        var yShape = new Shape(kept);
        string name = $"Reduce {fn} {x.Shape} axes [{string.Join(", ", axes)}]{(keepDims ? " keepDims" : "")}{(note.Length > 0 ? " " + note : "")}";
        return new("Reduce", name, be =>
        {
            var y = Kit.Out(be, yShape, x.DType);
            be.Reduce(fn, Kit.On(be, x), axes, y);
            return [y];
        });
    }

    public static ParityCase ArgCase(bool max, Tensor x, int axis, string note)
    {
        var yShape = new Shape(x.Shape.ToArray().Where((_, a) => a != axis).ToArray());
        string name = $"{(max ? "ArgMax" : "ArgMin")} {x.Shape} axis {axis}{(note.Length > 0 ? " " + note : "")}";
        return new("Reduce", name, be =>
        {
            var y = Kit.Out(be, yShape, DType.Int32);
            be.ArgReduce(max, Kit.On(be, x), axis, y);
            return [y];
        });
    }

    public static Tensor[] SumTo(IBackend be, Tensor x, Shape to)
    {
        var y = Kit.Out(be, to);
        be.SumTo(Kit.On(be, x), y);
        return [y];
    }

    public static Tensor[] BroadcastTo(IBackend be, Tensor x, Shape to)
    {
        var y = Kit.Out(be, to, x.DType);
        be.BroadcastTo(Kit.On(be, x), y);
        return [y];
    }

    /// <summary>
    /// NaNs placed by row of a (rows, n) tensor: row 0 at index 0, row 1 in the middle, row 2 everywhere,
    /// row 3 nowhere (its ties and values decide alone).
    /// </summary>
    public static Tensor WithNaNs(Tensor t)
    {
        int n = t.Shape[1];
        var span = t.Span<float>();
        span[0] = float.NaN;
        span[n + n / 2] = float.NaN;
        span.Slice(2 * n, n).Fill(float.NaN);
        return t;
    }
}
