using System.Collections.Concurrent;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// How operands broadcast into an output shape, reduced to rows: the output is walked one contiguous row at a
/// time, and in each row an operand is either contiguous (stride 1) or a single repeated value (stride 0).
/// Adjacent axes that are laid out alike in every operand are merged first, so (N, C) + (C,) is N rows of C,
/// and equal shapes are one long row.
/// </summary>
internal sealed class BroadcastPlan
{
    // Plans depend only on the shapes, and a training loop meets the same few shapes every step: caching
    // them keeps steady-state steps free of allocations. The bound only guards against unbounded growth.
    private static readonly ConcurrentDictionary<(Shape, Shape, Shape?, Shape?), BroadcastPlan> Cache = new();
    private const int CacheLimit = 4096;

    /// <summary>The (cached) plan for broadcasting one operand into <paramref name="output"/>.</summary>
    public static BroadcastPlan Of(Shape output, Shape a) => Of((output, a, null, null), 1);

    /// <summary>The (cached) plan for broadcasting two operands into <paramref name="output"/>.</summary>
    public static BroadcastPlan Of(Shape output, Shape a, Shape b) => Of((output, a, b, null), 2);

    /// <summary>The (cached) plan for broadcasting three operands into <paramref name="output"/>.</summary>
    public static BroadcastPlan Of(Shape output, Shape a, Shape b, Shape c) => Of((output, a, b, c), 3);

    private static BroadcastPlan Of((Shape Output, Shape A, Shape? B, Shape? C) key, int operands)
    {
        if (Cache.TryGetValue(key, out var plan)) return plan;
        plan = operands switch
        {
            1 => new BroadcastPlan(key.Output, key.A),
            2 => new BroadcastPlan(key.Output, key.A, key.B!),
            _ => new BroadcastPlan(key.Output, key.A, key.B!, key.C!),
        };
        if (Cache.Count >= CacheLimit) Cache.Clear();
        Cache[key] = plan;
        return plan;
    }

    private readonly int[] _outerDims;
    private readonly int[][] _outerStrides;

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Elements per row.</summary>
    public int RowLength { get; }

    /// <summary>Per operand: 1 when its row is contiguous, 0 when one value repeats along the row.</summary>
    public int[] InnerStride { get; }

    private BroadcastPlan(Shape output, params Shape[] operands)
    {
        // Output axes of size 1 carry no information; drop them.
        var axes = Enumerable.Range(0, output.Rank).Where(i => output[i] != 1).ToList();
        var dims = axes.Select(i => output[i]).ToList();
        var strides = operands.Select(s => axes.Select(i => AlignedStride(s, output, i)).ToList()).ToArray();

        // Merge axis k into k-1 when every operand steps over the pair as one axis.
        for (int k = dims.Count - 1; k > 0; k--)
        {
            if (!strides.All(st => st[k - 1] == st[k] * dims[k])) continue;
            dims[k - 1] *= dims[k];
            dims.RemoveAt(k);
            foreach (var st in strides) { st[k - 1] = st[k]; st.RemoveAt(k); }
        }

        if (dims.Count == 0)
        {
            RowLength = 1;
            InnerStride = new int[operands.Length];
            _outerDims = [];
            _outerStrides = operands.Select(_ => Array.Empty<int>()).ToArray();
        }
        else
        {
            RowLength = dims[^1];
            InnerStride = strides.Select(st => st[^1]).ToArray();
            _outerDims = dims.Take(dims.Count - 1).ToArray();
            _outerStrides = strides.Select(st => st.Take(st.Count - 1).ToArray()).ToArray();
        }
        Rows = _outerDims.Aggregate(1, (p, d) => p * d);
    }

    /// <summary>The stride, in elements, of operand <paramref name="s"/> along output axis <paramref name="axis"/>; 0 where it is broadcast.</summary>
    private static int AlignedStride(Shape s, Shape output, int axis)
    {
        int k = axis - (output.Rank - s.Rank);
        if (k < 0 || s[k] == 1) return 0;
        if (s[k] != output[axis])
            throw new ShapeException($"Shape {s} does not broadcast into {output}.");
        return s.SizeOf(k + 1, s.Rank);
    }

    /// <summary>True when the rows are walked along at most one outer axis, so that row r of an operand starts at r times its <see cref="RowStride"/>.</summary>
    public bool HasOneOuterAxis => _outerDims.Length <= 1;

    /// <summary>How far operand <paramref name="operand"/> moves from one row to the next (0 when every row reads the same values); defined when <see cref="HasOneOuterAxis"/>.</summary>
    public int RowStride(int operand) => _outerDims.Length == 0 ? 0 : _outerStrides[operand][0];

    /// <summary>Start offset of operand <paramref name="operand"/> in row <paramref name="row"/>.</summary>
    public int Offset(int operand, int row)
    {
        var strides = _outerStrides[operand];
        // The common case, (N, C) with (C,) or (N, 1) after merging, has one outer axis: a multiplication.
        // The divisions of the general walk cost more than a short row's work (Iris: (150, 3) + (3,) went
        // from 1.98 to 0.75 us without them; that add is part of Bench's iris_step_us step:
        // `dotnet run --project Bench -c Release -- --only iris_step_us`).
        if (_outerDims.Length == 1) return row * strides[0];
        int offset = 0;
        for (int k = _outerDims.Length - 1; k >= 0 && row > 0; k--)
        {
            int d = _outerDims[k];
            offset += row % d * strides[k];
            row /= d;
        }
        return offset;
    }
}
