namespace GraphDL;

public abstract partial class GraphBuilder
{
    /// <summary>
    /// TF1's <c>tf.split</c> with a count: <paramref name="value"/> cut into <paramref name="numSplits"/> equal
    /// pieces along <paramref name="axis"/>, whose size must be known and divisible by the count. Each piece is
    /// a Slice, whose gradient writes dout back where the piece came from; no kernel of its own.
    /// </summary>
    /// <param name="value">The tensor to cut.</param>
    /// <param name="numSplits">How many pieces; positive, at most <see cref="MaxPieces"/>, and a divisor of the axis's size.</param>
    /// <param name="axis">The axis to cut along, in [-rank, rank).</param>
    /// <param name="name">The name of the first piece ("Split" when null); the others get suffixes _1, _2, ...</param>
    public Output[] Split(Output value, int numSplits, int axis = 0, string? name = null)
    {
        int along = SplitAxis(value, axis, out int length);
        if (numSplits > MaxPieces) throw TooManyPieces(value, numSplits);
        if (numSplits <= 0 || length % numSplits != 0)
            throw new ShapeException($"Split of '{value.Name}' {value.Shape} into {numSplits} pieces along axis {along}: the count must be positive and divide {length}.");
        return SplitInto(value, along, Enumerable.Repeat(length / numSplits, numSplits).ToArray(), name);
    }

    /// <summary>
    /// TF1's <c>tf.split</c> with sizes: <paramref name="value"/> cut along <paramref name="axis"/> into pieces of
    /// <paramref name="sizeSplits"/>, which must add up to the axis's (known) size; one size may be -1, meaning
    /// whatever the others leave. Each piece is a Slice; no kernel of its own.
    /// </summary>
    /// <param name="value">The tensor to cut.</param>
    /// <param name="sizeSplits">The pieces' sizes along the axis, each non-negative or one of them -1.</param>
    /// <param name="axis">The axis to cut along, in [-rank, rank).</param>
    /// <param name="name">The name of the first piece ("Split" when null); the others get suffixes _1, _2, ...</param>
    public Output[] Split(Output value, int[] sizeSplits, int axis = 0, string? name = null)
    {
        int along = SplitAxis(value, axis, out int length);
        string sizes = $"[{string.Join(", ", sizeSplits)}]";
        int inferred = Array.IndexOf(sizeSplits, -1);
        if (sizeSplits.Length == 0 || sizeSplits.Any(s => s < -1) || (inferred >= 0 && Array.LastIndexOf(sizeSplits, -1) != inferred))
            throw new ShapeException($"Split of '{value.Name}' {value.Shape} takes one or more sizes, each non-negative or at most one -1, got {sizes}.");
        // In long: sizes near int.MaxValue would overflow an int sum.
        long known = sizeSplits.Where(s => s >= 0).Sum(s => (long)s);
        var resolved = (int[])sizeSplits.Clone();
        if (inferred >= 0 ? known > length : known != length)
            throw new ShapeException($"Split of '{value.Name}' {value.Shape} into sizes {sizes} along axis {along}: they add up to {known}, "
                + (inferred >= 0 ? $"more than {length}." : $"not {length}."));
        if (inferred >= 0) resolved[inferred] = (int)(length - known);
        return SplitInto(value, along, resolved, name);
    }

    /// <summary>The axis in [0, rank) and its size, which a split needs known when the graph is built.</summary>
    private static int SplitAxis(Output value, int axis, out int length)
    {
        var shape = value.Shape;
        if (axis < -shape.Rank || axis >= shape.Rank)
            throw new ShapeException($"Split of '{value.Name}' {shape} takes an axis in [{-shape.Rank}, {shape.Rank}), got {axis}.");
        int along = axis < 0 ? axis + shape.Rank : axis;
        length = shape[along];
        if (length == Shape.Unknown)
            throw new ShapeException($"Split of '{value.Name}' {shape} needs the size of axis {along}, but it is unknown.");
        return along;
    }

    private Output[] SplitInto(Output value, int along, int[] sizes, string? name) => sizes.Length <= MaxPieces
        ? Composite(nameof(Split), name, [value], () => SlicesOf(value, along, sizes, name))
        : throw TooManyPieces(value, sizes.Length);

    private static ShapeException TooManyPieces(Output value, int count) =>
        new($"Split of '{value.Name}' {value.Shape} would make {count:N0} pieces, more than the {MaxPieces:N0} one call may; use Gather or Slice.");

    private Output[] SlicesOf(Output value, int along, int[] sizes, string? name)
    {
        var result = new Output[sizes.Length];
        for (int i = 0, offset = 0; i < sizes.Length; offset += sizes[i], i++)
        {
            var begin = new int[value.Shape.Rank];
            var size = Enumerable.Repeat(-1, value.Shape.Rank).ToArray();
            begin[along] = offset;
            size[along] = sizes[i];
            result[i] = Slice(value, begin, size, name ?? nameof(Split));
        }
        return result;
    }
}
