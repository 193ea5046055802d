namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    /// <summary>
    /// Every permutation of a rank-3 transpose (the copy, the tiled and the general kernel) and some of rank 5;
    /// slices at offsets; concatenations along each axis; gathers with repeated indices along each axis; one-hot
    /// with indices out of range; tiles. Float32, and Int32 and Bool where the kernel moves elements by size.
    /// </summary>
    public static IEnumerable<ParityCase> Array()
    {
        const string family = "Array";

        var cube = new Shape(5, 7, 9);
        foreach (var perm in new[] { new[] { 0, 1, 2 }, [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0] })
            foreach (var dtype in new[] { DType.Float32, DType.Int32, DType.Bool })
                yield return new(family, $"Transpose {cube} by [{string.Join(", ", perm)}], {dtype}", be =>
                {
                    var y = Kit.Out(be, Permuted(cube, perm), dtype);
                    be.Transpose(Kit.On(be, Values(cube, 1, dtype)), perm, y);
                    return [y];
                });

        foreach (var (shape, perm) in new[]
        {
            (new Shape(2, 3, 4, 5, 3), new[] { 4, 2, 0, 3, 1 }),
            (new Shape(2, 3, 4, 5, 3), [0, 1, 3, 2, 4]),
            (new Shape(2, 3, 4, 5, 3), [3, 4, 0, 1, 2]),     // merges into a 2-D transpose
            (new Shape(67, 45), [1, 0]),                      // tiles cut at both edges
            (new Shape(3, 40, 33), [0, 2, 1]),                // batched tiles
            (new Shape(3, 1, 5), [2, 1, 0]),                  // an axis of length 1 drops out
            (new Shape(1, 1), [1, 0]),
            (new Shape(2, 1, 2, 1, 2, 1, 2), [6, 5, 4, 3, 2, 1, 0]),   // rank 7 that merges into rank 4
        })
            foreach (var dtype in new[] { DType.Float32, DType.Bool })
                yield return new(family, $"Transpose {shape} by [{string.Join(", ", perm)}], {dtype}", be =>
                {
                    var y = Kit.Out(be, Permuted(shape, perm), dtype);
                    be.Transpose(Kit.On(be, Values(shape, 2, dtype)), perm, y);
                    return [y];
                });

        foreach (var (from, begin, size) in new[]
        {
            (new Shape(7, 9, 11), new[] { 2, 3, 1 }, new Shape(4, 5, 9)),
            (new Shape(7, 9, 11), [0, 0, 0], new Shape(7, 9, 11)),
            (new Shape(7, 9, 11), [6, 8, 10], new Shape(1, 1, 1)),
            (new Shape(300), [37], new Shape(250)),
            (new Shape(2, 3, 4, 5, 6, 7), [1, 0, 2, 1, 3, 2], new Shape(1, 3, 2, 3, 2, 5)),
        })
            foreach (var dtype in new[] { DType.Float32, DType.Int32, DType.Bool })
            {
                string what = $"{size} at [{string.Join(", ", begin)}] of {from}, {dtype}";
                yield return new(family, $"Slice {what}", be =>
                {
                    var y = Kit.Out(be, size, dtype);
                    be.Slice(Kit.On(be, Values(from, 3, dtype)), begin, y);
                    return [y];
                });
                yield return new(family, $"SliceGrad {what}", be =>
                {
                    var dx = Kit.Out(be, from, dtype);
                    be.SliceGrad(Kit.On(be, Values(size, 4, dtype)), begin, dx);
                    return [dx];
                });
            }

        int[] lengths = [3, 1, 6, 0];   // the empty input adds nothing
        for (int axis = 0; axis < 3; axis++)
            foreach (var dtype in new[] { DType.Float32, DType.Int32, DType.Bool })
            {
                int along = axis;
                var shapes = lengths.Select(n => Along(along, n)).ToArray();
                var joined = Along(along, lengths.Sum());
                yield return new(family, $"Concat {string.Join(" + ", shapes.Select(s => s.ToString()))} along {axis}, {dtype}", be =>
                {
                    var y = Kit.Out(be, joined, dtype);
                    be.Concat([.. shapes.Select((s, i) => Kit.On(be, Values(s, 10 + i, dtype)))], along, y);
                    return [y];
                });
            }

        var table = new Shape(6, 5, 4);
        foreach (var (axis, indices) in new[] { (0, new[] { 3, 0, 3, 5, 3 }), (1, [4, 4, 1, 0, 4, 2, 1]), (2, [3, 3]), (0, [2]) })
        {
            var gathered = table.WithDim(axis, indices.Length);
            foreach (var dtype in new[] { DType.Float32, DType.Int32, DType.Bool })
                yield return new(family, $"Gather [{string.Join(", ", indices)}] along {axis} of {table}, {dtype}", be =>
                {
                    var y = Kit.Out(be, gathered, dtype);
                    be.Gather(Kit.On(be, Values(table, 20, dtype)), Kit.On(be, Ints(indices)), axis, y);
                    return [y];
                });
            yield return new(family, $"GatherGrad [{string.Join(", ", indices)}] along {axis} into {table}", be =>
            {
                var dx = Kit.Out(be, table);
                be.GatherGrad(Kit.On(be, Kit.Random(gathered, 21)), Kit.On(be, Ints(indices)), axis, dx);
                return [dx];
            });
        }

        // Past 256 indices GatherGrad scatters with atomicAdd: ~43 repeats a row, added in no fixed order.
        yield return new(family, "GatherGrad 300 indices (the atomicAdd form) along 0 into (7, 3)", be =>
        {
            var dx = Kit.Out(be, new Shape(7, 3));
            be.GatherGrad(Kit.On(be, Kit.Random(new Shape(300, 3), 22)), Kit.On(be, Kit.RandomInts(new Shape(300), 23, 0, 7)), 0, dx);
            return [dx];
        }, Tolerance: 1e-5);

        yield return new(family, "GatherGrad 300 indices (the atomicAdd form) along 1 into (2, 7, 3)", be =>
        {
            var dx = Kit.Out(be, new Shape(2, 7, 3));
            be.GatherGrad(Kit.On(be, Kit.Random(new Shape(2, 300, 3), 24)), Kit.On(be, Kit.RandomInts(new Shape(300), 25, 0, 7)), 1, dx);
            return [dx];
        }, Tolerance: 1e-5);

        foreach (var (name, run) in new (string, Action<IBackend, Tensor>)[]
        {
            ("Gather", (be, idx) => be.Gather(Kit.On(be, Values(table, 26, DType.Float32)), idx, 1, Kit.Out(be, table.WithDim(1, 3)))),
            ("GatherGrad", (be, idx) => be.GatherGrad(Kit.On(be, Kit.Random(table.WithDim(1, 3), 27)), idx, 1, Kit.Out(be, table))),
        })
            yield return new(family, $"{name} with an index out of range throws as on the CPU", be =>
            {
                try
                {
                    run(be, Kit.On(be, Ints([1, 5, 0])));
                    return [];
                }
                catch (ArgumentOutOfRangeException e)
                {
                    return [MessageCode(e.Message)];
                }
            });

        foreach (var (on, off, dtype) in new[] { (1.0, 0.0, DType.Float32), (0.9, 0.1 / 3, DType.Float32), (7.0, -2.0, DType.Int32), (1.0, 0.0, DType.Bool) })
            yield return new(family, $"OneHot depth 4 with indices out of range, on {on:G3} off {off:G3}, {dtype}", be =>
            {
                var y = Kit.Out(be, new Shape(2, 3, 4), dtype);
                be.OneHot(Kit.On(be, Tensor.FromFlat(new[] { 0, 3, 4, -1, 2, 1 }, new Shape(2, 3))), on, off, y);
                return [y];
            });

        yield return new(family, "OneHot depth 10 over 1000 indices", be =>
        {
            var y = Kit.Out(be, new Shape(1000, 10));
            be.OneHot(Kit.On(be, Kit.RandomInts(new Shape(1000), 28, -1, 11)), 1, 0, y);
            return [y];
        });

        foreach (var (source, tiled) in new[]
        {
            (new Shape(3, 2, 5), new Shape(6, 6, 5)),
            (new Shape(2, 3), new Shape(6, 12)),
            (new Shape(7), new Shape(21)),
            (new Shape(1, 1), new Shape(3, 4)),
            (new Shape(2, 1, 3, 1, 2, 1), new Shape(4, 2, 3, 3, 2, 2)),
        })
        {
            foreach (var dtype in new[] { DType.Float32, DType.Int32, DType.Bool })
                yield return new(family, $"Tile {source} into {tiled}, {dtype}", be =>
                {
                    var y = Kit.Out(be, tiled, dtype);
                    be.Tile(Kit.On(be, Values(source, 30, dtype)), y);
                    return [y];
                });
            yield return new(family, $"TileGrad {tiled} into {source}", be =>
            {
                var dx = Kit.Out(be, source);
                be.TileGrad(Kit.On(be, Kit.Random(tiled, 31)), dx);
                return [dx];
            });
        }

        // Pad in each mode: mirrors as wide as each mode allows at one edge, none at the other, rank 1 and rank 6; the
        // gradient of the mirror modes sums up to three readers per axis. Constant mode's gradient is a Slice.
        foreach (var (source, paddings) in new (Shape, int[,])[]
        {
            (new Shape(5, 7, 9), new[,] { { 2, 1 }, { 0, 3 }, { 4, 4 } }),
            (new Shape(300), new[,] { { 37, 0 } }),
            (new Shape(1, 4), new[,] { { 0, 0 }, { 3, 3 } }),
            (new Shape(2, 3, 2, 3, 2, 3), new[,] { { 1, 1 }, { 2, 0 }, { 0, 1 }, { 2, 2 }, { 1, 1 }, { 2, 2 } }),
        })
        {
            var before = Enumerable.Range(0, source.Rank).Select(a => paddings[a, 0]).ToArray();
            var padded = new Shape([.. Enumerable.Range(0, source.Rank).Select(a => source[a] + paddings[a, 0] + paddings[a, 1])]);
            foreach (var mode in new[] { PadMode.Constant, PadMode.Reflect, PadMode.Symmetric })
            {
                string what = $"{source} by [{string.Join(", ", Enumerable.Range(0, source.Rank).Select(a => $"({paddings[a, 0]}, {paddings[a, 1]})"))}], {mode}";
                foreach (var (dtype, constant) in new[] { (DType.Float32, -1.5), (DType.Int32, 7.0), (DType.Bool, 1.0) })
                    yield return new(family, $"Pad {what}, {dtype}", be =>
                    {
                        var y = Kit.Out(be, padded, dtype);
                        be.Pad(Kit.On(be, Values(source, 40, dtype)), before, mode, mode == PadMode.Constant ? constant : 0, y);
                        return [y];
                    });
                yield return new(family, $"PadGrad {what}", be =>
                {
                    var dx = Kit.Out(be, source);
                    be.PadGrad(Kit.On(be, Kit.Random(padded, 41)), before, mode, dx);
                    return [dx];
                }, Tolerance: 0);   // the kernel adds each cell's readers in the CPU's order
            }
        }

        yield return new(family, "Pad (0, 3) by [(1, 1), (0, 0)], Constant: all of it the constant", be =>
        {
            var y = Kit.Out(be, new Shape(2, 3));
            be.Pad(Kit.On(be, new Tensor(new Shape(0, 3))), [1, 0], PadMode.Constant, 2.5, y);
            return [y];
        });

        // Distinct values of the dtype from a seed: Float32 uniform, Int32 anywhere, Bool about half true.
        static Tensor Values(Shape shape, int seed, DType dtype)
        {
            switch (dtype)
            {
                case DType.Float32: return Kit.Random(shape, seed);
                case DType.Int32: return Kit.RandomInts(shape, seed, int.MinValue, int.MaxValue);
                default:
                    var rng = new Random(seed);
                    var t = new Tensor(shape, DType.Bool);
                    var span = t.Span<bool>();
                    for (int i = 0; i < span.Length; i++) span[i] = rng.Next(2) == 1;
                    return t;
            }
        }

        static Tensor Ints(int[] values) => Tensor.FromFlat(values, new Shape(values.Length));

        static Shape Permuted(Shape shape, int[] perm) => new([.. perm.Select(p => shape[p])]);

        // (4, 5) with an axis of the given length inserted at position axis.
        static Shape Along(int axis, int length)
        {
            List<int> dims = [4, 5];
            dims.Insert(axis, length);
            return new Shape([.. dims]);
        }
    }
}
